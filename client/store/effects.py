"""Local effects of mutations: what each outbox mutation writes to the device's own tables.

One function per mutation name, `EFFECTS[name]`, turns the mutation's args into rows. It
runs when the seller records something — together with the outbox row, in one transaction
(`record`, DESIGN §4.3) — and again after every pulled page that touched the same row, so a
pending local edit stays visible on top of the server's state until the server has it
(`reapply_pending`, DESIGN §4.7). Effects are idempotent: applying one twice changes nothing.

A row the server never sent keeps `_version` 0; a local edit of a pulled row keeps the
server's `_version`, which is the version the edit was based on.
"""

import json
import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from pydantic import ValidationError
from pydantic_core import to_jsonable_python
from sqlite_utils import Database

from client.store.outbox import enqueue
from client.store.prospect_rows import PROSPECTS, mirror_prospects
from client.store.schema import BUCKET_COLUMN, FIELD_TABLES, ID_COLUMN, VERSION_COLUMN, stored_value
from shared.errors import ValidationFailed
from shared.invalid_input import problem_lines
from shared.models import Claim, CompetitorObservation, Opportunity, QuoteStatus, Record, Visit
from shared.models.field import (
    ApprovalDecision,
    ApprovalRequest,
    EmailDelivery,
    Lead,
    LostSale,
    Order,
    Prospect,
    Quote,
    VisitComment,
)
from shared.protocol import MutationName
from shared.rules.quote_lifecycle import OUTCOME_STATUSES

if TYPE_CHECKING:  # database.py imports changes.py, which imports this module
    from client.store.database import Store

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Record)

OPPORTUNITY_SERVER_OWNED = frozenset({"id", "version", "seller_login", "customer_code"})
"""Opportunity fields an edit never changes (the server ignores them in a merge too)."""

Target = tuple[str, str]
"""(entity, id) of the row a mutation writes, as the change log names it."""


@dataclass(frozen=True, slots=True)
class Effect:
    """How one mutation name touches the device's tables."""

    target: Callable[[Mapping[str, Any]], Target]
    """The row the mutation writes; raises ValidationFailed for malformed args."""
    apply: Callable[[Database, Mapping[str, Any]], None]
    """Write the mutation's rows (idempotent)."""
    undo: Callable[[Database, Mapping[str, Any]], None]
    """Take back a mutation the server refused, as far as the device can (see each one)."""


def parse_record(model: type[R], args: Mapping[str, Any], key: str) -> R:
    """Validate `args[key]` as `model`, or raise ValidationFailed naming the bad fields."""
    value = args.get(key)
    if not isinstance(value, Mapping):
        raise ValidationFailed(f"the mutation needs a {key!r} object")
    try:
        return model.model_validate(dict(value))
    except ValidationError as exc:
        problems = "; ".join(problem_lines(exc.errors()))
        raise ValidationFailed(f"invalid {key}: {problems}") from None


def _columns(db: Database, table: str) -> list[str]:
    return [r[1] for r in db.execute(f'PRAGMA table_info("{table}")').fetchall()]


def upsert_row(db: Database, table: str, data: Mapping[str, Any]) -> None:
    """Insert a row (as local, `_version` 0) or overwrite its fields, keeping its `_version`."""
    fields = [c for c in _columns(db, table) if c not in (ID_COLUMN, VERSION_COLUMN, BUCKET_COLUMN)]
    names = ", ".join(f'"{c}"' for c in (ID_COLUMN, *fields, VERSION_COLUMN))
    marks = ", ".join("?" for _ in range(len(fields) + 2))
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in fields)
    db.execute(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT({ID_COLUMN}) DO UPDATE SET {updates}',
        [data[ID_COLUMN], *(stored_value(data.get(c)) for c in fields), 0],
    )


def update_fields(db: Database, table: str, row_id: str, values: Mapping[str, Any]) -> None:
    """Overwrite some fields of an existing row (unknown field names are ignored)."""
    known = set(_columns(db, table)) - {ID_COLUMN, VERSION_COLUMN, BUCKET_COLUMN}
    names = [n for n in values if n in known]
    if names:
        assignments = ", ".join(f'"{n}" = ?' for n in names)
        db.execute(
            f'UPDATE "{table}" SET {assignments} WHERE {ID_COLUMN} = ?',
            [*(stored_value(values[n]) for n in names), row_id],
        )


