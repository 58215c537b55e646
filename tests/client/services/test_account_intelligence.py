"""Suggestions on Customer 360 from a real device store: a reorder due, a category the
segment buys and the customer does not, a category she stopped buying; the segment's
shares kept until the next pull."""

from datetime import date, timedelta

import pytest

from client.services import account_intelligence as intelligence
from client.services.account_intelligence import account_suggestions, forget, warm_segment_shares
from client.store import apply_pull_page
from shared.errors import NotFound
from shared.models import Category
from shared.models.reference import InvoiceLine
from tests.client.factories import make_customer, make_invoice, make_product, page, seq_changes

TODAY = date(2026, 6, 30)


@pytest.fixture
def session(seller_session):
    yield seller_session
    forget(seller_session.store)


def _bought(customer: str, sku: str, *days: date) -> list:
    records = []
    for day in days:
        number = f"F-{customer}-{sku}-{day.isoformat()}"
        records += [
            make_invoice(number, customer, issued=day),
            InvoiceLine(
                invoice_number=number,
                line_no=1,
                sku=sku,
                quantity="2",
                unit_price="50.00",
                net_amount="100.00",
                cost_amount="60.00",
            ),
        ]
    return records


def _ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def _world() -> list:
    records = [
        Category(code="WELD", name="Welding"),
        Category(code="WELD-EL", name="Electrodes", parent_code="WELD"),
        Category(code="FIX", name="Fasteners"),
        Category(code="PAINT", name="Paint"),
        make_product("GUA-NIT-09", name="Nitrile gloves", category_code="FIX"),
        make_product("OLD-01", name="Old screws", category_code="FIX", active=False),
        make_product("W1", name="Rutile electrode", category_code="WELD-EL"),
        make_product("W2", name="Welding mask", category_code="WELD"),
        make_product("PT1", name="Primer", category_code="PAINT"),
        make_product("PT2", name="Enamel", category_code="PAINT"),
        make_customer("C1", segment="industria"),
        *(make_customer(f"C{n}", segment="industria") for n in range(2, 7)),
        make_customer("C9", segment="oem"),
    ]
    # C1: gloves every 30 days, last 41 days ago (due); an inactive product as regular (never suggested);
    # paint in five months of 2025 and not in the last six months (lapsed).
    records += _bought("C1", "GUA-NIT-09", _ago(101), _ago(71), _ago(41))
    records += _bought("C1", "OLD-01", _ago(100), _ago(70), _ago(40))
    records += _bought("C1", "PT1", date(2025, 1, 10), date(2025, 3, 10), date(2025, 5, 10), date(2025, 9, 10))
    records += _bought("C1", "PT2", date(2025, 4, 10), date(2025, 4, 20))
    # Three of the five other industria customers buy welding (60%), W1 the most; one buys paint (20%).
    records += _bought("C2", "W1", _ago(20)) + _bought("C2", "W2", _ago(25))
    records += _bought("C3", "W1", _ago(200))
    records += _bought("C4", "W2", _ago(300)) + _bought("C4", "W1", _ago(310))
    records += _bought("C5", "PT1", _ago(10))
    records += _bought("C6", "W1", _ago(400))  # too long ago: not in the last 12 months
    records += _bought("C9", "W2", *(_ago(d) for d in (5, 15, 25)))  # another segment: not counted
    return records


def _load(session, records, start=1):
    apply_pull_page(session.store, page(seq_changes(records, start)))


def _read(session):
    return [(s.kind, s.sku, s.product_name, s.category_name) for s in account_suggestions(session, "C1", as_of=TODAY)]


def test_suggestions_give_a_reorder_due_a_cross_sell_and_a_lapsed_category_with_their_reasons(session):
    _load(session, _world())
    suggestions = account_suggestions(session, "C1", as_of=TODAY)
    assert [(s.kind, s.sku, s.product_name, s.category_name) for s in suggestions] == [
        ("reorder", "GUA-NIT-09", "Nitrile gloves", "Fasteners"),
        ("cross_sell", "W1", "Rutile electrode", "Welding"),
        ("lapsed", "PT1", "Primer", "Paint"),
    ]
    reorder, cross, lapsed = suggestions
    assert (reorder.reorder.cadence_days, reorder.reorder.days_since, reorder.reorder.purchases) == (30, 41, 3)
    assert (cross.cross_sell.buyers, cross.cross_sell.segment_customers, cross.cross_sell.percent) == (3, 5, 60)
    assert (lapsed.lapsed.months_bought, lapsed.lapsed.last_bought) == (5, date(2025, 9, 10))


def test_the_segment_shares_are_kept_until_the_next_pull(session):
    _load(session, _world())
    assert [s[1] for s in _read(session) if s[0] == "cross_sell"] == ["W1"]
    # Two more industria customers and C5 buy W2: 6 of the 7 others buy welding, W2 (5) more than W1 (3).
    more = [make_customer("C7", segment="industria"), make_customer("C8", segment="industria")]
    more += _bought("C7", "W2", _ago(3)) + _bought("C8", "W2", _ago(4)) + _bought("C5", "W2", _ago(5))
    apply_pull_page(session.store, page(seq_changes(more, 1000)))  # the cursor moves: shares read again
    cold = account_suggestions(session, "C1", as_of=TODAY)
    cross = next(s for s in cold if s.kind == "cross_sell")
    assert (cross.sku, cross.cross_sell.buyers, cross.cross_sell.segment_customers) == ("W2", 6, 7)
    # Kept until the next pull: a second read gives the same.
    assert account_suggestions(session, "C1", as_of=TODAY) == cold


def test_a_customer_with_no_history_gets_cross_sell_only_and_an_unknown_one_is_refused(session):
    _load(session, _world())
    # C6 bought welding 400 days ago only: welding (3 of 5 others) and paint (C1 and C5: 40%).
    assert [(s.kind, s.sku, s.cross_sell.percent) for s in account_suggestions(session, "C6", as_of=TODAY)] == [
        ("cross_sell", "W1", 60),
        ("cross_sell", "PT1", 40),
    ]
    with pytest.raises(NotFound):
        account_suggestions(session, "NOPE", as_of=TODAY)


def test_warming_after_a_round_aggregates_each_segment_once_and_the_suggestions_use_it(session, monkeypatch):
    _load(session, _world())
    with session.store.read() as db:
        segments = {c[0] for c in db.execute("SELECT DISTINCT segment FROM customers").fetchall()}
    assert warm_segment_shares(session, as_of=TODAY) == len(segments)
    assert warm_segment_shares(session, as_of=TODAY) == 0  # nothing pulled since: all kept
    aggregated: list[str] = []
    real = intelligence.segment_shares

    def counting(store, db, segment, period_start):
        before = intelligence._kept_for(store, segment)
        shares = real(store, db, segment, period_start)
        if shares is not before:
            aggregated.append(segment)
        return shares

    monkeypatch.setattr(intelligence, "segment_shares", counting)
    account_suggestions(session, "C1", as_of=TODAY)
    assert aggregated == []  # the first opening after the round found them ready
