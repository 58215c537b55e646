"""A refused visit fixed from the Sync screen, in the real app in headless Chromium.

The seller plans a visit, checks in with the tablet's position (Chromium's geolocation,
granted to the page, answers the real flet-geolocator) and writes notes, offline. Meanwhile
the office moves the customer to another seller and compacts the change log, so the server
refuses the visit as out of scope when the tablet syncs. The office moves the customer back;
the seller opens Fix, first saves a purpose that is too long (the dialog says which field
and keeps the notes typed), then corrects it and saves; the round the save asks for sends
it, and the Sync screen shows it sent without a tap. The server holds exactly one visit,
with the fixed notes and the location.
"""

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from client.app import create_web_app
from client.i18n import Translator
from client.settings import ClientSettings
from shared.models import Customer
from shared.protocol import portfolio_bucket
from sync_server.app import create_app
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.repository.compaction import compact
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record
from sync_server.repository.tables import ENTITY_TABLES
from sync_server.services.mutations.base import current_data
from tests.browser.conftest import demo_server_settings
from tests.browser.helpers import (
    ServerThread,
    StoppableServer,
    navigate,
    open_signed_in,
    shot,
    sid,
    tap_until,
    type_into,
    wait_text,
)

HERE = {"latitude": 40.4168, "longitude": -3.7038, "accuracy": 12}


@pytest.fixture
def office(tmp_path, demo_database):
    """The sync server with the demo data, which the test stops, starts and edits as the office."""
    app = create_app(demo_server_settings(demo_database, tmp_path / "server"))
    server = StoppableServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def tablet(browser, office, tmp_path):
    """The app in a 1280×800 tab that may only reach loopback, with its position allowed."""
    settings = ClientSettings(server_url=office.url, data_dir=tmp_path / "device", sync_interval_minutes=60)
    with ServerThread(create_web_app(settings)) as app:
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, geolocation=HERE, permissions=["geolocation"]
        )
        tab = context.new_page()
        tab.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort(),
        )
        tab.app_url = app.url
        tab.device = settings
        yield tab
        context.close()


def _a_customer_and_another_seller(export: Path) -> tuple[str, str, str]:
    with open(export / "portfolio.csv", encoding="utf-8") as fh:
        rows = sorted((r["seller_login"], r["customer_code"]) for r in csv.DictReader(fh))
    seller, customer = rows[0]
    other = next(s for s, _c in rows if s != seller)
    return seller, customer, other


def _legal_name(export: Path, code: str) -> str:
    with open(export / "customers.csv", encoding="utf-8") as fh:
        return next(r["legal_name"] for r in csv.DictReader(fh) if r["code"] == code)


def _move(office: StoppableServer, code: str, seller: str) -> None:
    """What the office's ERP import does to the customer, then a compaction past the retention
    (within it, the delete that moved the customer still says it was the seller's)."""
    with write_transaction(office.app.state.engine) as conn:
        _version, data = current_data(conn, "customer", code)
        customer = Customer.model_validate({**data, "seller_login": seller})
        put_record(conn, customer, portfolio_bucket(seller))
        compact(conn, datetime.now(UTC) + timedelta(days=31), timedelta(days=30))


def _server_visits(office: StoppableServer) -> list:
    with office.app.state.engine.connect() as conn:
        return list(conn.execute(sa.select(ENTITY_TABLES["visit"])))


def test_a_refused_visit_is_fixed_in_its_form_and_sent_again(tablet, office, demo_export):
    page = tablet
    step = iter(range(1, 100))

    def snap(name: str) -> None:
        shot(page, f"fix-{next(step):02d}-{name}")

    seller, customer, other = _a_customer_and_another_seller(demo_export)
    open_signed_in(page, page.app_url, seller, DEMO_PASSWORD)
    wait_text(page, "sync-state", "Synced")

    office.stop()  # the visit is worked offline
    navigate(page, "Portfolio")
    wait_text(page, "customer-count", "Showing")
    type_into(page, page.get_by_role("textbox", name="Search customers"), customer)
    # A tap while the list or the customer's page is still drawing its late parts opens
    # nothing (full CI runs): the seller taps again.
    tap_until(page, sid(page, f"customer-{customer}"), "plan-visit")
    tap_until(page, sid(page, "plan-visit"), "plan-save", "Save")
    # The day as the seller writes it in her language (15/12/2026), not ISO.
    type_into(page, page.get_by_role("textbox", name="Date"), Translator("en").day_entry(date.today()))
    type_into(page, page.get_by_role("textbox", name="Time (HH:MM)"), "00:05")
    sid(page, "plan-save").click()
    navigate(page, "Today")
    sid(page, f"today-visit-{customer}").click()
    sid(page, "visit-check-in").click()
    wait_text(page, "visit-state", "location ±12 m")  # the real geolocator, fed by Chromium
    snap("checked-in-with-location")
    type_into(page, page.get_by_role("textbox", name="Notes"), "Wants samples")
    sid(page, "visit-save").click()
    wait_text(page, "pending-count", "to send")

    _move(office, customer, other)  # while the tablet was offline
    office.start()
    navigate(page, "Sync")
    sid(page, "outbox-sync").click()
    wait_text(page, "rejected-list", "Reason:", timeout=60_000)
    # named as the seller knew her, though the round that brought the refusal took her rows off
    wait_text(page, "rejected-list", f"{_legal_name(demo_export, customer)} ({customer})")
    snap("refused")

    _move(office, customer, seller)  # the office puts the customer back
    page.locator('[flt-semantics-identifier^="fix-"]').first.click()
    notes = page.get_by_role("textbox", name="Notes")
    notes.click()  # Flutter puts a field's text in the page once it has the focus
    expect(notes).to_have_value("Wants samples")
    type_into(page, notes, "Wants PPE samples by Friday")
    type_into(page, page.get_by_role("textbox", name="Purpose"), "x" * 201)
    # the field's last change reaches the app as its own message: a tap a few milliseconds
    # behind it once arrived first (the fresh-clone run saved the purpose it had before)
    page.wait_for_timeout(300)
    sid(page, "fix-save").click()
    wait_text(page, "fix-error", "Purpose: at most 200 characters.")  # named, and the dialog keeps what was typed
    expect(notes).to_have_value("Wants PPE samples by Friday")
    snap("fix-refused-field")
    type_into(page, page.get_by_role("textbox", name="Purpose"), "Stock review")
    sid(page, "fix-save").click()
    wait_text(page, "rejected-list", "Nothing was refused.")
    # Not waited for: "Visit" in the list waiting to be sent. The save asks for a round at
    # once, and a quick one had sent it before the list was read (a run at 02:19, 7 Dec).
    snap("fixed")

    # No tap: the save asks for a round soon, and the Sync screen shows what that round sent.
    # The office's second compaction makes it a replacement sync (the whole portfolio again).
    wait_text(page, "pending-none", "Everything has been sent.", timeout=120_000)
    wait_text(page, "rejected-list", "Nothing was refused.")
    snap("fixed-sent")

    [visit] = _server_visits(office)
    assert (visit.customer_code, visit.notes, visit.purpose) == (
        customer,
        "Wants PPE samples by Friday",
        "Stock review",
    )
    assert (visit.location["latitude"], visit.location["longitude"], visit.location["accuracy_m"]) == (
        40.4168,
        -3.7038,
        12.0,
    )
