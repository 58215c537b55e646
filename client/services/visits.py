"""A visit from the seller's side: plan, check in, notes and outcome, claims, check out.

Each step records the whole visit through `field_work` (row and outbox in one transaction),
so every step is kept on the device at once and reaches the server at the next sync.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from client.services.field_work import get_visit, record_claim, record_comment, record_visit
from client.services.ids import new_record_id
from client.services.session import Session
from client.services.visit_comments import ThreadLine, thread
from client.store import FIELD_TABLES, record_from_row
from shared.errors import NotFound, ValidationFailed
from shared.models import Claim, ClaimKind, ClaimStatus, Location, Visit, VisitOutcome
from shared.models.field import VisitComment
from shared.rules.claims import OPEN_CLAIM_STATUSES, claim_transition


@dataclass(frozen=True, slots=True)
class VisitScreen:
    """A visit with its customer's name, its claims and the manager's comments."""

    visit: Visit
    customer_name: str
    claims: tuple[Claim, ...]
    comments: tuple[ThreadLine, ...]
    """The addenda, the manager's comments and the replies, in the server's order."""
    earlier_open_claims: tuple[Claim, ...] = ()
    """The customer's claims from earlier visits still open: shown before this one."""

    @property
    def is_open(self) -> bool:
        """Checked in and not yet checked out: notes can still change."""
        return self.visit.checked_in_at is not None and self.visit.checked_out_at is None


def plan_visit(session: Session, customer_code: str, when: datetime, purpose: str = "") -> Visit:
    """Put a visit on the seller's agenda."""
    visit = Visit(
        id=new_record_id(), customer_code=customer_code, seller_login=session.login, planned_at=when, purpose=purpose
    )
    return record_visit(session, visit)


def check_in(
    session: Session,
    customer_code: str,
    *,
    visit_id: UUID | None = None,
    location: Location | None = None,
    now: datetime | None = None,
) -> Visit:
    """Start a visit now (the planned one if given, else the open one, else a new one)."""
    now = now or datetime.now(UTC)
    visit = get_visit(session, visit_id) if visit_id else open_visit(session, customer_code)
    if visit is not None and visit.checked_in_at is not None and visit.checked_out_at is None:
        return visit  # already checked in: a second tap must not restart the clock
    if visit is None or visit.checked_out_at is not None:
        visit = Visit(id=new_record_id(), customer_code=customer_code, seller_login=session.login)
    return record_visit(session, visit.model_copy(update={"checked_in_at": now, "location": location}))


def save_visit(
    session: Session, visit_id: UUID, *, purpose: str, notes: str, outcome: VisitOutcome, next_step: str
) -> Visit:
    """Keep what the seller wrote about the visit."""
    visit = _existing(session, visit_id)
    changed = visit.model_copy(
        update={"purpose": purpose.strip(), "notes": notes.strip(), "outcome": outcome, "next_step": next_step.strip()}
    )
    return record_visit(session, Visit.model_validate(changed.to_data()))


def check_out(session: Session, visit_id: UUID, now: datetime | None = None) -> Visit:
    """End the visit; a visit never checked in cannot be checked out."""
    visit = _existing(session, visit_id)
    if visit.checked_in_at is None:
        raise ValidationFailed("check in before checking out", key="problem.visit.check_in_first")
    if visit.checked_out_at is not None:
        return visit
    return record_visit(session, visit.model_copy(update={"checked_out_at": now or datetime.now(UTC)}))


def add_addendum(session: Session, visit_id: UUID, text: str) -> VisitComment:
    """Add to a visit's notes after check-out: the notes the manager read stay as they were;
    the addendum follows them, dated by its id (append-only)."""
    visit = _existing(session, visit_id)
    if visit.checked_out_at is None:
        raise ValidationFailed("the visit is still open: write in its notes", key="problem.visit.addendum_while_open")
    said = text.strip()
    if not said:
        raise ValidationFailed("write what to add to the visit", key="problem.visit.empty_addendum")
    if len(said) > 4000:
        raise ValidationFailed(
            f"the addendum has {len(said)} characters; at most 4000",
            key="problem.visit.addendum_too_long",
            params={"length": len(said)},
        )
    comment = VisitComment(id=new_record_id(), visit_id=visit.id, author_login=session.login, text=said)
    return record_comment(session, comment)


