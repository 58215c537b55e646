"""Periods, quote threads, summaries and currency conversion of the metrics, by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from shared.models import FxRate
from shared.rules.metrics import (
    Converted,
    Durations,
    Period,
    convert,
    month_of,
    months_in,
    percent,
    previous_of,
    quarter_of,
    quote_threads,
    rates_to,
    summarize,
    threads_in,
)
from tests.shared.rules.metric_factories import quote

d = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "make", "expected", "previous"),
    [
        ("2026-03-15", month_of, ("2026-03-01", "2026-03-31"), ("2026-02-01", "2026-02-28")),
        ("2024-03-01", month_of, ("2024-03-01", "2024-03-31"), ("2024-02-01", "2024-02-29")),  # leap year
        ("2026-01-31", month_of, ("2026-01-01", "2026-01-31"), ("2025-12-01", "2025-12-31")),  # across a year
        ("2026-05-20", quarter_of, ("2026-04-01", "2026-06-30"), ("2026-01-01", "2026-03-31")),
        ("2026-02-01", quarter_of, ("2026-01-01", "2026-03-31"), ("2025-10-01", "2025-12-31")),
    ],
)
def test_calendar_periods_and_the_one_before(day, make, expected, previous):
    period = make(d(day))
    assert (period.start, period.end) == (d(expected[0]), d(expected[1]))
    before = previous_of(period)
    assert (before.start, before.end) == (d(previous[0]), d(previous[1]))


def test_a_period_of_days_is_preceded_by_as_many_days():
    period = Period(d("2026-03-10"), d("2026-03-16"))
    assert period.days == 7
    assert previous_of(period) == Period(d("2026-03-03"), d("2026-03-09"))
    assert period.contains(d("2026-03-10")) and period.contains(d("2026-03-16"))
    assert not period.contains(d("2026-03-17")) and not period.contains(None)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="before it starts"):
        Period(d("2026-03-10"), d("2026-03-09"))


def test_a_quote_number_counts_once_dated_by_its_first_version_with_its_latest_status():
    versions = [
        quote("Q-1", 1, "sent", "2026-02-27", fired=("credit_blocked",)),
        quote("Q-1", 3, "accepted", "2026-03-04"),
        quote("Q-1", 2, "sent", "2026-03-02"),
        quote("Q-2", 1, "draft", "2026-03-05"),
    ]
    threads = quote_threads(versions)
    assert set(threads) == {"Q-1", "Q-2"}
    q1 = threads["Q-1"]
    assert (q1.versions, q1.first.version, q1.latest.version, q1.status) == (3, 1, 3, "accepted")
    assert q1.offered_on == d("2026-02-27") and q1.fired == {"credit_blocked"}
    # Q-1 was first offered in February: March holds only Q-2
    assert [t.number for t in threads_in(threads.values(), month_of(d("2026-03-01")))] == ["Q-2"]
    assert [t.number for t in threads_in(threads.values(), month_of(d("2026-02-01")))] == ["Q-1"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], Durations(0, None, None)),
        (["4"], Durations(1, D("4.0"), D("4.0"))),
        (["1", "2", "10"], Durations(3, D("2.0"), D("4.3"))),
        (["1", "2", "3", "10"], Durations(4, D("2.5"), D("4.0"))),  # even count: mean of the middle two
        (["0.25", "0.5"], Durations(2, D("0.4"), D("0.4"))),  # 0.375 half up
    ],
)
def test_summaries_of_waiting_times(values, expected):
    assert summarize(D(v) for v in values) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 3, D("33.3")), (2, 3, D("66.7")), (0, 5, D("0.0")), (5, 5, D("100.0")), (1, 0, None)],
)
def test_percent(part, whole, expected):
    assert percent(part, whole) == expected


def _fx(day: str, base: str, quote_currency: str, rate: str) -> FxRate:
    return FxRate(rate_date=d(day), base_currency=base, quote_currency=quote_currency, rate=D(rate))


def test_rates_to_the_company_currency_leave_out_the_stale_and_the_missing():
    rates = [
        _fx("2026-03-30", "USD", "EUR", "0.92"),
        _fx("2026-03-31", "EUR", "GBP", "0.8"),  # inverse pair: 1 GBP = 1.25 EUR
        _fx("2026-03-01", "CHF", "EUR", "1.05"),  # thirty days old on the 31st: stale
    ]
    found = rates_to(["USD", "GBP", "CHF", "JPY", "EUR"], "EUR", rates, d("2026-03-31"))
    assert found == {"EUR": D(1), "USD": D("0.92"), "GBP": D("1.25")}


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        ({}, Converted("EUR", D("0.00"))),
        ({"EUR": D("10.005")}, Converted("EUR", D("10.01"))),
        ({"EUR": D("100"), "USD": D("100")}, Converted("EUR", D("192.00"))),
        # rounded once at the end: 0.005 + 0.005 USD × 0.92 would round to 0.01 each line
        ({"USD": D("0.011")}, Converted("EUR", D("0.01"))),
        (
            {"EUR": D("50"), "CHF": D("80"), "JPY": D("900")},
            Converted("EUR", D("50.00"), (("CHF", D("80")), ("JPY", D("900")))),
        ),
    ],
)
def test_amounts_per_currency_convert_or_stay_apart(amounts, expected):
    assert convert(amounts, "EUR", {"EUR": D(1), "USD": D("0.92")}) == expected


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2026-03-01", "2026-03-31", [("2026-03-01", "2026-03-31")]),
        ("2026-01-01", "2026-03-31", [("2026-01-01", "2026-01-31"), ("2026-02-01", "2026-02-28"),
                                      ("2026-03-01", "2026-03-31")]),
        ("2025-11-01", "2026-01-31", [("2025-11-01", "2025-11-30"), ("2025-12-01", "2025-12-31"),
                                      ("2026-01-01", "2026-01-31")]),
    ],
)  # fmt: skip
def test_a_quarter_is_made_of_its_calendar_months(start, end, months):
    found = months_in(Period(date.fromisoformat(start), date.fromisoformat(end)))
    assert [(m.start.isoformat(), m.end.isoformat()) for m in found] == months


@pytest.mark.parametrize(("start", "end"), [("2026-03-02", "2026-03-31"), ("2026-03-01", "2026-04-15")])
def test_a_period_not_made_of_whole_months_is_refused(start, end):
    with pytest.raises(ValueError, match="not made of whole calendar months"):
        months_in(Period(date.fromisoformat(start), date.fromisoformat(end)))
