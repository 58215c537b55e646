"""Recording field work offline: visits, competitor observations, claims, opportunities.

Each service checks what the device can check, then `record`s the change: the row and its
outbox mutation in ONE transaction (DESIGN §4.3), and nudges the background sync. What only
the server can decide (scope of a customer that moved, merges) comes back as a sync issue.
"""

import logging
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from sqlite_utils import Database

from client.services.session import Session
from client.store import FIELD_TABLES, record, record_from_row
from client.store.effects import OPPORTUNITY_SERVER_OWNED
from shared.errors import PermissionDenied, ValidationFailed
from shared.messages import label
from shared.models import Claim, CompetitorObservation, OpportunityStage, Record, Role, Visit
from shared.models.field import Opportunity, VisitComment
from shared.protocol import MutationName

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Record)


def record_visit(session: Session, visit: Visit) -> Visit:
    """Record a visit, or complete one (check-out, notes, outcome): the whole visit is sent."""
    _check_author(session, visit.seller_login, "visit")
    return _record(session, MutationName.RECORD_VISIT, "visit", visit)


def record_observation(session: Session, observation: CompetitorObservation) -> CompetitorObservation:
    """Record a competitor observation (price, presence, notes)."""
    _check_author(session, observation.seller_login, "competitor observation")
    return _record(session, MutationName.RECORD_OBSERVATION, "observation", observation)


def record_claim(session: Session, claim: Claim) -> Claim:
    """Record a return or complaint noted on a visit."""
    _check_author(session, claim.seller_login, "claim")
    return _record(session, MutationName.RECORD_CLAIM, "claim", claim)


def record_comment(session: Session, comment: VisitComment) -> VisitComment:
    """Record a line added to a visit after it (an addendum by its seller)."""
    _check_author(session, comment.author_login, "visit comment")
    return _record(session, MutationName.ADD_VISIT_COMMENT, "comment", comment)


def save_opportunity(session: Session, opportunity: Opportunity, original: Opportunity | None = None) -> Opportunity:
    """Create an opportunity, or save an edit of one; returns it as the device now shows it.

    `original` is the opportunity as the seller began editing it (the local row when not
    given). Only fields that differ from it are the edit: they are sent with their values
    in `original` as `base` and its `version` as `base_version`, so the server merges them
    and a field changed elsewhere meanwhile is not overwritten with a stale value.
    """
    if session.role == Role.SELLER and opportunity.seller_login != session.login:
        raise PermissionDenied("an opportunity is saved by its seller", key="problem.opportunity.not_yours")
    if opportunity.stage == OpportunityStage.LOST and opportunity.lost_reason is None:
        raise ValidationFailed("a lost opportunity needs a lost reason", key="problem.opportunity.lost_needs_reason")
    with session.store.write() as db:
        current = _load(db, Opportunity, opportunity.id)
        start = original or current
        if start is None:
            saved = opportunity.model_copy(update={"version": 1})
            args: dict[str, Any] = {"opportunity": saved.to_data(), "base_version": None, "base": {}}
        else:
            if start.id != opportunity.id:
                raise ValueError("the original is another opportunity")
            if (start.customer_code, start.seller_login) != (opportunity.customer_code, opportunity.seller_login):
                raise ValidationFailed(
                    "an opportunity cannot move to another customer or seller", key="problem.opportunity.cannot_move"
                )
            changed = [
                name
                for name in Opportunity.model_fields
                if name not in OPPORTUNITY_SERVER_OWNED and getattr(start, name) != getattr(opportunity, name)
            ]
            if not changed:
                return current or start
            before, after = start.to_data(), opportunity.to_data()
            sent = {**(current or start).to_data(), **{name: after[name] for name in changed}}
            saved = Opportunity.model_validate(sent)
            args = {
                "opportunity": sent,
                "base_version": start.version,
                "base": {name: before[name] for name in changed},
            }
        record(session.store, MutationName.SAVE_OPPORTUNITY, args)  # a savepoint in this transaction
    session.notify_local_write()
    return saved


@dataclass(frozen=True, slots=True)
class CustomerActivity:
    """A customer's field data on this device, newest first (pending changes included)."""

    visits: list[Visit]
    opportunities: list[Opportunity]
    observations: list[CompetitorObservation]
    claims: list[Claim]


def customer_activity(session: Session, customer_code: str) -> CustomerActivity:
    """Visits, opportunities, observations and claims of one customer, from the device."""
    with session.store.read() as db:
        return CustomerActivity(
            # UUID v7 ids sort by creation time: the tie-breaker is "newest first" as well.
            visits=_rows(db, Visit, customer_code, "COALESCE(checked_in_at, planned_at) DESC, id DESC"),
            opportunities=_rows(db, Opportunity, customer_code, "id DESC"),
            observations=_rows(db, CompetitorObservation, customer_code, "id DESC"),
            claims=_rows(db, Claim, customer_code, "id DESC"),
        )


def get_visit(session: Session, visit_id: UUID) -> Visit | None:
    """One visit as the device shows it."""
    with session.store.read() as db:
        return _load(db, Visit, visit_id)


def get_opportunity(session: Session, opportunity_id: UUID) -> Opportunity | None:
    """One opportunity as the device shows it (keep it as `original` when editing)."""
    with session.store.read() as db:
        return _load(db, Opportunity, opportunity_id)


def _record(session: Session, name: MutationName, key: str, item: R) -> R:
    record(session.store, name, {key: item.to_data()})
    session.notify_local_write()
    return item


def _check_author(session: Session, author: str, what: str) -> None:
    if author != session.login:
        raise PermissionDenied(
            f"a {what} is recorded by its author, not {author}",
            key="problem.record.not_author",
            params={"record": label("Entity", what.replace(" ", "_")), "author": author},
        )


def _load(db: Database, model: type[R], record_id: UUID) -> R | None:
    rows = list(db.query(f'SELECT * FROM "{FIELD_TABLES[model.ENTITY]}" WHERE id = ? LIMIT 1', [str(record_id)]))
    return record_from_row(model, rows[0]) if rows else None


def _rows(db: Database, model: type[R], customer_code: str, order: str) -> list[R]:
    table = FIELD_TABLES[model.ENTITY]
    rows = db.query(f'SELECT * FROM "{table}" WHERE customer_code = ? ORDER BY {order}', [customer_code])
    return [record_from_row(model, row) for row in rows]


__all__ = [
    "CustomerActivity",
    "customer_activity",
    "get_opportunity",
    "get_visit",
    "record_claim",
    "record_comment",
    "record_observation",
    "record_visit",
    "save_opportunity",
]
