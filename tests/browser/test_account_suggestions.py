"""Suggestions on a customer's page: the real app in headless Chromium.

The seller opens a customer of hers who, by the demo history, is due to buy a product again
(bought at least three times, the days since the last purchase past her usual gap). The
Suggestions panel names it with its reason in words; one tap opens a new quote for her with
that product as the first line.
"""

import csv
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from client.app import create_web_app
from client.settings import ClientSettings
from shared.rules.account_intelligence import ReorderDue, reorders_due
from sync_server.app import create_app
from sync_server.importer.demo import DEMO_PASSWORD
from tests.browser.conftest import demo_server_settings
from tests.browser.helpers import ServerThread, StoppableServer, open_app, shot, sid, type_into, wait_text
from tests.browser.test_quote_answers import _open_customer
from tests.browser.test_seller_day import _customers_of


@pytest.fixture
def office(tmp_path, demo_database):
    settings = demo_server_settings(demo_database, tmp_path / "server")
    server = StoppableServer(create_app(settings))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def tablet(browser, office, tmp_path):
    settings = ClientSettings(server_url=office.url, data_dir=tmp_path / "device", sync_interval_minutes=60)
    with ServerThread(create_web_app(settings)) as app:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        tab = context.new_page()
        tab.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort(),
        )
        tab.app_url = app.url
        yield tab
        context.close()


def _rows(export: Path, name: str) -> list[dict[str, str]]:
    with open(export / f"{name}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _due_product(export: Path, seller: str, today: date) -> tuple[str, ReorderDue]:
    """A customer of the seller (not blocked) and the product the panel lists first as due:
    computed from the export with the same rule the device applies, over active products
    that have a base price (so the builder prices the line)."""
    active = {p["sku"] for p in _rows(export, "products") if p["active"] == "true"}
    priced = {i["sku"] for i in _rows(export, "price_list_items") if i["price_list_code"] == "BASE"}
    blocked = {c["customer_code"] for c in _rows(export, "credit") if c["blocked"] == "true"}
    mine = set(_customers_of(export)[seller]) - blocked
    issued = {i["number"]: (i["customer_code"], date.fromisoformat(i["issue_date"])) for i in _rows(export, "invoices")}
    days: dict[str, dict[str, list[date]]] = defaultdict(lambda: defaultdict(list))
    for line in _rows(export, "invoice_lines"):
        customer, day = issued[line["invoice_number"]]
        if customer in mine and line["sku"] in active:
            days[customer][line["sku"]].append(day)
    for customer in sorted(days):
        due = reorders_due(days[customer], today)
        if due and due[0].sku in priced:
            return customer, due[0]
    raise AssertionError("no customer of the seller has a product due again in the demo history")


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def test_a_reorder_due_is_suggested_with_its_reason_and_one_tap_quotes_it(tablet, demo_export):
    page = tablet
    seller = sorted(_customers_of(demo_export))[0]
    customer, due = _due_product(demo_export, seller, datetime.now(UTC).date())
    open_app(page, page.app_url)
    type_into(page, page.get_by_role("textbox", name="Login"), seller)
    type_into(page, page.get_by_role("textbox", name="Password"), DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_text(page, "today-title", "Today", timeout=120_000)

    _open_customer(page, customer)
    row = f"suggestion-reorder-{due.sku}"
    wait_text(page, "suggestions", "Suggestions")
    wait_text(page, row, due.sku)
    wait_text(page, row, f"Usually every {_days(due.cadence_days)}, last bought {_days(due.days_since)} ago")
    shot(page, "suggestions-customer")

    sid(page, row).click()
    wait_text(page, "quote-lines", due.sku)
    wait_text(page, "quote-credit", "Credit")
    shot(page, "suggestions-quote-with-product")