def row_version(db: Database, table: str, row_id: str) -> int | None:
    """The server version a stored row is at (0: recorded here only), None if absent."""
    row = db.execute(f'SELECT "{VERSION_COLUMN}" FROM "{table}" WHERE {ID_COLUMN} = ?', [row_id]).fetchone()
    return None if row is None else int(row[0])


def _delete_if_local(db: Database, table: str, row_id: str) -> None:
    # Only a row the server never sent: a pulled row stays as the server last said.
    db.execute(f'DELETE FROM "{table}" WHERE {ID_COLUMN} = ? AND "{VERSION_COLUMN}" = 0', [row_id])


def _target_of(entity: str, key: str) -> Callable[[Mapping[str, Any]], Target]:
    def target(args: Mapping[str, Any]) -> Target:
        value = args.get(key)
        try:
            return entity, str(UUID(str(value["id"])))  # type: ignore[index]
        except (TypeError, KeyError, ValueError):
            raise ValidationFailed(f"the mutation's {key!r} has no valid id") from None

    return target


def _authored(model: type[Record], key: str) -> Effect:
    """Visits, observations, claims: the device's record replaces the row (author-owned)."""
    table = FIELD_TABLES[model.ENTITY]

    def apply(db: Database, args: Mapping[str, Any]) -> None:
        upsert_row(db, table, parse_record(model, args, key).to_data())

    def undo(db: Database, args: Mapping[str, Any]) -> None:
        # A refused record the server never had disappears; one it has (a refused
        # completion of an accepted visit) keeps the device's text until the server's next
        # change of that row — the issue keeps the refused args for the seller.
        _delete_if_local(db, table, _target_of(model.ENTITY, key)(args)[1])

    return Effect(target=_target_of(model.ENTITY, key), apply=apply, undo=undo)


_OPPORTUNITIES = FIELD_TABLES[Opportunity.ENTITY]


def _edited_fields(args: Mapping[str, Any]) -> dict[str, Any]:
    base = args.get("base")
    return {k: v for k, v in base.items() if k not in OPPORTUNITY_SERVER_OWNED} if isinstance(base, Mapping) else {}


def _apply_opportunity(db: Database, args: Mapping[str, Any]) -> None:
    data = parse_record(Opportunity, args, "opportunity").to_data()
    if args.get("base_version") is None or row_version(db, _OPPORTUNITIES, data[ID_COLUMN]) is None:
        upsert_row(db, _OPPORTUNITIES, data)
        return
    # Only the fields the seller changed, as the server merges them: a field changed on
    # the server since (and pulled) keeps the server's value on the device too.
    update_fields(db, _OPPORTUNITIES, data[ID_COLUMN], {f: data[f] for f in _edited_fields(args) if f in data})


def _undo_opportunity(db: Database, args: Mapping[str, Any]) -> None:
    row_id = _target_of(Opportunity.ENTITY, "opportunity")(args)[1]
    _delete_if_local(db, _OPPORTUNITIES, row_id)
    # `base` holds what the edited fields were before this edit.
    update_fields(db, _OPPORTUNITIES, row_id, _edited_fields(args))


_QUOTES = FIELD_TABLES[Quote.ENTITY]


def _quote_target(args: Mapping[str, Any]) -> Target:
    # Every quote mutation changes the quote's row: a pulled quote re-applies them all, in order.
    value = args.get("quote_id")
    if value is None and isinstance(args.get("request"), Mapping):
        value = args["request"].get("quote_id")
    try:
        return Quote.ENTITY, str(UUID(str(value)))
    except ValueError:
        raise ValidationFailed("the mutation names no valid quote_id") from None


