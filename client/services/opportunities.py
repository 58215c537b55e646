"""The seller's opportunities: list, pipeline by stage, create, edit, advance, lose with a reason."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from client.services.field_work import get_opportunity, save_opportunity
from client.services.ids import new_record_id
from client.services.session import Session
from client.store import FIELD_TABLES, record_from_row
from shared.errors import NotFound, ValidationFailed
from shared.messages import label
from shared.models import LostReason, OpportunityStage
from shared.models.field import Opportunity

PIPELINE: tuple[OpportunityStage, ...] = (
    OpportunityStage.LEAD,
    OpportunityStage.QUALIFIED,
    OpportunityStage.PROPOSAL,
    OpportunityStage.NEGOTIATION,
    OpportunityStage.WON,
)
"""The stages in the order an opportunity moves through them; LOST can follow any open one."""
CLOSED = frozenset({OpportunityStage.WON, OpportunityStage.LOST})


@dataclass(frozen=True, slots=True)
class OpportunityItem:
    """An opportunity with its customer's name, for lists."""

    opportunity: Opportunity
    customer_name: str


@dataclass(frozen=True, slots=True)
class StageTotal:
    """How many opportunities sit in a stage and what they are worth, per currency."""

    stage: OpportunityStage
    count: int
    values: tuple[tuple[str, Decimal], ...]


def next_stage(stage: OpportunityStage) -> OpportunityStage | None:
    """The stage after `stage` in the pipeline; None once won or lost."""
    if stage in CLOSED:
        return None
    return PIPELINE[PIPELINE.index(OpportunityStage(stage)) + 1]


def list_opportunities(
    session: Session, *, stage: OpportunityStage | None = None, customer_code: str | None = None
) -> list[OpportunityItem]:
    """Opportunities on the device (open ones first, newest first), optionally narrowed."""
    where, params = [], []
    if stage is not None:
        where.append("o.stage = ?")
        params.append(stage.value)
    if customer_code is not None:
        where.append("o.customer_code = ?")
        params.append(customer_code)
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    with session.store.read() as db:
        rows = db.query(
            f'SELECT o.*, coalesce(c.legal_name, o.customer_code) AS customer_name FROM "{FIELD_TABLES["opportunity"]}" o '
            f"LEFT JOIN customers c ON c.code = o.customer_code {condition} "
            "ORDER BY o.stage IN ('won', 'lost'), o.id DESC LIMIT 500",
            params,
        )
        return [OpportunityItem(record_from_row(Opportunity, r), r["customer_name"]) for r in rows]


def pipeline(session: Session) -> list[StageTotal]:
    """Count and value of the seller's opportunities in every stage (empty stages included)."""
    counts: dict[OpportunityStage, int] = defaultdict(int)
    values: dict[OpportunityStage, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    with session.store.read() as db:
        for stage, currency, value in db.execute(
            f'SELECT stage, currency, value FROM "{FIELD_TABLES["opportunity"]}"'
        ).fetchall():
            kind = OpportunityStage(stage)
            counts[kind] += 1
            values[kind][currency] += Decimal(value)
    return [
        StageTotal(stage, counts[stage], tuple(sorted(values[stage].items())))
        for stage in (*PIPELINE, OpportunityStage.LOST)
    ]


def create_opportunity(
    session: Session,
    customer_code: str,
    title: str,
    value: Decimal,
    *,
    probability_percent: Decimal = Decimal(10),
    expected_close: date | None = None,
    currency: str | None = None,
) -> Opportunity:
    """A new opportunity in the first stage, in the customer's currency unless given."""
    if not title.strip():
        raise ValidationFailed("give the opportunity a title", key="problem.opportunity.no_title")
    with session.store.read() as db:
        row = db.execute("SELECT currency FROM customers WHERE code = ?", [customer_code]).fetchone()
    if row is None:
        raise NotFound(
            f"customer {customer_code} is not in your portfolio",
            key="problem.customer.not_in_portfolio",
            params={"customer": customer_code},
        )
    opportunity = Opportunity(
        id=new_record_id(),
        customer_code=customer_code,
        seller_login=session.login,
        title=title.strip(),
        currency=currency or row[0],
        value=value,
        probability_percent=probability_percent,
        expected_close=expected_close,
    )
    return save_opportunity(session, opportunity)


def edit_opportunity(session: Session, original: Opportunity, **changes: object) -> Opportunity:
    """Save the fields the seller changed; the server merges them with edits made elsewhere."""
    edited = Opportunity.model_validate({**original.to_data(), **changes})
    return save_opportunity(session, edited, original)


def advance_opportunity(session: Session, opportunity_id: UUID) -> Opportunity:
    """Move the opportunity to the next stage of the pipeline."""
    original = _existing(session, opportunity_id)
    stage = next_stage(OpportunityStage(original.stage))
    if stage is None:
        raise ValidationFailed(
            f"a {original.stage} opportunity cannot move on",
            key="problem.opportunity.last_stage",
            params={"stage": label("OpportunityStage", original.stage)},
        )
    return save_opportunity(session, original.model_copy(update={"stage": stage}), original)


def lose_opportunity(session: Session, opportunity_id: UUID, reason: LostReason) -> Opportunity:
    """Close the opportunity as lost, saying why."""
    original = _existing(session, opportunity_id)
    if original.stage in CLOSED:
        raise ValidationFailed(
            f"the opportunity is already {original.stage}",
            key="problem.opportunity.closed",
            params={"stage": label("OpportunityStage", original.stage)},
        )
    lost = original.model_copy(update={"stage": OpportunityStage.LOST, "lost_reason": LostReason(reason)})
    return save_opportunity(session, lost, original)


def _existing(session: Session, opportunity_id: UUID) -> Opportunity:
    opportunity = get_opportunity(session, opportunity_id)
    if opportunity is None:
        raise NotFound(f"opportunity {opportunity_id} is not on this device", key="problem.opportunity.not_on_device")
    return opportunity


__all__ = [
    "PIPELINE",
    "OpportunityItem",
    "StageTotal",
    "advance_opportunity",
    "create_opportunity",
    "edit_opportunity",
    "lose_opportunity",
    "list_opportunities",
    "next_stage",
    "pipeline",
]
