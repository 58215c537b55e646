"""Pushing the outbox (DESIGN §4.4): oldest first, in bounded batches, exactly once.

A batch holds at most MAX_PUSH_MUTATIONS mutations and MAX_PUSH_BYTES bytes of body. The
server's answer is stored in one transaction: rejections and merge conflicts go to
`sync_issues` and the acknowledged mutations leave the outbox together, so a crash leaves
either both or neither — and a re-push after a lost answer gets the server's stored
results, never a second application. A transport failure (Offline, ServerBusy) simply
ends the run: what was acknowledged is kept, the rest is sent next time.
"""

import logging
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from client.store import (
    Store,
    pending_mutations,
    read_state,
    record_conflict,
    record_rejection,
    remove_acknowledged,
    save_state,
)
from client.sync.errors import BadResponse, MutationTooLarge, OutboxOutOfStep
from client.sync.http import push_body
from shared.errors import AuthError, MutationGap, PayloadTooLarge
from shared.protocol import (
    MAX_PUSH_BYTES,
    MAX_PUSH_MUTATIONS,
    PROTOCOL_VERSION,
    SCHEMA_VERSION,
    Mutation,
    PushRequest,
    PushResponse,
)

log = logging.getLogger(__name__)


class PushApi(Protocol):
    """What the pusher needs from the protocol client (`SyncApi` or a test double)."""

    def push(self, request: PushRequest) -> PushResponse: ...


@dataclass(frozen=True, slots=True)
class PushResult:
    """Summary of one push run."""

    batches: int
    acknowledged: int
    """Mutations the server processed and that left the outbox."""
    rejected: int
    """Of those, refused for good (now in sync_issues)."""
    conflicts: int
    """Of those, applied with the server's value winning on some field (in sync_issues)."""
    last_mutation_id: int

    def then(self, later: "PushResult") -> "PushResult":
        """This run and a later one of the same round, as one summary."""
        return PushResult(
            batches=self.batches + later.batches,
            acknowledged=self.acknowledged + later.acknowledged,
            rejected=self.rejected + later.rejected,
            conflicts=self.conflicts + later.conflicts,
            last_mutation_id=max(self.last_mutation_id, later.last_mutation_id),
        )


def push_outbox(
    store: Store,
    api: PushApi,
    *,
    max_mutations: int = MAX_PUSH_MUTATIONS,
    max_bytes: int = MAX_PUSH_BYTES,
    up_to: int | None = None,
) -> PushResult:
    """Push every pending mutation in id order (none above `up_to`); raises Offline to stop
    and retry later."""
    with store.read() as db:
        state = read_state(db)
    if state.client_id is None:
        raise AuthError("this device is not registered: sign in first")
    batches = acknowledged = rejected = conflicts = 0
    last = state.last_mutation_id
    limit, trimmed_for = max_mutations, None
    while True:
        with store.read() as db:
            pending = pending_mutations(db, limit, up_to)
        if not pending:
            return PushResult(batches, acknowledged, rejected, conflicts, last)
        request = fit_batch(state.client_id, pending, max_bytes)
        try:
            response = api.push(request)
        except PayloadTooLarge:
            # The server (or a proxy in front of it) takes less than our bound: halve it.
            if len(request.mutations) == 1:
                raise MutationTooLarge(f"mutation {pending[0].id} is refused as too large by the server") from None
            max_bytes = len(push_body(request)) // 2
            continue
        except MutationGap as gap:
            expected = int(gap.extra.get("expected", 0))
            if expected <= pending[0].id or expected == trimmed_for:
                raise _out_of_step(expected, pending[0].id, last) from gap
            # The server has everything below `expected` — some from this very request, whose
            # answer the 409 replaced. Ask again for just those: it answers from its ledger,
            # and the next batch then starts at the hole and is refused above.
            limit, trimmed_for = expected - pending[0].id, expected
            continue
        counts = _acknowledge(store, request.mutations, response)
        if counts[0] == 0:
            raise BadResponse(f"the server acknowledged none of mutations {pending[0].id}…{request.mutations[-1].id}")
        batches += 1
        acknowledged, rejected, conflicts = acknowledged + counts[0], rejected + counts[1], conflicts + counts[2]
        last = response.last_mutation_id
        limit, trimmed_for = max_mutations, None


def fit_batch(client_id: UUID, pending: list[Mutation], max_bytes: int) -> PushRequest:
    """The longest prefix of `pending` whose push body stays within `max_bytes`."""
    envelope = PushRequest(
        client_id=client_id, protocol_version=PROTOCOL_VERSION, schema_version=SCHEMA_VERSION, mutations=[]
    )
    size = len(push_body(envelope))
    count = 0
    for mutation in pending:
        grown = size + len(mutation.model_dump_json().encode()) + (1 if count else 0)  # 1: the comma
        if grown > max_bytes:
            break
        size, count = grown, count + 1
    if count == 0:
        raise MutationTooLarge(
            f"mutation {pending[0].id} ({pending[0].name}) does not fit in a push of {max_bytes} bytes"
        )
    return PushRequest(
        client_id=client_id, protocol_version=PROTOCOL_VERSION, schema_version=SCHEMA_VERSION, mutations=pending[:count]
    )


def _acknowledge(store: Store, batch: list[Mutation], response: PushResponse) -> tuple[int, int, int]:
    # Never past our own batch: after a lost answer the server's last id may already cover
    # later mutations, whose stored results (rejections!) the next batch still has to fetch.
    upto = min(response.last_mutation_id, batch[-1].id)
    results = {r.id: r for r in response.results}
    acknowledged = rejected = conflicts = 0
    with store.write() as db:
        for mutation in batch:
            if mutation.id > upto:
                break
            acknowledged += 1
            result = results.get(mutation.id)
            if result is None:
                log.warning("the server acknowledged mutation %s without a result", mutation.id)
            elif result.status == "rejected":
                rejected += 1
                log.info("mutation %s (%s) rejected: %s %s", mutation.id, mutation.name, result.code, result.detail)
                record_rejection(db, mutation, result)
            elif result.conflicts:
                conflicts += 1
                record_conflict(db, mutation, result)
        remove_acknowledged(db, upto)
        save_state(db, last_mutation_id=response.last_mutation_id)
    return acknowledged, rejected, conflicts


def _out_of_step(expected: int, first_pending: int, acknowledged_before: int) -> OutboxOutOfStep:
    # The server waits for an id the outbox no longer has. Sending ours under new ids could
    # apply twice what the server lost track of, so pushing stops until a person decides.
    if acknowledged_before >= expected:
        cause = (
            f"the server had acknowledged up to {acknowledged_before}, so it no longer knows this device's "
            "history: it was registered anew or its database was restored from a backup"
        )
    else:
        cause = "the device's outbox lacks those ids"
    message = (
        f"the server expects mutation {expected} but the oldest unsent one on this device is "
        f"{first_pending}: {cause}. Unsent work is kept on the device; contact support."
    )
    log.error("push stopped: %s", message)
    return OutboxOutOfStep(message, expected=expected, first_pending=first_pending)


__all__ = ["PushApi", "PushResult", "fit_batch", "push_outbox"]
