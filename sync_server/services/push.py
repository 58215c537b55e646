"""Push (DESIGN §4.4): exactly-once application of a device's mutations.

Each envelope of a batch is judged on its own, in id order: an id already processed
returns the ledger's stored result (also after a lost response), an id past the next
expected one is a gap (409 with the expected id), and otherwise the mutation is applied or
rejected:

- applied: the handler's writes commit with the ledger row;
- rejected with a reason, recorded, and the id still advances, so one bad mutation never
  blocks the ones after it (the handler's writes are rolled back and the rejection
  written in a new transaction that claims the id again): a domain error (validation,
  scope, state machine), an envelope that cannot be read (`invalid_mutation`), a value the
  database refuses (`invalid_value`), or a server bug on this input (`internal_error`,
  logged with a reference);
- retried: only for transient trouble (lost connection, serialization failure, deadlock,
  lock timeout, a busy SQLite), the batch stops with a retryable 503 and what committed
  before stays committed.

Two ways, with the same results. The usual batch (envelopes already processed, then new
ones that all apply) runs in one transaction (`_push_together`): the device row locked
once, stored results read in one query, the ledger rows and the new last id written in
one statement each, one commit. As soon as anything else happens in it (a rejection, a
gap, any error), it is rolled back whole and the batch is judged one envelope at a time
(`_push_one_by_one`), each in its own transaction that claims the id on the device row
(one conditional UPDATE, which also locks the row). That way a rejection's reason, a gap's
409 and a transient error's 503 come from one place, and a batch that applied together
gives what the one-by-one path would have given.

The whole batch uses one database connection; change-log writes are held back to the end
of each transaction (`repository.pending`), so the change-log lock is held for the last
statements only.
"""

import json
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from shared.errors import (
    DomainError,
    InvalidMutation,
    InvalidValue,
    MutationGap,
    PermissionDenied,
    RetryLater,
    ServerFault,
    ValidationFailed,
)
from shared.invalid_input import problem_lines
from shared.protocol import MAX_PUSH_MUTATIONS, Mutation, MutationResult, PushResponse
from sync_server.repository import ledger
from sync_server.repository.database import Connection, DatabaseError, Engine, write_transaction_on
from sync_server.repository.errors import is_data_error, is_transient
from sync_server.repository.pending import held_back
from sync_server.services.auth import Principal
from sync_server.services.authorization import check_mutation_owner
from sync_server.services.mutations import HANDLERS, Applied

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Envelope:
    """One envelope of a push: its id, and the mutation or why it cannot be read."""

    id: int
    mutation: Mutation | None
    problem: str | None = None

    @property
    def name(self) -> str:
        """The mutation's name as the ledger keeps it."""
        return self.mutation.name if self.mutation is not None else "unreadable"


def read_envelopes(raw: list[Any]) -> list[Envelope]:
    """Each envelope of a batch, read on its own.

    One whose `name` or `args` cannot be read still has its place in the outbox's order and
    is rejected alone; one without a readable id cannot be placed at all, and makes the
    whole request invalid (a conforming app takes ids from its outbox sequence).
    """
    if len(raw) > MAX_PUSH_MUTATIONS:
        raise ValidationFailed(f"a push may carry at most {MAX_PUSH_MUTATIONS} mutations")
    envelopes = []
    for index, item in enumerate(raw):
        mutation_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(mutation_id, int) or isinstance(mutation_id, bool) or mutation_id < 1:
            raise ValidationFailed(
                f"mutations[{index}] has no id (a positive integer); nothing was applied", index=index
            )
        try:
            envelopes.append(Envelope(mutation_id, Mutation.model_validate(item)))
        except ValidationError as exc:
            envelopes.append(Envelope(mutation_id, None, _problems(exc)))
    return envelopes


def push(engine: Engine, principal: Principal, client_id: str, envelopes: list[Envelope]) -> PushResponse:
    """Apply a batch of envelopes in id order; returns the result of each."""
    if client_id != principal.client_id:
        raise PermissionDenied("this token belongs to another device", key="problem.sync.other_device")
    with engine.connect() as conn:
        if not envelopes:
            last = _last_mutation_id(conn, principal.client_id)
            conn.rollback()
            return PushResponse(last_mutation_id=last, results=[])
        together = _push_together(conn, principal, envelopes)
        if together is not None:
            return together
        return _push_one_by_one(conn, principal, envelopes)


