"""Opportunities: their loss and the pipeline of a portfolio (DESIGN §3).

Loss: an opportunity marked lost says why (`LostReason`); who won it and at what price are
optional, the price not negative.

Pipeline: per stage, how many opportunities and what they are worth, in the company's
currency. Each value is converted with the rate given for its currency (`rates`: units of
the company currency per unit of the opportunity's, e.g. from `shared.rules.fx.find_rate`);
an opportunity in a currency with no rate is counted in its stage but its value is not
guessed: it is reported apart (`unconverted`, per currency, in that currency).
The weighted value is value × probability: an open stage at the opportunity's own
probability, a won one at 100 %, a lost one at 0. Sums are exact and rounded once per stage
to the company currency's minor unit (the one rounding rule of `shared.money`).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from shared.errors import ValidationFailed
from shared.models import LostReason, OpportunityStage
from shared.models.field import Opportunity
from shared.money import round_money

STAGES: tuple[OpportunityStage, ...] = (
    OpportunityStage.LEAD,
    OpportunityStage.QUALIFIED,
    OpportunityStage.PROPOSAL,
    OpportunityStage.NEGOTIATION,
    OpportunityStage.WON,
    OpportunityStage.LOST,
)
"""The stages in the order an opportunity moves through them; lost can follow any open one."""
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class OpportunityLoss:
    """Why an opportunity was lost, and to whom at what price when the seller heard."""

    reason: LostReason
    competitor: str
    competitor_price: Decimal | None


@dataclass(frozen=True, slots=True)
class StageTotal:
    """One stage of the pipeline: count, value and probability-weighted value (company currency)."""

    stage: OpportunityStage
    count: int
    value: Decimal
    weighted: Decimal


@dataclass(frozen=True, slots=True)
class Pipeline:
    """Every stage (empty ones too), in `currency`, and what could not be converted."""

    currency: str
    stages: tuple[StageTotal, ...]
    unconverted: tuple[tuple[str, Decimal], ...] = ()
    """(currency, value) of opportunities with no rate to the company currency, by currency."""

    @property
    def open_value(self) -> Decimal:
        """What the open stages are worth."""
        return sum((s.value for s in self.stages if s.stage not in CLOSED), Decimal(0))

    @property
    def open_weighted(self) -> Decimal:
        """What the open stages are worth, weighted by their probability: the forecast."""
        return sum((s.weighted for s in self.stages if s.stage not in CLOSED), Decimal(0))


CLOSED = frozenset({OpportunityStage.WON, OpportunityStage.LOST})


def check_opportunity_loss(
    reason: LostReason | str, competitor: str = "", competitor_price: Decimal | None = None
) -> OpportunityLoss:
    """The loss as recorded, or `ValidationFailed` naming the problem."""
    try:
        lost = LostReason(reason)
    except ValueError:
        raise ValidationFailed(
            f"the lost reason must be one of {', '.join(r.value for r in LostReason)}",
            key="problem.opportunity.lost_needs_reason",
        ) from None
    if competitor_price is not None and competitor_price < 0:
        raise ValidationFailed(
            "the competitor's price cannot be negative", key="problem.quote.competitor_price_negative"
        )
    return OpportunityLoss(lost, competitor.strip(), competitor_price)


def weight_percent(stage: OpportunityStage | str, probability_percent: Decimal) -> Decimal:
    """The probability a stage counts with: its own while open, 100 once won, 0 once lost."""
    if stage == OpportunityStage.WON:
        return _HUNDRED
    if stage == OpportunityStage.LOST:
        return Decimal(0)
    return probability_percent


def pipeline_totals(opportunities: Iterable[Opportunity], currency: str, rates: Mapping[str, Decimal]) -> Pipeline:
    """The pipeline of `opportunities` in `currency` (see the module docstring)."""
    counts: dict[OpportunityStage, int] = defaultdict(int)
    values: dict[OpportunityStage, Decimal] = defaultdict(Decimal)
    weighted: dict[OpportunityStage, Decimal] = defaultdict(Decimal)
    unconverted: dict[str, Decimal] = defaultdict(Decimal)
    for o in opportunities:
        stage = OpportunityStage(o.stage)
        counts[stage] += 1
        rate = Decimal(1) if o.currency == currency else rates.get(o.currency)
        if rate is None:
            unconverted[o.currency] += o.value
            continue
        value = o.value * rate
        values[stage] += value
        weighted[stage] += value * weight_percent(stage, o.probability_percent) / _HUNDRED
    return Pipeline(
        currency,
        tuple(
            StageTotal(s, counts[s], round_money(values[s], currency), round_money(weighted[s], currency))
            for s in STAGES
        ),
        tuple(sorted(unconverted.items())),
    )


__all__ = [
    "CLOSED",
    "STAGES",
    "OpportunityLoss",
    "Pipeline",
    "StageTotal",
    "check_opportunity_loss",
    "pipeline_totals",
    "weight_percent",
]