def add_claim(
    session: Session,
    visit_id: UUID,
    kind: ClaimKind,
    description: str,
    invoice_number: str | None = None,
    *,
    sku: str | None = None,
    quantity: Decimal | None = None,
) -> Claim:
    """Note a return or complaint raised on the visit (about a product and a quantity, if so)."""
    visit = _existing(session, visit_id)
    if not description.strip():
        raise ValidationFailed("describe the claim", key="problem.claim.no_description")
    claim = Claim(
        id=new_record_id(),
        customer_code=visit.customer_code,
        seller_login=session.login,
        visit_id=visit.id,
        kind=kind,
        invoice_number=(invoice_number or "").strip() or None,
        description=description.strip(),
        sku=(sku or "").strip().upper() or None,
        quantity=quantity,
    )
    return record_claim(session, claim)


def move_claim(session: Session, claim_id: UUID, target: ClaimStatus, resolution: str = "") -> Claim:
    """Move a claim on: in progress, resolved or rejected (these two with how: `resolution`)."""
    with session.store.read() as db:
        rows = list(db.query(f'SELECT * FROM "{FIELD_TABLES["claim"]}" WHERE id = ?', [str(claim_id)]))
    if not rows:
        raise NotFound(f"claim {claim_id} is not on this device", key="problem.claim.not_on_device")
    claim = record_from_row(Claim, rows[0])
    status = claim_transition(claim.status, target, resolution)
    moved = claim.model_copy(update={"status": status, "resolution": resolution.strip() or claim.resolution})
    return record_claim(session, Claim.model_validate(moved.to_data()))


def open_visit(session: Session, customer_code: str) -> Visit | None:
    """The customer's visit checked in and not out, else the next planned one, else None."""
    with session.store.read() as db:
        rows = list(
            db.query(
                f'SELECT * FROM "{FIELD_TABLES["visit"]}" WHERE customer_code = ? AND checked_out_at IS NULL '
                "AND (checked_in_at IS NOT NULL OR planned_at IS NOT NULL) "
                "ORDER BY checked_in_at IS NULL, planned_at LIMIT 1",
                [customer_code],
            )
        )
    return record_from_row(Visit, rows[0]) if rows else None


def visit_screen(session: Session, visit_id: UUID) -> VisitScreen:
    """A visit with what hangs off it: claims, the manager's comments (after a sync)."""
    visit = _existing(session, visit_id)
    with session.store.read() as db:
        name = db.execute("SELECT legal_name FROM customers WHERE code = ?", [visit.customer_code]).fetchone()
        claim_rows = db.query(
            f'SELECT * FROM "{FIELD_TABLES["claim"]}" WHERE visit_id = ? ORDER BY id', [str(visit_id)]
        )
        claims = tuple(record_from_row(Claim, r) for r in claim_rows)
        comments = thread(db, visit_id, session.login)
        marks = ", ".join("?" for _ in OPEN_CLAIM_STATUSES)
        earlier = tuple(
            record_from_row(Claim, r)
            for r in db.query(
                f'SELECT * FROM "{FIELD_TABLES["claim"]}" WHERE customer_code = ? AND visit_id IS NOT ? '
                f"AND coalesce(status, 'open') IN ({marks}) ORDER BY id",
                [visit.customer_code, str(visit_id), *sorted(OPEN_CLAIM_STATUSES)],
            )
        )
    return VisitScreen(visit, name[0] if name else visit.customer_code, claims, comments, earlier)


def _existing(session: Session, visit_id: UUID) -> Visit:
    visit = get_visit(session, visit_id)
    if visit is None:
        raise NotFound(f"visit {visit_id} is not on this device", key="problem.visit.not_on_device")
    return visit


__all__ = [
    "VisitScreen",
    "add_addendum",
    "add_claim",
    "check_in",
    "check_out",
    "move_claim",
    "open_visit",
    "plan_visit",
    "save_visit",
    "visit_screen",
]
