"""Prospects on the device: made offline under the device's prefix, shown as a customer of the
portfolio (no history, no credit, prepayment), quoted on prepaid terms; the store's mirror
follows pulls, refusals and the ERP's customer under the same code."""

from datetime import UTC, date, datetime

import pytest

from client.services.portfolio import search_customers
from client.services.prospects import device_prefix, get_prospect, new_prospect
from client.services.quoting import start_quote
from client.store import apply_pull_page
from client.store.effects import undo_effect
from shared.errors import ValidationFailed
from shared.models import PriceList
from shared.models.prospect import Prospect
from shared.protocol import CATALOG_BUCKET, Change
from tests.client.factories import keep_company, make_customer, page, put, table_rows

NOW = datetime(2026, 6, 30, 10, 0, tzinfo=UTC)
BASE = PriceList(code="BASE", name="Tarifa general", kind="base", currency="EUR", valid_from=date(2020, 1, 1))


EXPORT_USD = PriceList(code="BASE-USD", name="Export", kind="base", currency="USD", valid_from=date(2026, 1, 1))


@pytest.fixture
def session(seller_session):
    # Two base lists: the company's default is the one in force the longest (EUR), not the export one.
    apply_pull_page(
        seller_session.store,
        page([put(EXPORT_USD, 1, bucket=CATALOG_BUCKET), put(BASE, 2, bucket=CATALOG_BUCKET)]),
    )
    keep_company(seller_session.store)
    return seller_session


def _rows(session, table, code):
    return [r for r in table_rows(session.store, table) if r["id"] == code]


def test_a_prospect_is_made_offline_and_shows_in_the_portfolio(session):
    first = new_prospect(session, " Talleres Ruiz ", contact="Luis Ruiz", city="Braga", country="pt", now=NOW)
    second = new_prospect(session, "Obras Norte", now=NOW)
    prefix = device_prefix(session)
    assert (first.code, second.code) == (f"P-{prefix}-00001", f"P-{prefix}-00002")
    assert (first.name, first.country, first.currency, first.seller_login) == (
        "Talleres Ruiz",
        "PT",
        "EUR",
        "ana.garcia",
    )
    assert second.country == "ES"  # the company's country (its synced profile)
    assert get_prospect(session, first.code) == first
    [row] = [r for r in search_customers(session.store, "ruiz") if r.code == first.code]
    assert row.is_prospect and row.legal_name == "Talleres Ruiz"
    [credit] = _rows(session, "credit", first.code)
    assert (credit["prepayment_required"], credit["credit_limit"], credit["_version"]) == (1, "0", 0)
    with session.store.read() as db:
        assert [r[0] for r in db.execute("SELECT name FROM outbox")] == ["save_prospect", "save_prospect"]


def test_a_prospect_needs_a_name_and_a_country(session):
    with pytest.raises(ValidationFailed) as nameless:
        new_prospect(session, "  ")
    assert nameless.value.key == "problem.prospect.no_name"
    with pytest.raises(ValidationFailed) as nowhere:
        new_prospect(session, "Talleres Ruiz", country="XX")
    assert nowhere.value.key == "problem.prospect.bad_country"
    with pytest.raises(ValidationFailed) as unreachable:
        new_prospect(session, "Talleres Ruiz", email="not an e-mail")
    assert unreachable.value.key == "problem.prospect.invalid" and "email" in unreachable.value.params["problems"]
    assert table_rows(session.store, "prospects") == []


def test_a_prospect_is_quoted_on_prepaid_terms(session):
    prospect = new_prospect(session, "Talleres Ruiz", now=NOW)
    priced = start_quote(session, prospect.code)
    assert (priced.draft.payment_terms, priced.draft.currency) == ("PREPAID", "EUR")


def test_the_mirror_follows_pulls_refusals_and_the_erps_customer(session):
    prospect = new_prospect(session, "Talleres Ruiz", now=NOW)
    code = prospect.code
    with session.store.write() as db:
        db.execute("DELETE FROM outbox")  # pushed and acknowledged: the server's copy is the one
    pulled = Change(
        seq=12, bucket="activity:ana.garcia", entity="prospect", id=code, op="put", version=1,
        data={**prospect.to_data(), "name": "Talleres Ruiz S.A."},
    )  # fmt: skip
    apply_pull_page(session.store, _page(pulled))
    [customer] = _rows(session, "customers", code)
    assert (customer["legal_name"], customer["_version"]) == ("Talleres Ruiz S.A.", 0)
    # The ERP creates the customer under the prospect's code: its row wins and stays.
    erp = make_customer(code, legal_name="Talleres Ruiz, S.A.", seller_login="ana.garcia")
    apply_pull_page(session.store, _page(put(erp, 13)))
    apply_pull_page(session.store, _page(pulled.model_copy(update={"seq": 14, "version": 2})))
    [customer] = _rows(session, "customers", code)
    assert (customer["legal_name"], customer["_version"]) == ("Talleres Ruiz, S.A.", 1)


def test_a_refused_prospect_leaves_no_customer_behind(session):
    prospect = new_prospect(session, "Talleres Ruiz", now=NOW)
    with session.store.write() as db:
        db.execute("DELETE FROM outbox")  # the refused mutation leaves the outbox, then its effect is undone
        undo_effect(db, "save_prospect", {"prospect": prospect.to_data()})
    assert _rows(session, "prospects", prospect.code) == []
    assert _rows(session, "customers", prospect.code) == _rows(session, "credit", prospect.code) == []


def _page(*changes):
    return page(list(changes))


def test_a_prospect_model_round_trips_through_its_row(session):
    prospect = new_prospect(session, "Ferretería Ñandú", tax_id="B12345678", email="a@b.example", now=NOW)
    [row] = _rows(session, "prospects", prospect.code)
    assert Prospect.model_validate({k: v for k, v in row.items() if not k.startswith("_") and k != "id"}) == prospect