def _push_together(conn: Connection, principal: Principal, envelopes: list[Envelope]) -> PushResponse | None:
    """The usual batch, in one transaction: envelopes already processed, then new ones that
    all apply. None, with nothing of it written, as soon as anything else happens (a
    rejection, a gap, an error of any kind): the caller then judges the envelopes one by one.

    Per batch instead of per envelope: the device row's lock, the stored results (one
    query), the ledger rows and the device's new last id (one statement each), the change
    log and its totals, and the commit. A handler sees the writes of the envelopes before
    it, as it would once they were committed.
    """
    client_id = principal.client_id
    try:
        with write_transaction_on(conn) as tx, held_back(tx):
            last = ledger.lock_device(tx, client_id)
            if last is None:
                raise _NotTogether
            stored = ledger.stored_results(tx, client_id, [e.id for e in envelopes if e.id <= last])
            results: list[MutationResult] = []
            rows: list[ledger.LedgerRow] = []
            for envelope in envelopes:
                if envelope.id <= last:
                    results.append(_answered(envelope.id, stored.get(envelope.id)))
                    continue
                if envelope.id != last + len(rows) + 1:
                    raise _NotTogether  # a gap, or ids out of order: the one-by-one path answers
                applied = _run(tx, principal, envelope)
                result = MutationResult(
                    id=envelope.id, status="applied", conflicts=applied.conflicts, detail=applied.detail
                )
                results.append(result)
                rows.append(_ledger_row(envelope, result))
            if rows and not ledger.record_and_advance(tx, client_id, rows, last):
                raise _NotTogether  # cannot happen while the row is locked; never guess
    except Exception as exc:
        # Nothing of the batch was committed (if the commit's answer was lost, the ledger
        # says what it did): judged one by one, which says why, and logs a server fault.
        log.debug("push batch of %s judged one by one: %r", client_id, exc)
        return None
    return PushResponse(last_mutation_id=last + len(rows), results=results)


class _NotTogether(Exception):
    """The batch needs judging one envelope at a time."""


def _push_one_by_one(conn: Connection, principal: Principal, envelopes: list[Envelope]) -> PushResponse:
    """Each envelope in its own transaction: applied, rejected with its reason, or (transient
    trouble) the batch stops with a retryable error and what committed before stays."""
    results: list[MutationResult] = []
    last = 0
    for envelope in envelopes:
        try:
            try:
                with write_transaction_on(conn), held_back(conn):
                    result, last = _process(conn, principal, envelope)
            except _Rejected as rejected:  # its transaction was rolled back whole
                with write_transaction_on(conn):
                    result, last = _reject(conn, principal, envelope, rejected.error)
        except DatabaseError as exc:
            # Lock timeouts, serialization failures, a lost connection: nothing of this
            # mutation was committed, so the device simply sends it again.
            raise RetryLater(
                "the server is busy; the sync will retry",
                last_mutation_id=last,
                results=[r.model_dump() for r in results],
            ) from exc
        results.append(result)
    return PushResponse(last_mutation_id=last, results=results)


