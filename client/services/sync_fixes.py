"""Fixing a change the server refused: the seller corrects it in the form they recorded it
with, and the corrected change goes out as a new mutation through the normal outbox.

A refusal keeps the mutation's args, i.e. everything the seller recorded. The fix starts
from the newest open refusal of the same record: visits and observations are sent whole,
and a later opportunity save carries the fields of the earlier ones, so the newest one is
what the seller last saw. The corrected record is validated like a new one, then recorded
(row and outbox) and every open refusal of that record is marked resolved, all in ONE
transaction: either the fix is queued with its issues closed, or nothing changed at all
(ValidationFailed names the field, and the form keeps what the seller typed).

Quotes are fixed in the quote builder (a new version, a new request or send); their
refusals stay until the seller sends them again or discards them. A manager's decision
refused because the request changed since she decided is looked at again in the approvals
inbox (its `quote_id` is the quote she decided on).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import ValidationError
from sqlite_utils import Database

from client.services.session import Session
from client.store import FIELD_TABLES, SyncIssue, get_issue, list_issues, record, resolve_issue
from client.store.effects import OPPORTUNITY_SERVER_OWNED, row_version
from shared.errors import NotFound, ValidationFailed
from shared.invalid_input import invalid_input
from shared.models import CompetitorObservation, Presence, Record, Visit, VisitOutcome
from shared.models.field import Opportunity
from shared.protocol import MutationName

FixForm = Literal["visit", "observation", "opportunity", "quote", "approval"]

FIX_FORMS: dict[str, FixForm] = {
    MutationName.RECORD_VISIT: "visit",
    MutationName.RECORD_OBSERVATION: "observation",
    MutationName.SAVE_OPPORTUNITY: "opportunity",
    MutationName.SAVE_QUOTE: "quote",
    MutationName.REQUEST_APPROVAL: "quote",
    MutationName.SEND_QUOTE: "quote",
    MutationName.MARK_QUOTE: "quote",
    MutationName.DECIDE_APPROVAL: "approval",
}
"""Mutation name → the form that fixes it; others (claims, lost sales, leads) are sent again
or discarded (a lead is moved on again from the Leads screen)."""

_RECORDS: dict[FixForm, tuple[type[Record], str, MutationName]] = {
    "visit": (Visit, "visit", MutationName.RECORD_VISIT),
    "observation": (CompetitorObservation, "observation", MutationName.RECORD_OBSERVATION),
    "opportunity": (Opportunity, "opportunity", MutationName.SAVE_OPPORTUNITY),
}


@dataclass(frozen=True, slots=True)
class RefusedChange:
    """A refused change as its fix form opens it."""

    issue_id: int
    """The newest open refusal of the record (the one the form starts from)."""
    form: FixForm
    record: Visit | CompetitorObservation | Opportunity | None
    """What the seller recorded, to fill the form; None for a quote."""
    quote_id: UUID | None
    """For a quote: the quote to open in the builder; for a decision: the quote decided on."""
    issue_ids: tuple[int, ...]
    """Every open refusal of the same record, oldest first: a fix resolves them all."""


def fix_form(issue: SyncIssue) -> FixForm | None:
    """The form that fixes an open refusal, or None (only send again or discard)."""
    if issue.kind != "rejected" or not issue.is_open or issue.name is None or issue.entity_id is None:
        return None
    return FIX_FORMS.get(issue.name)


def refused_change(session: Session, issue_id: int) -> RefusedChange:
    """What the fix form of a refusal shows (NotFound when it is no longer open)."""
    with session.store.read() as db:
        return _refused(db, issue_id)[0]


def fix_visit(
    session: Session, issue_id: int, *, purpose: str, notes: str, outcome: VisitOutcome, next_step: str
) -> Visit:
    """Send a refused visit again with the seller's corrections."""
    changes = {
        "purpose": purpose.strip(),
        "notes": notes.strip(),
        "outcome": VisitOutcome(outcome),
        "next_step": next_step.strip(),
    }
    return _fix(session, issue_id, "visit", changes)


