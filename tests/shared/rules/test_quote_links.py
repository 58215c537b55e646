"""A quote's visit and opportunity: same customer, the quote's own seller."""

from datetime import UTC, datetime
from decimal import Decimal as D
from uuid import UUID

import pytest

from shared.errors import OutOfScope, ValidationFailed
from shared.models.field import Opportunity, Visit
from shared.rules.quote_links import check_quote_links

VISIT_ID, OPPORTUNITY_ID = UUID(int=1), UUID(int=2)


def _visit(customer: str = "C1", seller: str = "ana") -> Visit:
    return Visit(
        id=VISIT_ID, customer_code=customer, seller_login=seller, checked_in_at=datetime(2026, 12, 5, 9, tzinfo=UTC)
    )


def _opportunity(customer: str = "C1", seller: str = "ana") -> Opportunity:
    return Opportunity(
        id=OPPORTUNITY_ID,
        customer_code=customer,
        seller_login=seller,
        title="Gloves for 2027",
        currency="EUR",
        value=D(5000),
        probability_percent=D(40),
    )


@pytest.mark.parametrize(
    ("links", "problem", "error"),
    [
        ({}, None, None),  # a quote from Customer 360: no links
        ({"visit_id": VISIT_ID, "visit": _visit()}, None, None),
        ({"opportunity_id": OPPORTUNITY_ID, "opportunity": _opportunity()}, None, None),
        (
            {"visit_id": VISIT_ID, "visit": _visit(), "opportunity_id": OPPORTUNITY_ID, "opportunity": _opportunity()},
            None,
            None,
        ),
        ({"visit_id": VISIT_ID, "visit": None}, "problem.quote.visit_unknown", ValidationFailed),
        (
            {"visit_id": VISIT_ID, "visit": _visit(customer="C2")},
            "problem.quote.visit_other_customer",
            ValidationFailed,
        ),
        ({"visit_id": VISIT_ID, "visit": _visit(seller="bea")}, "problem.quote.visit_not_yours", OutOfScope),
        ({"opportunity_id": OPPORTUNITY_ID}, "problem.quote.opportunity_unknown", ValidationFailed),
        (
            {"opportunity_id": OPPORTUNITY_ID, "opportunity": _opportunity(customer="C2")},
            "problem.quote.opportunity_other_customer",
            ValidationFailed,
        ),
        (
            {"opportunity_id": OPPORTUNITY_ID, "opportunity": _opportunity(seller="bea")},
            "problem.quote.opportunity_not_yours",
            OutOfScope,
        ),
    ],
)
def test_quote_links(links, problem, error):
    if problem:
        with pytest.raises(error) as caught:
            check_quote_links("C1", "ana", **links)
        assert caught.value.key == problem
    else:
        check_quote_links("C1", "ana", **links)