def _set_quote_fields(db: Database, args: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    update_fields(db, _QUOTES, _quote_target(args)[1], values)


def _restore_status(db: Database, args: Mapping[str, Any], expected: str) -> None:
    # Back to the status the device showed before, unless the server has said otherwise since.
    before = args.get("from_status")
    if isinstance(before, str):
        db.execute(
            f'UPDATE "{_QUOTES}" SET status = ? WHERE id = ? AND status = ?', [before, _quote_target(args)[1], expected]
        )


def _apply_request(db: Database, args: Mapping[str, Any]) -> None:
    request = parse_record(ApprovalRequest, args, "request")
    upsert_row(db, FIELD_TABLES[ApprovalRequest.ENTITY], request.to_data())
    _set_quote_fields(db, args, {"status": QuoteStatus.PENDING_APPROVAL.value})


def _undo_request(db: Database, args: Mapping[str, Any]) -> None:
    _delete_if_local(db, FIELD_TABLES[ApprovalRequest.ENTITY], _target_of(ApprovalRequest.ENTITY, "request")(args)[1])
    _restore_status(db, args, QuoteStatus.PENDING_APPROVAL.value)


def _apply_send(db: Database, args: Mapping[str, Any]) -> None:
    delivery = parse_record(EmailDelivery, args, "delivery")
    upsert_row(db, FIELD_TABLES[EmailDelivery.ENTITY], delivery.to_data())
    _set_quote_fields(db, args, {"status": QuoteStatus.SENT.value})


def _undo_send(db: Database, args: Mapping[str, Any]) -> None:
    _delete_if_local(db, FIELD_TABLES[EmailDelivery.ENTITY], _target_of(EmailDelivery.ENTITY, "delivery")(args)[1])
    _restore_status(db, args, QuoteStatus.SENT.value)


OUTCOME_VALUES = frozenset(s.value for s in OUTCOME_STATUSES)
_ANSWER_FIELDS = (
    "lost_reason",
    "lost_note",
    "competitor",
    "competitor_price",
    "competitor_lines",
    "customer_po",
    "requested_delivery",
)


def _apply_mark(db: Database, args: Mapping[str, Any]) -> None:
    status = args.get("status")
    if status not in OUTCOME_VALUES:
        raise ValidationFailed(f"mark_quote takes accepted, lost, expired or withdrawn, not {status!r}")
    _set_quote_fields(db, args, {"status": status, **{k: args.get(k) for k in _ANSWER_FIELDS if k in args}})
    if status == QuoteStatus.ACCEPTED and args.get("order_id"):
        # The order the server makes from the quote, under the id the device chose for it.
        quote_id = _quote_target(args)[1]
        row = db.execute(
            f'SELECT customer_code, seller_login, currency, gross_total, customer_po, requested_delivery FROM "{_QUOTES}" '
            "WHERE id = ?",
            [quote_id],
        ).fetchone()
        if row is not None:
            order = Order(
                id=UUID(_order_id(args)),
                quote_id=UUID(quote_id),
                customer_code=row[0],
                seller_login=row[1],
                currency=row[2],
                gross_total=row[3],
                customer_po=row[4] or "",
                requested_delivery=row[5],
            )
            upsert_row(db, FIELD_TABLES[Order.ENTITY], order.to_data())


def _order_id(args: Mapping[str, Any]) -> str:
    try:
        return str(UUID(str(args.get("order_id"))))
    except ValueError:
        raise ValidationFailed("mark_quote's order_id is not a UUID") from None


def _undo_mark(db: Database, args: Mapping[str, Any]) -> None:
    if args.get("order_id"):
        _delete_if_local(db, FIELD_TABLES[Order.ENTITY], _order_id(args))
    _restore_status(db, args, str(args.get("status")))


def _prospect_target(args: Mapping[str, Any]) -> Target:
    value = args.get("prospect")
    code = value.get("code") if isinstance(value, Mapping) else None
    if not isinstance(code, str) or not code.strip():
        raise ValidationFailed("the mutation's 'prospect' has no code")
    return Prospect.ENTITY, code.strip()


def _apply_prospect(db: Database, args: Mapping[str, Any]) -> None:
    prospect = parse_record(Prospect, args, "prospect")
    upsert_row(db, PROSPECTS, {ID_COLUMN: prospect.record_id(), **prospect.to_data()})
    mirror_prospects(db, [prospect.code])


def _undo_prospect(db: Database, args: Mapping[str, Any]) -> None:
    code = _prospect_target(args)[1]
    _delete_if_local(db, PROSPECTS, code)
    mirror_prospects(db, [code])


def _decision_effect() -> Effect:
    """A manager's decision: only its own row until the server has it. The quote keeps the
    server's status (pending approval) meanwhile, so a refused decision leaves nothing to
    take back but the row, and the inbox shows the request as decided here, waiting to sync."""
    table = FIELD_TABLES[ApprovalDecision.ENTITY]

    def apply(db: Database, args: Mapping[str, Any]) -> None:
        upsert_row(db, table, parse_record(ApprovalDecision, args, "decision").to_data())

    def undo(db: Database, args: Mapping[str, Any]) -> None:
        _delete_if_local(db, table, _target_of(ApprovalDecision.ENTITY, "decision")(args)[1])

    return Effect(target=_target_of(ApprovalDecision.ENTITY, "decision"), apply=apply, undo=undo)


EFFECTS: dict[str, Effect] = {
    MutationName.RECORD_VISIT: _authored(Visit, "visit"),
    MutationName.RECORD_OBSERVATION: _authored(CompetitorObservation, "observation"),
    MutationName.RECORD_CLAIM: _authored(Claim, "claim"),
    MutationName.SAVE_OPPORTUNITY: Effect(
        target=_target_of(Opportunity.ENTITY, "opportunity"),
        apply=_apply_opportunity,
        undo=_undo_opportunity,
    ),
    MutationName.RECORD_LOST_SALE: _authored(LostSale, "lost_sale"),
    MutationName.ADD_VISIT_COMMENT: _authored(VisitComment, "comment"),
    MutationName.SAVE_QUOTE: _authored(Quote, "quote"),
    # A colleague's draft taken over: locally, the new quote of one's own, as saved.
    MutationName.TAKE_OVER_DRAFT: _authored(Quote, "quote"),
    MutationName.REQUEST_APPROVAL: Effect(target=_quote_target, apply=_apply_request, undo=_undo_request),
    MutationName.SEND_QUOTE: Effect(target=_quote_target, apply=_apply_send, undo=_undo_send),
    MutationName.MARK_QUOTE: Effect(target=_quote_target, apply=_apply_mark, undo=_undo_mark),
    MutationName.SAVE_LEAD: _authored(Lead, "lead"),
    MutationName.SAVE_PROSPECT: Effect(target=_prospect_target, apply=_apply_prospect, undo=_undo_prospect),
    MutationName.DECIDE_APPROVAL: _decision_effect(),
}
"""Mutation name → local effect. Every mutation a service records needs one."""


def _effect(name: str) -> Effect:
    try:
        return EFFECTS[name]
    except KeyError:
        raise ValueError(f"no local effect is registered for the mutation {name!r}") from None


def target_of(name: str, args: Mapping[str, Any]) -> Target | None:
    """The row a mutation writes, or None (no effect registered, or malformed args)."""
    effect = EFFECTS.get(name)
    if effect is None:
        return None
    try:
        return effect.target(args)
    except ValidationFailed:
        return None


def record(store: "Store", name: MutationName | str, args: Mapping[str, Any]) -> int:
    """Write a mutation's rows and enqueue it in ONE transaction; return its mutation_id.

    Raises ValidationFailed (nothing written) if the args do not make a valid record.
    """
    # The effect sees the args exactly as the outbox stores them, so re-applying the
    # stored mutation later writes the very same row.
    payload = to_jsonable_python(dict(args))
    effect = _effect(str(MutationName(name)))
    with store.write() as db:
        effect.apply(db, payload)
        return enqueue(db, name, payload)


def reapply_pending(db: Database, touched: Collection[Target] | None = None) -> int:
    """Re-apply pending mutations (all, or those writing a `touched` row) in id order.

    Runs in the caller's transaction, after pulled server state was written. A stored
    mutation that no longer parses is skipped (logged), never allowed to block a pull.
    """
    reapplied = 0
    for mutation_id, name, text in db.execute("SELECT mutation_id, name, args FROM outbox ORDER BY mutation_id"):
        effect = EFFECTS.get(name)
        if effect is None:
            continue
        args = json.loads(text)
        try:
            if touched is not None and effect.target(args) not in touched:
                continue
            effect.apply(db, args)
        except ValidationFailed as exc:
            log.warning("pending mutation %s (%s) cannot be shown locally: %s", mutation_id, name, exc.detail)
            continue
        reapplied += 1
    return reapplied


def undo_effect(db: Database, name: str, args: Mapping[str, Any]) -> None:
    """Take back the local rows of a refused mutation, then re-apply later pending ones."""
    effect = EFFECTS.get(name)
    if effect is None:
        return
    try:
        target = effect.target(args)
        effect.undo(db, args)
    except ValidationFailed:
        return  # it never wrote a row
    reapply_pending(db, {target})


__all__ = [
    "EFFECTS",
    "OPPORTUNITY_SERVER_OWNED",
    "Effect",
    "Target",
    "parse_record",
    "reapply_pending",
    "record",
    "row_version",
    "target_of",
    "undo_effect",
    "update_fields",
    "upsert_row",
]
