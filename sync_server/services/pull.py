"""Pull: the changes in the caller's buckets after a cursor, a page at a time."""

import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from shared.errors import DomainError, StaleCursor, ValidationFailed
from shared.protocol import (
    MAX_PULL_LIMIT,
    BucketChecksum,
    Checkpoint,
    PullResponse,
)
from sync_server.repository.changelog import count_changes, read_change_lines
from sync_server.repository.database import Connection, ensure_epoch
from sync_server.repository.pull_head import pull_head
from sync_server.repository.totals import read_totals
from sync_server.services.auth import Principal
from sync_server.services.scope import buckets_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PullPage:
    """One page as read from the database: each change already as its JSON text."""

    lines: list[tuple[int, bytes]]
    """(seq, the change's JSON) from `read_change_lines`."""
    cursor: int
    has_more: bool
    last_mutation_id: int
    epoch: str
    total_changes: int | None
    checkpoint: Checkpoint | None
    floor: int = 0
    """The server's cursor floor when the page was read (see `read_page`)."""
    with_floor: bool = False
    """Whether the device speaks protocol 3 and so takes `floor` in the page."""

    def to_response(self) -> PullResponse:
        """The page as a validated model (in-process callers, tests)."""
        return PullResponse.model_validate_json(self.to_json())

    def to_json(self) -> bytes:
        """The page as the JSON body of a PullResponse, its changes spliced in as read.

        The database wrote each change's JSON with its stored data unparsed, so nothing
        here walks the rows but one join.
        """
        head = {
            "cursor": self.cursor,
            "has_more": self.has_more,
            "last_mutation_id": self.last_mutation_id,
            "epoch": self.epoch,
        }
        if self.total_changes is not None:
            head["total_changes"] = self.total_changes
        if self.checkpoint is not None:
            head["checkpoint"] = self.checkpoint.model_dump(mode="json")
        if self.with_floor:
            head["floor"] = self.floor
        changes = b",".join([line for _, line in self.lines])
        return b'{"changes":[' + changes + b"]," + json.dumps(head)[1:].encode()


def pull(
    conn: Connection,
    principal: Principal,
    cursor: int,
    limit: int,
    epoch: str | None = None,
    with_total: bool = False,
    floor: int | None = None,
) -> PullResponse:
    """One page of changes after `cursor` in the principal's scope, as a model."""
    return read_page(conn, principal, cursor, limit, epoch, with_total, floor=floor, with_floor=True).to_response()


def read_page(
    conn: Connection,
    principal: Principal,
    cursor: int,
    limit: int,
    epoch: str | None = None,
    with_total: bool = False,
    *,
    floor: int | None = None,
    with_floor: bool = False,
) -> PullPage:
    """One page of changes after `cursor` in the principal's scope.

    With `with_total`, `total_changes` counts what remains from the request's cursor so
    a sync run can show progress (asked once per run: counting is O(remaining)). A cursor
    from another epoch (a restored database) or from the future is stale, and the device
    must do a replacement sync. So is a cursor below the server's floor (the highest seq
    compaction dropped: a delete after the cursor may be gone) — unless `floor`, the floor
    of the last page the device applied, is the server's floor still: then nothing was
    dropped since the device last read, and its pages are whole. That is what lets a first
    sync begun after a compaction page on from cursor 0 past the floor.
    """
    if limit < 1 or limit > MAX_PULL_LIMIT:
        raise ValidationFailed(f"limit must be between 1 and {MAX_PULL_LIMIT}")
    if cursor < 0:
        raise ValidationFailed("cursor must not be negative")
    head = pull_head(conn, principal.client_id)
    server_epoch = head.epoch or ensure_epoch(conn)
    if epoch and epoch != server_epoch and cursor > 0:
        raise StaleCursor("the server's data was replaced; a full resync is needed", epoch=server_epoch)
    if cursor > head.last_seq:
        raise StaleCursor("the cursor is ahead of the server; a full resync is needed", epoch=server_epoch)
    server_floor = head.floor
    if 0 < cursor < server_floor and (floor is None or floor < server_floor):
        raise StaleCursor(
            "this device was offline longer than deletions are kept; a full resync is needed", epoch=server_epoch
        )
    buckets = buckets_for(conn, principal, warehouses=head.warehouses)
    lines = read_change_lines(conn, buckets, cursor, limit + 1, max_bytes=MAX_PAGE_BYTES)
    kept = _fitting(lines, limit, MAX_PAGE_BYTES)
    has_more = kept < len(lines)
    del lines[kept:]
    new_cursor = lines[-1][0] if lines else cursor
    last_mutation_id = head.last_mutation_id or 0
    total = count_changes(conn, buckets, cursor) if with_total else None
    # Caught up: say what the device should now hold, so it can verify and repair.
    checkpoint = None if has_more else checkpoint_of(conn, buckets, new_cursor)
    return PullPage(
        lines=lines,
        cursor=new_cursor,
        has_more=has_more,
        last_mutation_id=last_mutation_id,
        epoch=server_epoch,
        total_changes=total,
        checkpoint=checkpoint,
        floor=server_floor,
        with_floor=with_floor,
    )


MAX_PAGE_BYTES = 16 * 2**20
"""A page stops at this many bytes of changes, whatever `limit` says (always one change at
least): pages of 10,000 reference rows weigh 2-3 MiB, and a seller's quotes of many lines
must not make one a few hundred."""


def _fitting(lines: list[tuple[int, bytes]], limit: int, max_bytes: int) -> int:
    """How many of `lines` make the page: at most `limit`, within `max_bytes` but one at least."""
    size = 0
    for count, (_, line) in enumerate(lines[:limit]):
        size += len(line)
        if size > max_bytes and count > 0:
            return count
    return min(len(lines), limit)


STREAM_SECONDS = 30.0
"""How long one pull stream goes on before the device is asked to ask again."""


def stream_pages(
    first: PullPage,
    read_next: Callable[[PullPage], PullPage],
    *,
    seconds: float = STREAM_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[PullPage]:
    """`first`, then each page after it (`read_next(cursor, epoch)`) until caught up or out of time.

    Each page is read in its own transaction, as separate pull requests would be. A
    domain error on a later page (the cursor went stale as the log was compacted, say)
    ends the stream quietly: the device asks again from the last page it applied and
    meets the error as a plain answer to that request.
    """
    deadline = clock() + seconds
    page = first
    while True:
        yield page
        if not page.has_more or clock() >= deadline:
            return
        try:
            page = read_next(page)
        except DomainError as exc:
            log.info("pull stream ended early at cursor %d: %s", page.cursor, exc)
            return


def checkpoint_of(conn: Connection, buckets: list[str], seq: int) -> Checkpoint:
    """Per bucket: live record count and checksum (sum of record checksums mod 2**32).

    Read from the totals kept with every write (one row per bucket), in the same
    transaction as the page it follows, so both describe one state.
    """
    found = read_totals(conn, buckets)
    return Checkpoint(
        seq=seq,
        buckets=[
            BucketChecksum(bucket=b, count=found.get(b, (0, 0))[0], checksum=found.get(b, (0, 0))[1]) for b in buckets
        ],
    )


__all__ = ["MAX_PAGE_BYTES", "STREAM_SECONDS", "PullPage", "checkpoint_of", "pull", "read_page", "stream_pages"]
