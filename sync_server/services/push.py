"""Push (DESIGN §4.4): exactly-once application of a device's mutations.

Each mutation runs in its own transaction that locks the device row: an id already
processed returns the ledger's stored result (also after a lost response), an id past
the next expected one is a gap (409 with the expected id), and otherwise the handler
runs in a savepoint. A permanent rejection (validation, scope, state machine) is
recorded and still advances the id, so one bad mutation never blocks the ones after
it; a transient failure stops the batch with a retryable 503.
"""

import json
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import DBAPIError

from shared.errors import DomainError, MutationGap, PermissionDenied, RetryLater, ValidationFailed
from shared.protocol import Mutation, MutationResult, PushRequest, PushResponse
from sync_server.repository.database import write_transaction
from sync_server.repository.tables import devices, mutations
from sync_server.services.auth import Principal
from sync_server.services.mutations import HANDLERS, Applied


def push(engine: Engine, principal: Principal, request: PushRequest) -> PushResponse:
    """Apply a batch of mutations in id order; returns the result of each."""
    if str(request.client_id) != principal.client_id:
        raise PermissionDenied("this token belongs to another device", key="problem.sync.other_device")
    results: list[MutationResult] = []
    last = 0
    for mutation in request.mutations:
        try:
            with write_transaction(engine) as conn:
                result, last = _process(conn, principal, mutation)
        except DBAPIError as exc:
            # Lock timeouts, serialization failures, a lost connection: nothing of this
            # mutation was committed, so the device simply sends it again.
            raise RetryLater("the server is busy; the sync will retry", last_mutation_id=last,
                             results=[r.model_dump() for r in results]) from exc
        results.append(result)
    if not request.mutations:
        with engine.connect() as conn:
            last = _last_mutation_id(conn, principal.client_id, lock=False)
    return PushResponse(last_mutation_id=last, results=results)


def _process(conn: Connection, principal: Principal, mutation: Mutation) -> tuple[MutationResult, int]:
    last = _last_mutation_id(conn, principal.client_id, lock=True)
    if mutation.id <= last:
        return _stored_result(conn, principal.client_id, mutation.id), last
    if mutation.id != last + 1:
        raise MutationGap(f"expected mutation {last + 1}, got {mutation.id}", expected=last + 1)
    handler = HANDLERS.get(mutation.name)
    try:
        if handler is None:
            # A newer app's mutation: reject it alone so the rest of the outbox still flows.
            raise ValidationFailed(f"this server does not know the mutation {mutation.name!r}; update the server",
                                   key="problem.sync.unknown_mutation", params={"name": mutation.name})
        with conn.begin_nested():
            applied = handler(conn, principal, mutation.args) or Applied()
        result = MutationResult(id=mutation.id, status="applied", conflicts=applied.conflicts,
                                detail=applied.detail)
    except DomainError as exc:
        result = MutationResult(id=mutation.id, status="rejected", code=exc.code, detail=exc.detail,
                                key=exc.key, params=exc.params)
    conn.execute(insert(mutations).values(
        client_id=principal.client_id, mutation_id=mutation.id, name=mutation.name[:40], status=result.status,
        code=result.code, detail=result.detail, result=json.dumps(result.model_dump(mode="json")),
        processed_at=datetime.now(timezone.utc),
    ))
    conn.execute(update(devices).where(devices.c.client_id == principal.client_id)
                 .values(last_mutation_id=mutation.id, last_seen_at=datetime.now(timezone.utc)))
    return result, mutation.id


def _last_mutation_id(conn: Connection, client_id: str, lock: bool) -> int:
    query = select(devices.c.last_mutation_id).where(devices.c.client_id == client_id)
    if lock:
        # PostgreSQL: two server processes handling the same device serialise here.
        query = query.with_for_update()
    value = conn.execute(query).scalar()
    if value is None:
        raise PermissionDenied("unknown device; sign in again", key="problem.sync.unknown_device")
    return int(value)


def _stored_result(conn: Connection, client_id: str, mutation_id: int) -> MutationResult:
    stored = conn.execute(select(mutations.c.result).where(
        mutations.c.client_id == client_id, mutations.c.mutation_id == mutation_id)).scalar()
    if stored is None:
        # Processed before the ledger kept it (or pruned): it was applied or rejected once.
        return MutationResult(id=mutation_id, status="applied", detail="already processed")
    return MutationResult.model_validate(json.loads(stored))


__all__ = ["push"]
