"""Visits, competitor observations, claims and lost sales: append-only, owned by their author."""

from datetime import UTC, datetime
from typing import Any

from shared.errors import OutOfScope, PermissionDenied, ValidationFailed
from shared.messages import label
from shared.models import Claim, CompetitorObservation, Role, Visit
from shared.models.field import LostSale, VisitComment
from shared.protocol import MutationName, activity_bucket
from shared.rules.claims import claim_transition
from sync_server.repository.database import Connection
from sync_server.repository.push_reads import customer_and_state
from sync_server.repository.records import put_record_at, stored_state
from sync_server.services.auth import Principal
from sync_server.services.authorization import customer_access
from sync_server.services.mutations.base import Applied, current_data, parse, require_customer_scope
from sync_server.services.scope import manages


def _record_authored(
    conn: Connection, principal: Principal, record: Visit | CompetitorObservation | Claim | LostSale, mutation: str
) -> Applied:
    author = record.seller_login
    if author != principal.login:
        raise PermissionDenied(
            f"a {record.ENTITY.replace('_', ' ')} is recorded by its author, not {author}",
            key="problem.record.not_author",
            params={"record": label("Entity", record.ENTITY), "author": author},
        )
    read = customer_and_state(conn, record.customer_code, record.ENTITY, record.record_id())
    known = (read.customer_exists, read.seller_login)
    require_customer_scope(conn, principal, record.customer_code, customer_access(mutation), known=known)
    current = read.state
    # A field record lives in its author's activity bucket: another bucket, another author.
    if current is not None and current.bucket != activity_bucket(principal.login):
        raise OutOfScope(
            f"{record.ENTITY} {record.record_id()} belongs to another seller",
            key="problem.record.other_seller",
            params={"record": label("Entity", record.ENTITY)},
        )
    put_record_at(conn, record, activity_bucket(author), current)
    return Applied()


def record_visit(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Create or complete a visit (check-in, notes, check-out) by its author."""
    return _record_authored(conn, principal, parse(Visit, args, "visit"), MutationName.RECORD_VISIT)


def record_observation(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Record a competitor observation."""
    return _record_authored(
        conn, principal, parse(CompetitorObservation, args, "observation"), MutationName.RECORD_OBSERVATION
    )


def record_claim(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Record a return or complaint noted on a visit, or move it on (in progress, resolved,
    rejected: `shared.rules.claims`); what it is about never changes once recorded."""
    claim = parse(Claim, args, "claim")
    found = current_data(conn, Claim.ENTITY, claim.record_id())
    if found is not None:
        stored = Claim.model_validate(found[1])
        moved = [f for f in ("customer_code", "visit_id", "kind", "sku") if getattr(stored, f) != getattr(claim, f)]
        if moved:
            raise ValidationFailed(
                f"a recorded claim keeps its {', '.join(moved)}; record a new claim instead",
                key="problem.claim.changed",
            )
        claim_transition(stored.status, claim.status, claim.resolution)
    return _record_authored(conn, principal, claim, MutationName.RECORD_CLAIM)


def may_comment_on(conn: Connection, principal: Principal, visit: Visit) -> bool:
    """The visit's seller adds to it or replies; a manager whose subtree holds her, and an
    administrator, comment."""
    if visit.seller_login == principal.login or principal.role == Role.ADMIN:
        return True
    return principal.role == Role.MANAGER and manages(conn, principal, visit.seller_login)


def add_visit_comment(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Add a comment to a visit: the seller's addendum or reply, or her manager's comment. It is
    kept with the visit's seller, so her device and every manager of her team pull it."""
    comment = parse(VisitComment, args, "comment")
    if comment.author_login != principal.login:
        raise PermissionDenied(
            f"a visit comment is written by its author, not {comment.author_login}",
            key="problem.record.not_author",
            params={"record": label("Entity", comment.ENTITY), "author": comment.author_login},
        )
    found = current_data(conn, Visit.ENTITY, str(comment.visit_id))
    visit = Visit.model_validate(found[1]) if found else None
    if visit is None:
        raise ValidationFailed(
            f"visit {comment.visit_id} is not on the server; push it first", key="problem.visit.not_on_server"
        )
    if not may_comment_on(conn, principal, visit):
        raise OutOfScope(
            f"visit {visit.id} is {visit.seller_login}'s", key="problem.record.other_seller",
            params={"record": label("Entity", Visit.ENTITY)},
        )  # fmt: skip
    current = stored_state(conn, comment.ENTITY, comment.record_id())
    if current is not None:
        return Applied()  # append-only: the same comment pushed again changes nothing
    posted = comment.model_copy(update={"posted_at": datetime.now(UTC)})
    put_record_at(conn, posted, activity_bucket(visit.seller_login), current)
    return Applied()


def record_lost_sale(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Record a line the customer dropped for lack of stock (counted as a lost sale)."""
    return _record_authored(conn, principal, parse(LostSale, args, "lost_sale"), MutationName.RECORD_LOST_SALE)


__all__ = [
    "add_visit_comment",
    "may_comment_on",
    "record_claim",
    "record_lost_sale",
    "record_observation",
    "record_visit",
]
