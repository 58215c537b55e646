"""What a customer's answer must say: latest version only, the acceptance, the loss."""

from datetime import date
from decimal import Decimal as D

import pytest

from shared.errors import InvalidTransition, ValidationFailed
from shared.models import LostReason
from shared.models.field import QuoteLine
from shared.rules.quote_outcomes import check_acceptance, check_latest, check_line_prices, check_loss

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("version", "latest", "target", "refusal"),
    [
        (1, 1, "accepted", None),  # the only version
        (2, 2, "accepted", None),  # the latest of two
        (1, 2, "accepted", "problem.quote.answer_on_latest"),  # replaced by v2: the customer has v2 in hand
        (1, 2, "lost", "problem.quote.answer_on_latest"),
        (1, None, "accepted", None),  # the device has no other version of the number
        (3, 2, "accepted", None),  # a newer version the store has not seen yet cannot replace it
        (2, 2, "sent", None),  # the latest is sent
        (1, 2, "sent", "problem.quote.replaced"),  # an approved v1 is not sent once v2 exists
        (1, 3, "sent", "problem.quote.replaced"),
    ],
)
def test_only_the_latest_version_is_sent_or_decided(version, latest, target, refusal):
    if refusal:
        with pytest.raises(InvalidTransition) as caught:
            check_latest("AG1-2026-0007", version, latest, target)
        assert caught.value.key == refusal
        newest = "newer" if target == "sent" else "latest"
        assert caught.value.params == {"number": "AG1-2026-0007", "version": version, newest: latest}
    else:
        check_latest("AG1-2026-0007", version, latest, target)


@pytest.mark.parametrize(
    ("po", "requested", "expected_po", "problem"),
    [
        ("", None, "", None),  # neither: a customer who orders without a PO
        ("  PO-4500123 ", None, "PO-4500123", None),
        ("4500  123", TODAY, "4500 123", None),  # inner runs of spaces fold; today itself is fine
        ("X" * 35, date(2027, 1, 15), "X" * 35, None),  # the longest an EDI order reference holds
        ("X" * 36, None, None, "problem.quote.po_too_long"),
        ("", date(2026, 12, 4), None, "problem.quote.delivery_before"),  # yesterday
    ],
)
def test_acceptance(po, requested, expected_po, problem):
    if problem:
        with pytest.raises(ValidationFailed) as caught:
            check_acceptance(po, requested, TODAY)
        assert caught.value.key == problem
    else:
        accepted = check_acceptance(po, requested, TODAY)
        assert (accepted.customer_po, accepted.requested_delivery) == (expected_po, requested)


@pytest.mark.parametrize(
    ("reason", "note", "price", "problem"),
    [
        ("price", "", D("95.50"), None),
        ("no_longer_needed", "", None, None),  # the project was cancelled: no competitor
        ("other", "Bought from a relative's shop", None, None),
        ("other", "   ", None, "problem.quote.lost_other_note"),  # "other" alone says nothing
        ("stock", "", D("-1"), "problem.quote.competitor_price_negative"),
        ("cheaper", "", None, "problem.quote.lost_reason"),  # not a reason on the list
        ("competitor", "", D("0"), None),  # a competitor giving it away is still a price
    ],
)
def test_loss(reason, note, price, problem):
    if problem:
        with pytest.raises(ValidationFailed) as caught:
            check_loss(reason, note, "Würth", price)
        assert caught.value.key == problem
    else:
        loss = check_loss(reason, note, " Würth ", price)
        assert (loss.reason, loss.note, loss.competitor, loss.competitor_price) == (
            LostReason(reason),
            note.strip(),
            "Würth",
            price,
        )


def _line(line_no: int, sku: str) -> QuoteLine:
    return QuoteLine(
        line_no=line_no,
        sku=sku,
        description=sku,
        quantity=D(10),
        unit_price=D("13.10"),
        tax_rate_percent=D(21),
        unit_cost=D(9),
    )


LINES = (_line(1, "P-00487"), _line(2, "P-00112"), _line(3, "G-0001"))


@pytest.mark.parametrize(
    ("given", "expected", "problem"),
    [
        ([], [], None),  # no line prices: the total (or nothing) says it all
        ([(1, "P-00487", D("12.40"))], [(1, "P-00487", D("12.40"))], None),
        # given out of order: stored by line
        ([(3, "G-0001", D("0")), (1, "P-00487", D("12.4"))], [(1, "P-00487", D("12.4")), (3, "G-0001", D("0"))], None),
        ([(2, "P-00112", D("-0.01"))], None, "problem.quote.competitor_line_negative"),
        ([(4, "P-00487", D("1"))], None, "problem.quote.competitor_line_unknown"),  # the quote has 3 lines
        ([(2, "P-00487", D("1"))], None, "problem.quote.competitor_line_unknown"),  # line 2 is P-00112
        ([(1, "P-00487", D("1")), (1, "P-00487", D("2"))], None, "problem.quote.competitor_line_twice"),
        ([(1, "P-00487", D("1.23456"))], None, "problem.quote.competitor_line_price"),  # 5 decimals
    ],
)
def test_competitor_line_prices(given, expected, problem):
    if problem:
        with pytest.raises(ValidationFailed) as caught:
            check_loss("price", "", "Würth", None, line_prices=given, lines=LINES)
        assert caught.value.key == problem
    else:
        loss = check_loss("price", "", "Würth", None, line_prices=given, lines=LINES)
        assert [(p.line_no, p.sku, p.unit_price) for p in loss.line_prices] == expected


def test_line_prices_of_a_quote_without_lines_are_refused():
    with pytest.raises(ValidationFailed) as caught:
        check_line_prices([(1, "P-00487", D("1"))], ())
    assert caught.value.params == {"line": 1, "sku": "P-00487"}
