"""Delivery dates per line: working days from the quote or from the incoming lot; late lines."""

from datetime import date
from decimal import Decimal

import pytest

from shared.rules.availability import Promise, PromiseKind
from shared.rules.delivery_dates import (
    DeliveryFit,
    add_working_days,
    delivery_fit,
    promised_delivery,
    requested_delivery,
)

D = Decimal
THU, FRI, SAT, SUN, MON = (date(2026, 12, d) for d in (10, 11, 12, 13, 14))


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (MON, 2, date(2026, 12, 16)),  # Mon → Wed
        (THU, 2, MON),  # Thu → Fri, Mon
        (FRI, 2, date(2026, 12, 15)),  # Fri → Mon, Tue
        (SAT, 2, date(2026, 12, 15)),  # a weekend start counts from Monday
        (SUN, 1, MON),
        (FRI, 0, FRI),
        (SAT, 0, MON),  # no delivery on a Sunday or a Saturday
        (FRI, 5, date(2026, 12, 18)),
        (date(2026, 12, 31), 2, date(2027, 1, 4)),  # Thu 31 → Fri 1, Mon 4 (no holiday calendar)
    ],
)
def test_working_days_skip_weekends(start, days, expected):
    assert add_working_days(start, days) == expected


def test_negative_delivery_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(MON, -1)


def _promise(kind, qty, now, incoming="0", when=None, uncovered="0"):
    return Promise(
        PromiseKind(kind),
        "A",
        D(qty),
        "MAD" if D(now) else None,
        quantity_now=D(now),
        available_now=D(now),
        incoming_quantity=D(incoming),
        incoming_date=when,
        is_short=kind not in ("now_home", "now_other"),
        uncovered_quantity=D(uncovered),
    )


@pytest.mark.parametrize(
    ("promise", "expected"),
    [
        (_promise("now_home", "10", "10"), date(2026, 12, 15)),  # quoted Fri 11: Mon, Tue
        (_promise("now_other", "10", "10"), date(2026, 12, 15)),  # another warehouse: same days
        # 40 now, 60 arriving Wed 16: two working days after the lot
        (_promise("partial", "100", "40", "60", date(2026, 12, 16)), date(2026, 12, 18)),
        (_promise("incoming", "100", "0", "100", date(2026, 12, 18)), date(2026, 12, 22)),  # Fri lot → Tue
        (_promise("incoming", "100", "0", "60", date(2026, 12, 16), "40"), None),  # lots cover only part
        (_promise("partial", "100", "40", "0", None, "60"), None),  # nothing coming
        (_promise("substitute", "100", "0", "0", None, "100"), None),
        (_promise("none", "100", "0", "0", None, "100"), None),
    ],
)
def test_a_line_is_promised_from_stock_or_its_incoming_lot(promise, expected):
    assert promised_delivery(promise, FRI, 2) == expected


def test_a_lot_already_due_counts_from_the_quote_date():
    assert promised_delivery(_promise("incoming", "5", "0", "5", THU), FRI, 2) == date(2026, 12, 15)


def test_the_company_default_is_two_working_days():
    assert promised_delivery(_promise("now_home", "1", "1"), THU) == MON


@pytest.mark.parametrize(
    ("line", "quote", "expected"),
    [(None, None, None), (None, FRI, FRI), (MON, FRI, MON), (MON, None, MON)],
)
def test_a_line_asks_for_its_own_date_else_the_quotes(line, quote, expected):
    assert requested_delivery(line, quote) == expected


@pytest.mark.parametrize(
    ("requested", "promised", "fit"),
    [
        (None, MON, DeliveryFit.NOT_ASKED),
        (None, None, DeliveryFit.NOT_ASKED),
        (MON, MON, DeliveryFit.ON_TIME),
        (date(2026, 12, 15), MON, DeliveryFit.ON_TIME),
        (FRI, MON, DeliveryFit.LATE),  # asked earlier than can be promised: the line warns
        (FRI, None, DeliveryFit.UNDATED),
    ],
)
def test_a_line_is_late_when_asked_earlier_than_promised(requested, promised, fit):
    assert delivery_fit(requested, promised) == fit
