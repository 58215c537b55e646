"""Account metrics over hand-built records: leads, pipeline, margin, lost stock, dormancy, gaps."""

from datetime import date
from decimal import Decimal as D

import pytest

from shared.models import Customer
from shared.rules.lost_sales import LostTotal
from shared.rules.metrics import Converted, Period, quote_threads
from shared.rules.metrics_accounts import (
    ChannelLeads,
    DormantCustomer,
    MarginLeak,
    PortfolioPipeline,
    Unpenetrated,
    category_gaps,
    dormant_customers,
    invoiced_cost,
    leads_by_channel,
    lost_to_stock,
    margin_leak,
    opportunities_by_portfolio,
    stock_losses,
    unpenetrated_categories,
)
from tests.shared.rules.metric_factories import (
    customer,
    invoice_line,
    lead,
    line,
    lost_sale,
    opportunity,
    order,
    quote,
)

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
d = date.fromisoformat


def test_leads_by_channel_and_their_management_rate():
    leads = [
        lead("web_form", "new"),
        lead("web_form", "contacted"),
        lead("web_form", "converted"),
        lead("web_form", "discarded"),
        lead("phone", "qualified"),
        lead("visit", "new"),
        lead("phone", "new", day="2026-02-28"),  # February: not this period
    ]
    found = leads_by_channel(leads, MARCH)
    assert found == (
        ChannelLeads("visit", 1, 0, 0, 0),
        ChannelLeads("phone", 1, 1, 0, 0),
        ChannelLeads("web_form", 4, 3, 1, 1),
    )
    assert [c.management_rate for c in found] == [D("0.0"), D("100.0"), D("75.0")]


def test_opportunities_count_with_the_seller_holding_the_customer_now():
    customers = [customer("C1", "ana"), customer("C2", "ana"), customer("C3", "bea"), customer("C4", None)]
    opportunities = [
        opportunity("C1", "proposal", "1000", "50"),
        opportunity("C1", "lead", "100", "10", currency="USD"),
        # opened by ana before C3 moved to bea: bea's pipeline now
        opportunity("C3", "negotiation", "200", "80", seller="ana"),
        opportunity("C2", "won", "5000"),  # closed: not in the pipeline
        opportunity("C3", "lead", "70", "10", currency="CHF"),  # no rate: shown apart
        opportunity("C4", "lead", "999"),  # nobody holds C4
    ]
    found = opportunities_by_portfolio(opportunities, customers, "EUR", {"EUR": D(1), "USD": D("0.92")})
    assert found == (
        # 1000 + 92 = 1092; 500 + 9.2 = 509.20
        PortfolioPipeline("ana", 2, 1, 2, D("1092.00"), D("509.20"), ()),
        PortfolioPipeline("bea", 1, 1, 2, D("200.00"), D("160.00"), (("CHF", D("70")),)),
    )
    assert [p.without_open for p in found] == [1, 0]


@pytest.mark.parametrize(
    ("net", "cost", "expected"),
    [("100", "60", D("60")), ("-25", "15", D("-15")), ("-10", "0", D("0"))],
)
def test_a_credit_note_line_takes_back_its_cost(net, cost, expected):
    assert invoiced_cost(invoice_line("F-1", 1, "GUA", "1", net, cost)) == expected


def test_quoted_against_invoiced_margin_with_credit_notes_and_currencies():
    accepted = quote("Q-1", 2, "accepted", lines=(line(1, "GUA", "10", "10", cost="6"),))  # net 100, margin 40
    replaced = quote("Q-1", 1, "sent", lines=(line(1, "GUA", "10", "12", cost="6"),))
    usd = quote("Q-2", status="accepted", currency="USD", lines=(line(1, "CAS", "2", "50", cost="30"),))
    elsewhere = quote("Q-3", status="accepted", lines=(line(1, "CAS", "1", "10", cost="1"),))
    not_invoiced = quote("Q-4", status="accepted", lines=(line(1, "CAS", "1", "10", cost="1"),))
    o1, o2, o3, o4 = order(accepted), order(usd), order(elsewhere), order(not_invoiced)
    stale = order(replaced)  # an order naming a replaced version is not the quote's outcome
    lines = [
        invoice_line("F-1", 1, "GUA", "10", "95", "62", o1.id),  # invoiced cheaper, cost rose
        invoice_line("NC-1", 1, "GUA", "1", "-9.5", "6.2", o1.id),  # one unit came back
        invoice_line("F-2", 1, "CAS", "2", "100", "60", o2.id),
        invoice_line("F-3", 1, "CAS", "1", "10", "1", o3.id),  # invoiced in GBP: cannot compare
        invoice_line("F-1", 2, "GUA", "10", "120", "60", stale.id),
    ]
    currency = {"F-1": "EUR", "NC-1": "EUR", "F-2": "USD", "F-3": "GBP"}
    threads = quote_threads([accepted, replaced, usd, elsewhere, not_invoiced]).values()
    found = margin_leak(threads, [o1, o2, o3, o4, stale], lines, currency)
    assert found == (
        MarginLeak("EUR", 1, D("100.00"), D("40.00"), D("85.5"), D("29.7")),
        MarginLeak("USD", 1, D("100.00"), D("40.00"), D("100"), D("40")),
    )
    # 40 % quoted, 29.7 / 85.5 = 34.74 % invoiced: 5.26 points leaked
    assert (found[0].quoted_percent, found[0].invoiced_percent, found[0].leak_points) == (
        D("40.00"), D("34.74"), D("5.26"),
    )  # fmt: skip
    assert found[1].leak_points == D("0.00")


