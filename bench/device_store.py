"""Filling a device's store the way a first sync does: records as pulled pages, via the
client's own `apply_pull_page` (so the benchmarks measure the app on a store it really made)."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from client.services.session import Session
from client.settings import ClientSettings
from client.store import Store, apply_pull_page
from client.sync import SyncApi
from shared.models import Record, Role
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


def offline_session(work: Path, store: Store, login: str, home_warehouse: str, team_code: str) -> Session:
    """Ana's signed-in session on a device that never reaches a server (port 9 refuses)."""
    return Session(
        settings=ClientSettings(data_dir=work),
        store=store,
        api=SyncApi("http://127.0.0.1:9"),
        login=login,
        name="Ana García",
        role=Role.SELLER,
        team_code=team_code,
        home_warehouse=home_warehouse,
        client_id=uuid4(),
        token_expires_at=datetime.now(UTC) + timedelta(days=7),
    )


__all__ = ["fill_store", "offline_session"]
