"""Quote metrics over hand-built quote numbers: load, conversion, losses, speed, price, credit."""

from datetime import date
from decimal import Decimal as D

import pytest

from shared.rules.metrics import Durations, Period, quote_threads
from shared.rules.metrics_quotes import (
    ApprovalTime,
    Conversion,
    CreditBlocks,
    PricePoint,
    ReasonTotal,
    SellerQuotes,
    approval_time,
    conversion,
    credit_blocks,
    lost_reasons,
    quotes_per_seller,
    time_to_first_quote,
    winning_vs_losing,
)
from tests.shared.rules.metric_factories import at, decision, lead, line, quote, request, uid, visit

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def _threads(*quotes):
    return list(quote_threads(quotes).values())


@pytest.mark.parametrize(
    ("quotes", "expected"),
    [
        ([], ()),
        ([quote("A-1"), quote("A-1", 2), quote("A-2", status="draft")], (SellerQuotes("ana", 2, 3, 1),)),
        (
            [quote("A-1", status="pending_approval"), quote("B-1", seller="bea", status="lost", lost_reason="price")],
            (SellerQuotes("ana", 1, 1, 0), SellerQuotes("bea", 1, 1, 1)),
        ),
    ],
)
def test_quotes_per_seller(quotes, expected):
    assert quotes_per_seller(_threads(*quotes)) == expected


@pytest.mark.parametrize(
    ("statuses", "expected", "rate"),
    [
        ([], Conversion(0, 0, 0, 0, 0, 0), None),
        # drafts, approvals pending, approved or rejected were never offered
        (["draft", "pending_approval", "approved", "rejected"], Conversion(0, 0, 0, 0, 0, 0), None),
        # a quote never answered counts as offered and not converted
        (["accepted", "sent", "lost", "expired"], Conversion(4, 1, 1, 1, 0, 1), D("25.0")),
        (["accepted", "accepted", "withdrawn"], Conversion(3, 2, 0, 0, 1, 0), D("66.7")),
    ],
)
def test_quote_to_order_conversion(statuses, expected, rate):
    quotes = [quote(f"Q-{i}", status=s, lost_reason="price" if s == "lost" else None) for i, s in enumerate(statuses)]
    found = conversion(_threads(*quotes))
    assert (found, found.rate) == (expected, rate)


def test_conversion_reads_the_latest_version():
    # v1 lost for price, then a cheaper v2 accepted: one offered, one accepted
    threads = _threads(quote("Q-1", 1, "lost", lost_reason="price"), quote("Q-1", 2, "accepted"))
    assert conversion(threads) == Conversion(1, 1, 0, 0, 0, 0)


def test_lost_reasons_count_the_latest_version_and_keep_currencies_apart():
    threads = _threads(
        quote("Q-1", 1, "lost", lost_reason="stock", net="50"),
        quote("Q-1", 2, "lost", lost_reason="price", net="40"),  # the latest says price
        quote("Q-2", status="lost", lost_reason="price", net="100", currency="USD"),
        quote("Q-3", status="lost", lost_reason="delay", net="10"),
        quote("Q-4", status="accepted", net="999"),
    )
    assert lost_reasons(threads) == (
        ReasonTotal("price", 2, (("EUR", D("40")), ("USD", D("100")))),
        ReasonTotal("delay", 1, (("EUR", D("10")),)),
    )


def test_time_to_first_quote_runs_from_the_earliest_request_to_the_first_version():
    opp, met = uid(), uid()
    threads = _threads(
        # lead on 2 March, visit on 5 March, first version on 9 March (v2 on the 20th does not count)
        quote("Q-1", 1, day="2026-03-09", opportunity=opp, visit=met),
        quote("Q-1", 2, day="2026-03-20", opportunity=opp, visit=met),
        quote("Q-2", day="2026-03-05", visit=met),  # same day as the visit: 0 days
        quote("Q-3", day="2026-03-06"),  # no known request: not measured
    )
    leads = [lead("web_form", "converted", day="2026-03-02", opportunity=opp)]
    visits = [visit("2026-03-05", id=met)]
    found = time_to_first_quote(threads, leads, visits)
    assert found.days == Durations(2, D("3.5"), D("3.5"))
    assert found.unmeasured == 1


