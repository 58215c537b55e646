"""The seller's opportunities: list (with the quotes made for each), pipeline by stage in the
company currency, create, edit, advance, win, lose with a reason and the competitor."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from sqlite_utils import Database

from client.services.company import company_of
from client.services.field_work import get_opportunity, save_opportunity
from client.services.ids import new_record_id
from client.services.prospects import company_currency
from client.services.quote_links import LinkedQuote, has_accepted, quotes_for_opportunities
from client.services.session import Session
from client.store import FIELD_TABLES, record_from_row
from shared.errors import NotFound, ValidationFailed
from shared.messages import label
from shared.models import FxRate, LostReason, OpportunityStage
from shared.models.field import Opportunity
from shared.rules.errors import MissingFxRate
from shared.rules.fx import MAX_FX_AGE_DAYS, find_rate
from shared.rules.opportunities import Pipeline, check_opportunity_loss, pipeline_totals

PIPELINE: tuple[OpportunityStage, ...] = (
    OpportunityStage.LEAD,
    OpportunityStage.QUALIFIED,
    OpportunityStage.PROPOSAL,
    OpportunityStage.NEGOTIATION,
    OpportunityStage.WON,
)
"""The stages in the order an opportunity moves through them; LOST can follow any open one."""
CLOSED = frozenset({OpportunityStage.WON, OpportunityStage.LOST})
_TABLE = FIELD_TABLES[Opportunity.ENTITY]


@dataclass(frozen=True, slots=True)
class OpportunityItem:
    """An opportunity with its customer's name and the quotes made for it, for lists."""

    opportunity: Opportunity
    customer_name: str
    quotes: tuple[LinkedQuote, ...] = ()

    @property
    def suggests_won(self) -> bool:
        """Still open while one of its quotes was accepted: marking it won is one tap."""
        return self.opportunity.stage not in CLOSED and has_accepted(list(self.quotes))


def next_stage(stage: OpportunityStage) -> OpportunityStage | None:
    """The stage after `stage` in the pipeline; None once won or lost."""
    if stage in CLOSED:
        return None
    return PIPELINE[PIPELINE.index(OpportunityStage(stage)) + 1]


def list_opportunities(
    session: Session, *, stage: OpportunityStage | None = None, customer_code: str | None = None
) -> list[OpportunityItem]:
    """Opportunities on the device (open ones first, newest first), optionally narrowed,
    each with the quotes made for it."""
    condition, params = _where(stage=stage, customer_code=customer_code)
    with session.store.read() as db:
        rows = db.query(
            f'SELECT o.*, coalesce(c.legal_name, o.customer_code) AS customer_name FROM "{_TABLE}" o '
            f"LEFT JOIN customers c ON c.code = o.customer_code {condition} "
            "ORDER BY o.stage IN ('won', 'lost'), o.id DESC LIMIT 500",
            params,
        )
        found = [(record_from_row(Opportunity, r), r["customer_name"]) for r in rows]
    quotes = quotes_for_opportunities(session, [str(o.id) for o, _name in found])
    return [OpportunityItem(o, name, tuple(quotes.get(str(o.id), ()))) for o, name in found]


def _currency_before_profile(db: Database, opportunities: list[Opportunity]) -> str:
    """What to add up in before the profile arrives: the base price list's currency, else the
    opportunities' most frequent one (a device that has neither has nothing to add up)."""
    try:
        return company_currency(db)
    except ValidationFailed:
        found = Counter(o.currency for o in opportunities).most_common(1)
        return found[0][0] if found else "EUR"


