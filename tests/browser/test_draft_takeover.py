"""A customer moved to a colleague, in the real app in headless Chromium.

Seller A left a draft for one of her customers; the office moves the customer to seller B.
B signs in, opens the customer's page, taps "Drafts left by a colleague", sees A's draft and
takes it over: the app opens a new quote of B's own, numbered with her tablet's prefix, with
A's products and quantities priced again from B's lists. The server records the takeover.
"""

import csv
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from shared.models.field import Quote
from shared.protocol import activity_bucket
from sync_server.importer.delta import import_delta
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.repository.database import make_engine, write_transaction
from sync_server.repository.records import put_record
from sync_server.repository.tables import audit_log
from tests.browser.helpers import open_customer, open_signed_in, shot, sid, tap_until, wait_text
from tests.browser.quoting import pick_world, quote_number
from tests.browser.test_seller_day import _customers_of


def _leave_draft_and_move(engine, old: str, new: str, customer: str, sku: str, folder: Path) -> Quote:
    """The old seller's draft for the customer (as her tablet synced it), then the customer
    moved to the new seller by the ERP's nightly delta (one row of portfolio.csv): her
    contacts, credit, invoices and their lines, payments and price lists follow her."""
    today = datetime.now(UTC).date()
    draft = Quote(
        id=uuid.uuid4(),
        number="ZZ9-2026-0001",
        version=1,
        customer_code=customer,
        seller_login=old,
        currency="EUR",
        issue_date=today,
        valid_until=today + timedelta(days=30),
        payment_terms="NET30",
        lines=[
            {
                "line_no": 1,
                "sku": sku,
                "description": sku,
                "quantity": "7",
                "unit_price": "10.0000",
                "discount_percent": "0",
                "tax_rate_percent": "21",
                "unit_cost": "5.0000",
            }
        ],
        net_total="70.00",
        tax_total="14.70",
        gross_total="84.70",
    )
    with write_transaction(engine) as conn:
        put_record(conn, draft, activity_bucket(old))
    folder.mkdir()
    with open(folder / "portfolio.csv", "w", encoding="utf-8", newline="") as rows:
        csv.writer(rows).writerows([("customer_code", "seller_login"), (customer, new)])
    assert import_delta(engine, folder).changes > 0
    return draft


def test_the_new_seller_takes_over_the_draft_her_colleague_left(office_tablet, office, demo_export, tmp_path):
    page = office_tablet
    old, new = sorted(_customers_of(demo_export))[:2]
    world = pick_world(demo_export, old)
    engine = make_engine(office.settings.database_url)
    try:
        left = _leave_draft_and_move(engine, old, new, world.customer, world.in_stock[0], tmp_path / "delta")
        open_signed_in(page, page.app_url, new, DEMO_PASSWORD)
        open_customer(page, world.customer)
        wait_text(page, "timeline", "Invoice")  # her history came with her
        tap_until(page, sid(page, "colleague-drafts-open"), "colleague-drafts", left.number)
        wait_text(page, "colleague-drafts", f"Left by {_name_of(demo_export, old)}")  # her name, not her login
        shot(page, "takeover-colleague-drafts")

        sid(page, f"take-over-{left.number}").click()
        wait_text(page, "quote-builder", world.in_stock[0], timeout=60_000)
        wait_text(page, "quote-builder", "Draft")
        number = quote_number(page)
        assert number != left.number and number.endswith("-0001"), number  # her tablet's first number
        shot(page, "takeover-own-quote")

        sid(page, "sync-now").click()
        deadline = datetime.now(UTC) + timedelta(seconds=90)
        while datetime.now(UTC) < deadline:
            with engine.connect() as conn:
                row = conn.execute(sa.select(audit_log).where(audit_log.c.kind == "draft_taken_over")).first()
            if row is not None:
                break
            page.wait_for_timeout(500)
        assert row is not None and row.login == new and row.subject == str(left.id), row
    finally:
        engine.dispose()


def _name_of(export, login: str) -> str:
    with open(export / "users.csv", encoding="utf-8", newline="") as users:
        return next(row["name"] for row in csv.DictReader(users) if row["login"] == login)
