"""The seller's leads: note one, move it on (contacted, qualified, discarded with a reason)
and convert it into an opportunity for one of her customers.

Every change is the whole lead, recorded with its outbox mutation in one transaction; the
status move is checked here with the shared rule and again by the server on push.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from client.services.ids import new_record_id
from client.services.opportunities import create_opportunity
from client.services.session import Session
from client.store import FIELD_TABLES, record, record_from_row
from shared.errors import NotFound, ValidationFailed
from shared.models import LeadChannel, LeadStatus
from shared.models.field import Lead, Opportunity
from shared.protocol import MutationName
from shared.rules.leads import first_contact_at, lead_transition

_LEADS = FIELD_TABLES[Lead.ENTITY]
LEAD_STATUSES: tuple[LeadStatus, ...] = tuple(LeadStatus)
"""The statuses in the order the Leads screen lists them."""


@dataclass(frozen=True, slots=True)
class LeadItem:
    """A lead with the name of the customer it is about (None for a new name)."""

    lead: Lead
    customer_name: str | None


def new_lead(
    session: Session,
    name: str,
    channel: LeadChannel | str,
    *,
    contact: str = "",
    city: str = "",
    source: str = "",
    notes: str = "",
    customer_code: str | None = None,
    now: datetime | None = None,
) -> Lead:
    """Note a new lead, owned by the signed-in seller."""
    if not name.strip():
        raise ValidationFailed("say who the lead is", key="problem.lead.no_name")
    lead = Lead(
        id=new_record_id(),
        seller_login=session.login,
        name=name,
        contact=contact,
        city=city,
        channel=LeadChannel(channel),
        source=source,
        notes=notes,
        customer_code=customer_code or None,
        created_at=now or datetime.now(UTC),
    )
    return _save(session, lead)


def move_lead(
    session: Session, lead_id: UUID, target: LeadStatus | str, *, discard_reason: str = "", now: datetime | None = None
) -> Lead:
    """Move a lead on (contacted, qualified, or discarded with a reason); see `convert_lead`."""
    lead = get_lead(session, lead_id)
    to = lead_transition(lead.status, target, discard_reason=discard_reason)
    moved = lead.model_copy(
        update={
            "status": to,
            "discard_reason": discard_reason.strip() if to == LeadStatus.DISCARDED else lead.discard_reason,
            "first_contact_at": first_contact_at(lead.status, to, lead.first_contact_at, now or datetime.now(UTC)),
        }
    )
    return _save(session, Lead.model_validate(moved.to_data()))


def convert_lead(
    session: Session,
    lead_id: UUID,
    customer_code: str,
    title: str,
    value: Decimal,
    *,
    probability_percent: Decimal = Decimal(10),
    expected_close: date | None = None,
    now: datetime | None = None,
) -> tuple[Lead, Opportunity]:
    """Make the lead an opportunity for one of the seller's customers and mark it converted,
    both in ONE transaction (the opportunity is pushed first, as the server needs)."""
    lead = get_lead(session, lead_id)
    with session.store.write():
        opportunity = create_opportunity(
            session,
            customer_code,
            title,
            value,
            probability_percent=probability_percent,
            expected_close=expected_close,
        )
        to = lead_transition(lead.status, LeadStatus.CONVERTED, opportunity_id=opportunity.id)
        converted = lead.model_copy(
            update={
                "status": to,
                "opportunity_id": opportunity.id,
                "customer_code": customer_code,
                "first_contact_at": first_contact_at(lead.status, to, lead.first_contact_at, now or datetime.now(UTC)),
            }
        )
        saved = _save(session, Lead.model_validate(converted.to_data()), notify=False)
    session.notify_local_write()
    return saved, opportunity


def get_lead(session: Session, lead_id: UUID) -> Lead:
    """The lead as the device shows it (NotFound when it is not on this device)."""
    with session.store.read() as db:
        rows = list(db.query(f'SELECT * FROM "{_LEADS}" WHERE id = ?', [str(lead_id)]))
    if not rows:
        raise NotFound(f"lead {lead_id} is not on this device", key="problem.lead.not_on_device")
    return record_from_row(Lead, rows[0])


def list_leads(session: Session, *, status: LeadStatus | None = None) -> list[LeadItem]:
    """The leads on the device (open ones first, newest first), optionally of one status."""
    condition, params = ("WHERE l.status = ?", [status.value]) if status is not None else ("", [])
    with session.store.read() as db:
        rows = db.query(
            f'SELECT l.*, c.legal_name AS customer_name FROM "{_LEADS}" l '
            f"LEFT JOIN customers c ON c.code = l.customer_code {condition} "
            "ORDER BY l.status IN ('converted', 'discarded'), l.created_at DESC, l.id DESC LIMIT 500",
            params,
        )
        return [LeadItem(record_from_row(Lead, r), r["customer_name"]) for r in rows]


def lead_counts(session: Session) -> dict[LeadStatus, int]:
    """How many leads the device holds in each status (every status, zeros included)."""
    counts = dict.fromkeys(LEAD_STATUSES, 0)
    with session.store.read() as db:
        for status, count in db.execute(f'SELECT status, count(*) FROM "{_LEADS}" GROUP BY status').fetchall():
            counts[LeadStatus(status)] = count
    return counts


def _save(session: Session, lead: Lead, *, notify: bool = True) -> Lead:
    record(session.store, MutationName.SAVE_LEAD, {"lead": lead.to_data()})
    if notify:  # after the commit: inside a caller's transaction it is the caller's to do
        session.notify_local_write()
    return lead


__all__ = [
    "LEAD_STATUSES",
    "LeadItem",
    "convert_lead",
    "get_lead",
    "lead_counts",
    "list_leads",
    "move_lead",
    "new_lead",
]