class _Rejected(Exception):
    """Raised out of a mutation's transaction so it rolls back; carries the reason."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.detail)
        self.error = error


def _process(conn: Connection, principal: Principal, envelope: Envelope) -> tuple[MutationResult, int]:
    answered = _claim(conn, principal, envelope.id)
    if answered is not None:
        return answered, _last_mutation_id(conn, principal.client_id)
    try:
        applied = _apply(conn, principal, envelope)
    except DomainError as exc:
        raise _Rejected(exc) from None
    result = MutationResult(id=envelope.id, status="applied", conflicts=applied.conflicts, detail=applied.detail)
    _record(conn, principal, envelope, result)
    return result, envelope.id


def _reject(
    conn: Connection, principal: Principal, envelope: Envelope, error: DomainError
) -> tuple[MutationResult, int]:
    answered = _claim(conn, principal, envelope.id)  # another request may have answered it meanwhile
    if answered is not None:
        return answered, _last_mutation_id(conn, principal.client_id)
    result = MutationResult(
        id=envelope.id,
        status="rejected",
        code=error.code,
        detail=_printable(error.detail),
        key=error.key,
        params=error.params,
    )
    _record(conn, principal, envelope, result)
    return result, envelope.id


def _claim(conn: Connection, principal: Principal, mutation_id: int) -> MutationResult | None:
    """Make `mutation_id` this device's last one if it is the next; else its stored result
    (already processed) or MutationGap. One UPDATE on the happy path, which also locks the
    device row (PostgreSQL: two server processes handling one device serialise here)."""
    if ledger.claim_mutation(conn, principal.client_id, mutation_id):
        return None
    last = _last_mutation_id(conn, principal.client_id)
    if mutation_id <= last:
        return _stored_result(conn, principal.client_id, mutation_id)
    raise MutationGap(f"expected mutation {last + 1}, got {mutation_id}", expected=last + 1)


def _record(conn: Connection, principal: Principal, envelope: Envelope, result: MutationResult) -> None:
    ledger.record_results(conn, principal.client_id, [_ledger_row(envelope, result)])


def _ledger_row(envelope: Envelope, result: MutationResult) -> ledger.LedgerRow:
    return ledger.LedgerRow(
        envelope.id,
        envelope.name,
        result.status,
        result.code,
        result.detail,
        json.dumps(result.model_dump(mode="json"), allow_nan=False),
    )


def _apply(conn: Connection, principal: Principal, envelope: Envelope) -> Applied:
    """Run the envelope's handler; every way it can fail becomes a DomainError (rejected),
    except transient database trouble, which is raised as it is (retried)."""
    try:
        return _run(conn, principal, envelope)
    except DomainError:
        raise
    except DatabaseError as exc:
        if is_transient(exc):
            raise
        if is_data_error(exc):
            reason = _printable(str(exc.orig).splitlines()[0])[:300]
            raise InvalidValue(
                f"the database refused a value: {reason}", key="problem.sync.invalid_value", params={"problems": reason}
            ) from None
        raise _fault(envelope, exc) from None
    except Exception as exc:  # a bug on this input: logged, and this mutation alone set aside
        raise _fault(envelope, exc) from None


def _run(conn: Connection, principal: Principal, envelope: Envelope) -> Applied:
    """Run the envelope's handler; what it raises, raised as it is."""
    if envelope.mutation is None:
        raise InvalidMutation(
            f"unreadable mutation: {envelope.problem}",
            key="problem.sync.invalid_mutation",
            params={"problems": envelope.problem},
        )
    mutation = envelope.mutation
    handler = HANDLERS.get(mutation.name)
    if handler is None:
        # A newer app's mutation: reject it alone so the rest of the outbox still flows.
        raise ValidationFailed(
            f"this server does not know the mutation {mutation.name!r}; update the server",
            key="problem.sync.unknown_mutation",
            params={"name": mutation.name},
        )
    check_mutation_owner(principal.login, mutation.name, mutation.args)  # also: no row, no write
    return handler(conn, principal, mutation.args) or Applied()


def _fault(envelope: Envelope, exc: BaseException) -> ServerFault:
    reference = uuid.uuid4().hex[:12]
    log.error(
        "mutation %s (%s) failed on the server, reference %s", envelope.id, envelope.name, reference, exc_info=exc
    )
    return ServerFault(
        f"the server failed on this change (reference {reference})",
        key="problem.sync.server_fault",
        params={"reference": reference},
        reference=reference,
    )


def _problems(exc: ValidationError) -> str:
    return _printable("; ".join(problem_lines(exc.errors(), where="mutation")))[:500]


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(text: str) -> str:
    """`text` safe to store and show: control characters as '?' (a NUL in text breaks PostgreSQL)."""
    return _CONTROLS.sub("?", text)


def _last_mutation_id(conn: Connection, client_id: str) -> int:
    value = ledger.last_mutation_id(conn, client_id)
    if value is None:
        raise PermissionDenied("unknown device; sign in again", key="problem.sync.unknown_device")
    return value


def _stored_result(conn: Connection, client_id: str, mutation_id: int) -> MutationResult:
    return _answered(mutation_id, ledger.stored_result(conn, client_id, mutation_id))


def _answered(mutation_id: int, stored: str | None) -> MutationResult:
    """The result of a mutation processed before, as the ledger kept it."""
    if stored is None:
        # Processed before the ledger kept it (or pruned): it was applied or rejected once.
        return MutationResult(id=mutation_id, status="applied", detail="already processed")
    return MutationResult.model_validate(json.loads(stored))


__all__ = ["Envelope", "push", "read_envelopes"]