def test_a_quote_dated_before_its_request_waited_zero_days():
    met = uid()
    found = time_to_first_quote(_threads(quote("Q-1", day="2026-03-01", visit=met)), [], [visit("2026-03-04", id=met)])
    assert found.days == Durations(1, D("0.0"), D("0.0"))


def test_approval_time_in_hours_with_pending_and_per_rule():
    q = uid()
    fast = request(q, at("2026-03-02", 9), ("discount_above_band",))
    slow = request(q, at("2026-03-03", 9), ("discount_above_band", "credit_blocked"))
    waiting = request(q, at("2026-03-30", 12))
    unsynced = request(q, None)  # never reached the server: no clock to start from
    february = request(q, at("2026-02-27", 9))
    decisions = [
        decision(fast.id, at("2026-03-02", 11)),  # 2 h
        decision(slow.id, at("2026-03-04", 15)),  # 30 h
        decision(slow.id, at("2026-03-05", 15)),  # a second decision does not count
        decision(february.id, at("2026-03-01", 9)),
    ]
    found = approval_time([fast, slow, waiting, unsynced, february], decisions, MARCH, at("2026-03-31", 12))
    assert found == ApprovalTime(
        decided=Durations(2, D("16.0"), D("16.0")),
        pending=1,
        oldest_pending_hours=D("24.0"),
        by_rule=(
            ("credit_blocked", Durations(1, D("30.0"), D("30.0"))),
            ("discount_above_band", Durations(2, D("16.0"), D("16.0"))),
        ),
    )


def test_winning_vs_losing_price_by_product_segment_and_currency():
    won = quote(
        "Q-1", status="accepted", customer="C1", header_discount="10",
        lines=(line(1, "GUA", "10", "2.00"), line(2, "CAS", "1", "30", discount="50")),
    )  # fmt: skip
    won_again = quote("Q-2", status="accepted", customer="C1", lines=(line(1, "GUA", "30", "1.80"),))
    lost = quote(
        "Q-3", status="lost", lost_reason="price", customer="C2",
        lines=(line(1, "GUA", "20", "2.10"),), competitor_lines=((1, "GUA", "1.70"),),
    )  # fmt: skip
    lost_usd = quote(
        "Q-4", status="lost", lost_reason="price", customer="C1", currency="USD", lines=(line(1, "GUA", "5", "2.50"),)
    )
    sent = quote("Q-5", status="sent", customer="C1", lines=(line(1, "GUA", "99", "9"),))  # no answer yet: neither
    segments = {"C1": "oem", "C2": "retail"}
    assert winning_vs_losing(_threads(won, won_again, lost, lost_usd, sent), segments) == (
        PricePoint("CAS", "oem", "EUR", 1, D("13.5000"), 0, None, 0, None),
        # (10 × 1.80 + 30 × 1.80) / 40: the header discount nets 2.00 to 1.80
        PricePoint("GUA", "oem", "EUR", 2, D("1.8000"), 0, None, 0, None),
        PricePoint("GUA", "oem", "USD", 0, None, 1, D("2.5000"), 0, None),
        PricePoint("GUA", "retail", "EUR", 0, None, 1, D("2.1000"), 1, D("1.7000")),
    )


@pytest.mark.parametrize(
    ("quotes", "expected"),
    [
        ([quote("Q-1", fired=("discount_above_band",))], CreditBlocks(0, 0, 0, 0, 0, 0, ())),
        (
            [
                # blocked on v1 (caught, the seller waited), cleared on v2 and accepted
                quote("Q-1", 1, "pending_approval", fired=("credit_blocked",), net="100"),
                quote("Q-1", 2, "accepted", net="90"),
                # a warning that stopped the quote before it went out
                quote("Q-2", 1, "rejected", fired=("credit_warning",), customer="C2", net="10"),
                quote("Q-3", 1, "sent", fired=("credit_warning", "credit_blocked"), currency="USD", net="5"),
            ],
            CreditBlocks(3, 2, 2, 1, 2, 1, (("EUR", D("100")), ("USD", D("5")))),
        ),
    ],
)
def test_credit_blocks_caught_before_quote(quotes, expected):
    assert credit_blocks(_threads(*quotes)) == expected
