"""Step 3 of a sync round: verify the caught-up checkpoint, repair a bucket that disagrees.

The server's last page states, per bucket in the device's scope, how many live records it
holds and the sum of their `record_checksum(entity, id, version)` (DESIGN §4.7). The device
keeps the same totals over its own rows (store/bucket_totals.py), so the comparison costs
one small read whatever the database size. A bucket that disagrees is fetched again page by
page from `GET /v1/sync/bucket` and replaces the local copy (store/bucket_repair.py); a
bucket the device holds rows of but the checkpoint no longer names has left its scope and
is emptied. Only disagreeing buckets cost a request.

What a checksum of (entity, id, version) can see: a row missing, a row too many, a row at
another version than the server's. A field changed on the device with its version kept is
invisible to it by design; the server never sends such a row.
"""

import logging
from dataclasses import dataclass
from typing import Protocol

from client.store import Store, read_state
from client.store.bucket_repair import RepairRecord, apply_bucket_snapshot, begin_bucket_repair, finish_bucket_repair
from client.store.bucket_totals import EMPTY, Totals, read_bucket_totals, read_checkpoint
from client.sync.errors import BadResponse
from shared.errors import OutOfScope
from shared.protocol import DEFAULT_PULL_LIMIT, BucketSnapshot

log = logging.getLogger(__name__)


class BucketApi(Protocol):
    """What verification needs from the protocol client (`SyncApi` or a test double)."""

    def bucket(self, name: str, *, after: str | None = None, limit: int) -> BucketSnapshot: ...


@dataclass(frozen=True, slots=True)
class Verification:
    """What the verification step of a round found and did."""

    checked: int
    """Buckets compared with the server's checkpoint."""
    repairs: tuple[RepairRecord, ...] = ()
    skipped: str | None = None
    """Why nothing was compared (no checkpoint for the current cursor, say), or None."""

    @property
    def agreed(self) -> bool:
        """True when every bucket was compared and none needed a repair."""
        return self.skipped is None and not self.repairs


def verify_checkpoint(store: Store, api: BucketApi, *, page_size: int = DEFAULT_PULL_LIMIT) -> Verification:
    """Compare the local bucket totals with the stored checkpoint; repair what disagrees."""
    with store.read() as db:
        state = read_state(db)
        checkpoint = read_checkpoint(db)
        local = read_bucket_totals(db)
    # The checkpoint is saved in the transaction of the caught-up page, after the totals
    # were rebuilt if a bulk sync had deferred them: with a matching seq both describe
    # the same rows.
    if checkpoint is None or checkpoint.seq != state.cursor:
        return Verification(checked=0, skipped="no checkpoint for the current cursor")
    if state.ignored_entities:
        # The server counts records this app version does not store: totals cannot agree.
        return Verification(checked=0, skipped=f"entities not stored here: {sorted(state.ignored_entities)}")
    expected = {b.bucket: (b.count, b.checksum) for b in checkpoint.buckets}
    repairs: list[RepairRecord] = []
    for bucket in sorted(set(local) - set(expected)):
        if local[bucket] != EMPTY:
            repairs.append(_drop(store, bucket, local[bucket]))
    for bucket in sorted(expected):
        found = local.get(bucket, EMPTY)
        if found != expected[bucket]:
            repair = _resync(store, api, bucket, expected[bucket], found, page_size)
            if repair is not None:
                repairs.append(repair)
    return Verification(checked=len(expected), repairs=tuple(repairs))


def _drop(store: Store, bucket: str, found: Totals) -> RepairRecord:
    log.warning("bucket %s is no longer in this device's scope: removing its %d row(s)", bucket, found[0])
    begin_bucket_repair(store, bucket)
    return finish_bucket_repair(store, bucket, expected=None, found=found, written=0)


def _resync(
    store: Store, api: BucketApi, bucket: str, expected: Totals, found: Totals, page_size: int
) -> RepairRecord | None:
    log.warning(
        "bucket %s disagrees with the server (server %d rows/%d, device %d rows/%d): fetching it again",
        bucket,
        *expected,
        *found,
    )
    begin_bucket_repair(store, bucket)
    written = 0
    after: str | None = None
    while True:
        try:
            snapshot = api.bucket(bucket, after=after, limit=page_size)
        except OutOfScope:
            # Scope changed since the pull: the next round's checkpoint will say what to hold.
            log.warning("bucket %s left the scope during its repair; left for the next round", bucket)
            return None
        _check_page(snapshot, bucket, after)
        written += apply_bucket_snapshot(store, snapshot)
        if not snapshot.has_more:
            break
        after = snapshot.next_after
    repair = finish_bucket_repair(store, bucket, expected=expected, found=found, written=written)
    log.warning("bucket %s repaired: %d row(s) written, %d removed", bucket, repair.written, repair.removed)
    return repair


def _check_page(snapshot: BucketSnapshot, bucket: str, after: str | None) -> None:
    if snapshot.bucket != bucket:
        raise BadResponse(f"asked for bucket {bucket!r}, the server sent {snapshot.bucket!r}")
    if snapshot.has_more and (not snapshot.next_after or snapshot.next_after == after):
        raise BadResponse(f"bucket {bucket!r}: has_more without a position past {after!r}")


__all__ = ["BucketApi", "Verification", "verify_checkpoint"]
