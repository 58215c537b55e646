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

from shared.rules.account_intelligence import ReorderDue, reorders_due
from sync_server.importer.demo import DEMO_PASSWORD
from tests.browser.helpers import (
    open_customer,
    open_signed_in,
    shot,
    sid,
    wait_text,
)
from tests.browser.test_seller_day import _customers_of


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


def test_a_reorder_due_is_suggested_with_its_reason_and_one_tap_quotes_it(office_tablet, demo_export):
    page = office_tablet
    seller = sorted(_customers_of(demo_export))[0]
    customer, due = _due_product(demo_export, seller, datetime.now(UTC).date())
    open_signed_in(page, page.app_url, seller, DEMO_PASSWORD)

    open_customer(page, customer)
    row = f"suggestion-reorder-{due.sku}"
    wait_text(page, "suggestions", "Suggestions")
    wait_text(page, row, due.sku)
    wait_text(page, row, f"Usually every {_days(due.cadence_days)}, last bought {_days(due.days_since)} ago")
    shot(page, "suggestions-customer")

    sid(page, row).click()
    wait_text(page, "quote-lines", due.sku)
    wait_text(page, "quote-credit", "Credit")
    shot(page, "suggestions-quote-with-product")