def pipeline(session: Session, *, customer_code: str | None = None, today: date | None = None) -> Pipeline:
    """Count, value and probability-weighted value of the opportunities on the device in every
    stage (empty stages included), in the company currency; optionally for one customer.

    Each other currency is converted with the latest rate on or before `today`, at most
    `MAX_FX_AGE_DAYS` old (as quotes are); one without such a rate is left out of the values
    and reported apart (`Pipeline.unconverted`), never counted 1:1."""
    day = today or datetime.now(UTC).date()
    company = company_of(session)
    condition, params = _where(customer_code=customer_code)
    with session.store.read() as db:
        opportunities = [
            record_from_row(Opportunity, r) for r in db.query(f'SELECT * FROM "{_TABLE}" o {condition}', params)
        ]
        currency = company.currency if company else _currency_before_profile(db, opportunities)
        others = sorted({o.currency for o in opportunities} - {currency})
        fx_rates = (
            [
                record_from_row(FxRate, r)
                for r in db.query(
                    "SELECT * FROM fx_rates WHERE rate_date <= ? AND (base_currency = ? OR quote_currency = ?)",
                    [day.isoformat(), currency, currency],
                )
            ]
            if others
            else []
        )
    rates: dict[str, Decimal] = {}
    for other in others:
        try:
            rates[other] = find_rate(other, currency, fx_rates, day, MAX_FX_AGE_DAYS).rate
        except MissingFxRate:
            continue  # shown apart as not converted
    return pipeline_totals(opportunities, currency, rates)


def opportunity_customers(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the customers with an opportunity on the device, by name: the filter's choices."""
    with session.store.read() as db:
        return [
            (r[0], r[1])
            for r in db.execute(
                f'SELECT DISTINCT o.customer_code, coalesce(c.legal_name, o.customer_code) FROM "{_TABLE}" o '
                "LEFT JOIN customers c ON c.code = o.customer_code ORDER BY 2"
            ).fetchall()
        ]


def _where(*, stage: OpportunityStage | None = None, customer_code: str | None = None) -> tuple[str, list[str]]:
    where, params = [], []
    if stage is not None:
        where.append("o.stage = ?")
        params.append(stage.value)
    if customer_code is not None:
        where.append("o.customer_code = ?")
        params.append(customer_code)
    return (f"WHERE {' AND '.join(where)}" if where else ""), params


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


def customer_currency(session: Session, customer_code: str) -> str | None:
    """The currency a new opportunity of the customer is valued in (None: not on the device)."""
    with session.store.read() as db:
        row = db.execute("SELECT currency FROM customers WHERE code = ?", [customer_code]).fetchone()
    return row[0] if row else None


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


def lose_opportunity(
    session: Session,
    opportunity_id: UUID,
    reason: LostReason,
    *,
    competitor: str = "",
    competitor_price: Decimal | None = None,
) -> Opportunity:
    """Close the opportunity as lost, saying why (and to whom at what price, when known)."""
    original = _open(session, opportunity_id)
    loss = check_opportunity_loss(reason, competitor, competitor_price)
    lost = original.model_copy(
        update={
            "stage": OpportunityStage.LOST,
            "lost_reason": loss.reason,
            "competitor": loss.competitor,
            "competitor_price": loss.competitor_price,
        }
    )
    return save_opportunity(session, lost, original)


def win_opportunity(session: Session, opportunity_id: UUID) -> Opportunity:
    """Close the opportunity as won (one tap once its quote is accepted)."""
    original = _open(session, opportunity_id)
    return save_opportunity(session, original.model_copy(update={"stage": OpportunityStage.WON}), original)


def _open(session: Session, opportunity_id: UUID) -> Opportunity:
    original = _existing(session, opportunity_id)
    if original.stage in CLOSED:
        raise ValidationFailed(
            f"the opportunity is already {original.stage}",
            key="problem.opportunity.closed",
            params={"stage": label("OpportunityStage", original.stage)},
        )
    return original


def _existing(session: Session, opportunity_id: UUID) -> Opportunity:
    opportunity = get_opportunity(session, opportunity_id)
    if opportunity is None:
        raise NotFound(f"opportunity {opportunity_id} is not on this device", key="problem.opportunity.not_on_device")
    return opportunity


__all__ = [
    "PIPELINE",
    "customer_currency",
    "OpportunityItem",
    "advance_opportunity",
    "create_opportunity",
    "edit_opportunity",
    "lose_opportunity",
    "list_opportunities",
    "next_stage",
    "opportunity_customers",
    "pipeline",
    "win_opportunity",
]
