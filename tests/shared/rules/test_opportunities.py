"""The opportunity's loss and the pipeline in the company currency, computed by hand."""

from decimal import Decimal as D
from uuid import UUID

import pytest

from shared.errors import ValidationFailed
from shared.models import LostReason, OpportunityStage
from shared.models.field import Opportunity
from shared.rules.opportunities import check_opportunity_loss, pipeline_totals, weight_percent

S = OpportunityStage


def _opp(n: int, stage: str, value: str, percent: str, currency: str = "EUR") -> Opportunity:
    return Opportunity(
        id=UUID(int=n),
        customer_code="C1",
        seller_login="ana",
        title=f"O{n}",
        stage=S(stage),
        currency=currency,
        value=D(value),
        probability_percent=D(percent),
        lost_reason=LostReason.PRICE if stage == "lost" else None,
    )


@pytest.mark.parametrize(
    ("stage", "percent", "expected"),
    [("lead", "10", "10"), ("negotiation", "80", "80"), ("won", "60", "100"), ("lost", "60", "0")],
)
def test_weight_of_a_stage(stage, percent, expected):
    assert weight_percent(S(stage), D(percent)) == D(expected)


# Rates: 1 USD = 0.92 EUR, 1 GBP = 1.17 EUR (company currency EUR); no rate for CHF.
RATES = {"USD": D("0.92"), "GBP": D("1.17")}


@pytest.mark.parametrize(
    ("opportunities", "expected", "unconverted"),
    [
        # nothing: every stage shown, empty
        ([], {}, ()),
        # two leads: 1000 × 10 % + 2500 × 25 % = 100 + 625 = 725
        ([("lead", "1000", "10"), ("lead", "2500", "25")], {"lead": (2, "3500.00", "725.00")}, ()),
        # 1000 USD at 0.92 = 920.00; × 50 % = 460.00
        ([("proposal", "1000", "50", "USD")], {"proposal": (1, "920.00", "460.00")}, ()),
        # 333.33 GBP × 1.17 = 389.9961 → 390.00; × 33 % = 128.698713 → 128.70 (rounded once)
        ([("negotiation", "333.33", "33", "GBP")], {"negotiation": (1, "390.00", "128.70")}, ()),
        # won counts whole whatever its probability; lost counts nothing
        (
            [("won", "800", "40"), ("lost", "500", "90")],
            {"won": (1, "800.00", "800.00"), "lost": (1, "500.00", "0.00")},
            (),
        ),
        # CHF has no rate: counted in its stage, its value kept apart in CHF
        (
            [("qualified", "100", "20"), ("qualified", "700", "20", "CHF")],
            {"qualified": (2, "100.00", "20.00")},
            (("CHF", D("700")),),
        ),
        # summed exactly, rounded once: 3 × 0.005 = 0.015 → 0.02 (rounding each would give 0.00 or 0.03)
        ([("won", "0.005", "0"), ("won", "0.005", "0"), ("won", "0.005", "0")], {"won": (3, "0.02", "0.02")}, ()),
    ],
)
def test_pipeline_in_company_currency(opportunities, expected, unconverted):
    items = [_opp(n, *spec) for n, spec in enumerate(opportunities, start=1)]
    result = pipeline_totals(items, "EUR", RATES)
    assert [s.stage for s in result.stages] == [S.LEAD, S.QUALIFIED, S.PROPOSAL, S.NEGOTIATION, S.WON, S.LOST]
    for total in result.stages:
        count, value, weighted = expected.get(total.stage.value, (0, "0.00", "0.00"))
        assert (total.count, total.value, total.weighted) == (count, D(value), D(weighted)), total.stage
    assert result.unconverted == unconverted


def test_open_totals_leave_out_won_and_lost():
    items = [_opp(1, "lead", "1000", "10"), _opp(2, "proposal", "400", "50"), _opp(3, "won", "900", "100")]
    result = pipeline_totals(items, "EUR", {})
    assert (result.open_value, result.open_weighted) == (D("1400.00"), D("300.00"))


@pytest.mark.parametrize(
    ("reason", "competitor", "price", "problem"),
    [
        ("competitor", " Würth ", D("9500"), None),
        ("other", "", None, None),  # an opportunity's "other" needs no note (it has none)
        ("price", "Würth", D("-1"), "problem.quote.competitor_price_negative"),
        ("cheaper", "", None, "problem.opportunity.lost_needs_reason"),
    ],
)
def test_opportunity_loss(reason, competitor, price, problem):
    if problem:
        with pytest.raises(ValidationFailed) as caught:
            check_opportunity_loss(reason, competitor, price)
        assert caught.value.key == problem
    else:
        loss = check_opportunity_loss(reason, competitor, price)
        assert (loss.reason, loss.competitor, loss.competitor_price) == (LostReason(reason), competitor.strip(), price)
