"""Filling a device's store the way a first sync does: records as pulled pages, via the
client's own `apply_pull_page` (so the benchmarks measure the app on a store it really made)."""

import time

from client.store import Store, apply_pull_page
from shared.models import Record
from shared.protocol import Change, PullResponse

PAGE = 5000


def fill_store(store: Store, records: list[tuple[Record, str]]) -> float:
    """Apply (record, bucket) pairs as consecutive pull pages; seconds taken."""
    started, seq = time.perf_counter(), 1
    for i in range(0, len(records), PAGE):
        changes = [
            Change(seq=seq + n, bucket=bucket, entity=r.ENTITY, id=r.record_id(), op="put", version=1, data=r.to_data())
            for n, (r, bucket) in enumerate(records[i : i + PAGE])
        ]
        seq += len(changes)
        apply_pull_page(
            store,
            PullResponse(
                changes=changes, cursor=seq - 1, has_more=i + PAGE < len(records), last_mutation_id=0, epoch="bench"
            ),
        )
    return time.perf_counter() - started


__all__ = ["fill_store"]