def test_lost_sales_due_to_stock_in_the_period_per_currency():
    recorded = [
        (lost_sale("GUA", "10", "2.375"), d("2026-03-03")),
        (lost_sale("GUA", "3", "0.335"), d("2026-03-31")),
        (lost_sale("CAS", "1", "100", currency="USD"), d("2026-03-15")),
        (lost_sale("CAS", "1", "100", reason="price"), d("2026-03-15")),  # not stock
        (lost_sale("CAS", "5", "100"), d("2026-04-01")),  # April
    ]
    found = lost_to_stock(recorded, MARCH)
    assert found.totals == (LostTotal("EUR", 2, D("24.76")), LostTotal("USD", 1, D("100.00")))
    assert found.products == 2
    assert found.converted("EUR", {"EUR": D(1)}) == Converted("EUR", D("24.76"), (("USD", D("100.00")),))


def test_dormant_customers_and_whether_anyone_went_back():
    customers = [customer("C1"), customer("C2", "bea"), customer("C3"), customer("C4"), customer("C5", None)]
    last_invoice = {
        "C1": d("2025-08-01"),  # dormant, visited since
        "C2": d("2025-06-01"),  # dormant, last visited before the last invoice
        "C3": d("2026-02-01"),  # buying
        "C5": d("2025-01-01"),  # nobody holds it
    }  # C4 never invoiced: a prospect, not dormant
    last_touch = {"C1": d("2026-03-10"), "C2": d("2025-05-01")}
    assert dormant_customers(customers, last_invoice, last_touch, d("2026-03-31")) == (
        DormantCustomer("C2", "bea", d("2025-06-01"), d("2025-05-01"), False),
        DormantCustomer("C1", "ana", d("2025-08-01"), d("2026-03-10"), True),
    )


def test_unpenetrated_categories_are_what_most_of_the_segment_buys():
    # an "oem" segment of six: five buy GLOVES, two buy CABLE; C6 buys neither
    oem = [customer(f"C{n}") for n in range(1, 7)]
    bought = {f"C{n}": {"GLOVES"} for n in range(1, 6)} | {"C1": {"GLOVES", "CABLE"}, "C2": {"GLOVES", "CABLE"}}
    retail: list[Customer] = [customer("R1", segment="retail")]  # too small a segment to read
    found = unpenetrated_categories([*oem, *retail], bought)
    # C6: GLOVES 5 of 5 others (100 %), CABLE 2 of 5 (40 %: the threshold)
    # C3..C5: CABLE 2 of 5 others (40 %)
    assert found == (
        Unpenetrated("C3", "ana", "CABLE", 40),
        Unpenetrated("C4", "ana", "CABLE", 40),
        Unpenetrated("C5", "ana", "CABLE", 40),
        Unpenetrated("C6", "ana", "GLOVES", 100),
        Unpenetrated("C6", "ana", "CABLE", 40),
    )
    assert category_gaps(found) == (("CABLE", 4), ("GLOVES", 1))


@pytest.mark.parametrize(
    ("status", "reason", "lines", "header", "expected"),
    [
        # lost for stock: every line, at its net unit price after both discounts
        ("lost", "stock", (line(1, "GUA", "10", "2.50", discount="10"),), "0", [("GUA", D("10"), D("2.25"))]),
        (
            "lost",
            "stock",
            (line(1, "GUA", "4", "10"), line(2, "CAS", "1", "100", discount="50")),
            "10",
            [("GUA", D("4"), D("9.00")), ("CAS", D("1"), D("45.00"))],
        ),
        ("lost", "price", (line(1, "GUA", "10", "2.50"),), "0", []),  # lost for another reason
        ("lost", None, (line(1, "GUA", "10", "2.50"),), "0", []),
        ("sent", "stock", (line(1, "GUA", "10", "2.50"),), "0", []),  # not lost (a stale reason)
        ("accepted", None, (line(1, "GUA", "10", "2.50"),), "0", []),
    ],
)
def test_a_quote_lost_for_stock_loses_each_of_its_lines(status, reason, lines, header, expected):
    lost = quote("Q1", status=status, lost_reason=reason, lines=lines, header_discount=header)
    found = stock_losses([], quote_threads([lost]).values())
    assert [(x.sku, x.quantity, x.unit_price) for x, _ in found] == expected
    assert [(x.quote_id, day) for x, day in found] == [(lost.id, d("2026-03-10"))] * len(expected)  # offered then


def test_sales_lost_for_stock_add_the_quotes_lost_for_stock_to_the_lines_dropped_for_it():
    lost = quote("Q1", status="lost", lost_reason="stock", lines=(line(1, "GUA", "10", "2.50"),))
    # dropped from Q1 before it was lost: recorded then, and no longer one of its lines
    dropped = lost_sale("CAS", "2", "100").model_copy(update={"quote_id": lost.id})
    april = quote("Q2", status="lost", lost_reason="stock", day="2026-04-02", lines=(line(1, "GUA", "1", "9"),))
    other = quote("Q3", status="lost", lost_reason="delay", lines=(line(1, "GUA", "99", "9"),))
    found = lost_to_stock(
        stock_losses([(dropped, d("2026-03-05"))], quote_threads([lost, april, other]).values()), MARCH
    )
    assert found.totals == (LostTotal("EUR", 2, D("225.00")),)  # 2 × 100 + 10 × 2.50
    assert found.products == 2