def fix_observation(
    session: Session,
    issue_id: int,
    *,
    competitor: str,
    sku: str | None,
    category_code: str | None,
    observed_price: Decimal | None,
    currency: str | None,
    presence: Presence,
    notes: str,
) -> CompetitorObservation:
    """Send a refused competitor observation again with the seller's corrections (photos kept)."""
    if not competitor.strip():
        raise ValidationFailed("name the competitor", key="problem.observation.no_competitor", field="competitor")
    changes = {
        "competitor": competitor.strip(),
        "sku": (sku or "").strip() or None,
        "category_code": category_code or None,
        "observed_price": observed_price,
        "presence": Presence(presence),
        "notes": notes.strip(),
    }
    if observed_price is None:
        changes["currency"] = None
    elif currency:
        changes["currency"] = currency
    return _fix(session, issue_id, "observation", changes)


def fix_opportunity(
    session: Session,
    issue_id: int,
    *,
    title: str,
    value: Decimal,
    probability_percent: Decimal,
    expected_close: date | None,
) -> Opportunity:
    """Send a refused opportunity (a creation or an edit) again with the seller's corrections."""
    if not title.strip():
        raise ValidationFailed("give the opportunity a title", key="problem.opportunity.no_title", field="title")
    changes = {
        "title": title.strip(),
        "value": value,
        "probability_percent": probability_percent,
        "expected_close": expected_close,
    }
    return _fix(session, issue_id, "opportunity", changes)


def _fix(session: Session, issue_id: int, form: FixForm, changes: dict[str, Any]) -> Any:
    model, key, name = _RECORDS[form]
    with session.store.write() as db:
        refused, issues = _refused(db, issue_id)
        if refused.form != form or refused.record is None:
            raise ValidationFailed(f"this change is not fixed in the {form} form")
        fixed = _validated(model, {**refused.record.to_data(), **changes})
        if isinstance(refused.record, Opportunity) and isinstance(fixed, Opportunity):
            args = _opportunity_args(db, issues, refused.record, fixed)
        else:
            args = {key: fixed.to_data()}
        record(session.store, name, args)  # a savepoint of this transaction
        for open_id in refused.issue_ids:
            resolve_issue(db, open_id)
    session.notify_local_write()
    return fixed


def _refused(db: Database, issue_id: int) -> tuple[RefusedChange, list[SyncIssue]]:
    """The change as its form opens it, and every open refusal of its record (oldest first)."""
    issue = get_issue(db, issue_id)
    if issue is None or not issue.is_open:
        raise NotFound(f"sync issue {issue_id} is not open")
    form = fix_form(issue)
    if form is None:
        raise ValidationFailed("this change can only be sent again or discarded")
    same = [
        i
        for i in list_issues(db)
        if i.kind == "rejected" and (i.entity, i.entity_id) == (issue.entity, issue.entity_id)
    ]
    same.sort(key=lambda i: i.mutation_id or 0)
    newest, ids = same[-1], tuple(i.id for i in same)
    if form == "quote":
        return RefusedChange(newest.id, form, None, UUID(str(issue.entity_id)), ids), same
    if form == "approval":
        return RefusedChange(newest.id, form, None, UUID(str((newest.args or {}).get("quote_id"))), ids), same
    model, key, _name = _RECORDS[form]
    seen = _validated(model, (newest.args or {}).get(key) or {})
    return RefusedChange(newest.id, form, seen, None, ids), same


def _opportunity_args(db: Database, issues: list[SyncIssue], seen: Opportunity, fixed: Opportunity) -> dict[str, Any]:
    data = fixed.to_data()
    if row_version(db, FIELD_TABLES[Opportunity.ENTITY], data["id"]) in (None, 0):
        # The server never had it: send it whole, as a creation.
        return {"opportunity": {**data, "version": 1}, "base_version": None, "base": {}}
    # An edit: the refused edits' starting values (the oldest per field) plus, for a field
    # only this fix changes, the value the seller saw, so the server merges as for any edit.
    base: dict[str, Any] = {}
    for issue in issues:
        for field, value in ((issue.args or {}).get("base") or {}).items():
            base.setdefault(field, value)
    before = seen.to_data()
    for field, value in data.items():
        if field not in OPPORTUNITY_SERVER_OWNED and field not in base and before.get(field) != value:
            base[field] = before.get(field)
    base_version = next((v for i in issues if (v := (i.args or {}).get("base_version"))), None)
    return {"opportunity": data, "base_version": base_version, "base": base}


def _validated(model: type[Record], data: dict[str, Any]) -> Any:
    """The record, or ValidationFailed naming the first field that is wrong (`field` extra)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_input(exc) from None


__all__ = [
    "FIX_FORMS",
    "FixForm",
    "RefusedChange",
    "fix_form",
    "fix_observation",
    "fix_opportunity",
    "fix_visit",
    "refused_change",
]
