"""A seller's field day in the real app, in headless Chromium, at 1280×800 and 800×1280.

Sign in and first sync with the server up; then the server is stopped and the whole day is
worked offline: Today, find a customer, Customer 360, check in, notes, a competitor
observation with a photo, an opportunity moved along the pipeline, a five-line quote from
the visit (a short line swapped for its substitute, a discount that needs approval, the PDF
previewed, the send held), the Sync screen, and the switch to Spanish. The server comes
back, one sync sends everything; a manager approves through the API, the next sync sends
the quote, which shows Enviado. The server holds the visit, the observation with its
photo's bytes, the opportunity and the sent quote with its e-mail queued.

The day is walked once, on a tablet held 1280×800: at each screen whose layout changes
with the tablet upright (the bottom bar for the rail, Today's and the customer's panels
under each other, the quote's lines wrapping) it is turned to 800×1280, checked and shot
there with what was on it, and turned back; the afternoon is worked upright. Walking the
whole day at both sizes cost twice the CPU (about 46 seconds each in software rendering)
for the same assertions on the screens that do not change.
"""

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from client.app import create_web_app
from client.settings import ClientSettings
from sync_server.app import create_app
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.services.attachments import attachment_path
from tests.browser.conftest import demo_server_settings
from tests.browser.helpers import (
    ServerThread,
    StoppableServer,
    close_dialog,
    navigate,
    open_app,
    search_customer,
    shot,
    sid,
    tap_until,
    turn,
    type_into,
    wait_text,
)
from tests.browser.quoting import add_product, approve, pick_world, quote_number, set_line

PHOTO = Path(__file__).resolve().parents[2] / "assets" / "icon.png"
MANAGER = "laura.moreno"
SEARCH_ES = "Buscar clientes"
LANDSCAPE, PORTRAIT = (1280, 800), (800, 1280)


@pytest.fixture
def day_server(tmp_path, demo_database):
    settings = demo_server_settings(demo_database, tmp_path / "server")
    app = create_app(settings)
    server = StoppableServer(app)
    server.settings = settings
    server.start()
    yield server
    server.stop()


@pytest.fixture
def tablet(browser, day_server, tmp_path):
    """The app (its own device folder) in a 1280×800 tab that may only reach loopback."""
    settings = ClientSettings(server_url=day_server.url, data_dir=tmp_path / "device", sync_interval_minutes=60)
    with ServerThread(create_web_app(settings)) as app:
        width, height = LANDSCAPE
        context = browser.new_context(viewport={"width": width, "height": height})
        tab = context.new_page()
        tab.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort(),
        )
        tab.app_url = app.url
        yield tab
        context.close()


def _customers_of(export: Path) -> dict[str, list[str]]:
    with open(export / "portfolio.csv", encoding="utf-8") as fh:
        by_seller = defaultdict(list)
        for row in csv.DictReader(fh):
            by_seller[row["seller_login"]].append(row["customer_code"])
    return by_seller


def test_a_field_day_offline_then_one_sync(tablet, day_server, demo_export):
    page = tablet
    step = iter(range(1, 100))
    size = "1280x800"

    def snap(name: str) -> None:
        shot(page, f"day-{next(step):02d}-{name}-{size}")

    def upright_too(name: str, identifier: str, needle: str) -> None:
        """The screen shown, shot as it is; then upright (bar below, its content re-framed,
        what was on it kept), checked and shot; then turned back."""
        nonlocal size
        snap(name)
        turn(page, *PORTRAIT)
        size = "800x1280"
        wait_text(page, identifier, needle)
        snap(name)
        turn(page, *LANDSCAPE)
        size = "1280x800"
        wait_text(page, identifier, needle)

    seller = sorted(_customers_of(demo_export))[0]
    world = pick_world(demo_export, seller)  # a healthy customer of hers, and products to quote
    customer = world.customer

    open_app(page, page.app_url)
    expect(page.get_by_role("textbox", name="Login")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)
    snap("sign-in")
    type_into(page, page.get_by_role("textbox", name="Login"), seller, by_key=True)
    type_into(page, page.get_by_role("textbox", name="Password"), DEMO_PASSWORD, by_key=True)
    page.get_by_role("button", name="Sign in").click()
    wait_text(page, "sync-progress", "rows", timeout=60_000)
    snap("first-sync")
    wait_text(page, "today-title", "Today", timeout=120_000)
    wait_text(page, "sync-state", "Synced")

    # From here on the server is down: nothing the seller does may wait on it.
    day_server.stop()
    sid(page, "sync-now").click()
    wait_text(page, "sync-state", "Offline")
    wait_text(page, "today-dormant", "Last invoice")
    upright_too("today-offline", "today-dormant", "Last invoice")

    navigate(page, "Portfolio")
    wait_text(page, "customer-count", "Showing")  # the list is there, as the seller sees it before typing
    search_customer(page, "Search customers", customer, "Showing 1 of 1 customer", by_key=True)  # as she types
    snap("portfolio-search")
    tap_until(page, sid(page, f"customer-{customer}"), "sales-chart", "Sales by category")
    wait_text(page, "credit-panel", "Available")
    upright_too("customer-360", "sales-chart", "Sales by category")

    sid(page, "check-in").click()
    wait_text(page, "visit-state", "Checked in")
    type_into(page, page.get_by_role("textbox", name="Purpose"), "Stock review")
    type_into(page, page.get_by_role("textbox", name="Notes"), "Wants the new PPE range; ask for samples")
    sid(page, "visit-save").click()
    wait_text(page, "pending-count", "to send")
    upright_too("visit-notes", "visit-state", "Checked in")

    sid(page, "visit-observation").click()
    wait_text(page, "observation-title", "Competitor seen")
    type_into(page, page.get_by_role("textbox", name="Competitor"), "Würth")
    type_into(page, page.get_by_role("textbox", name="Price seen"), "12.50")
    with page.expect_file_chooser() as chooser:
        sid(page, "observation-photo").click()
    chooser.value.set_files(str(PHOTO))
    wait_text(page, "observation-photo-count", "1 photo")
    upright_too("observation-photo", "observation-photo-count", "1 photo")
    sid(page, "observation-save").click()
    wait_text(page, "visit-state", "Checked in")

    sid(page, "visit-opportunity").click()
    type_into(page, page.get_by_role("textbox", name="Title"), "PPE range 2027")
    type_into(page, page.get_by_role("textbox", name="Value"), "4,250.00")
    snap("opportunity-new")
    sid(page, "opportunity-save").click()
    expect(page.get_by_role("textbox", name="Title")).to_have_count(0)

    # A quote from the visit: five lines, a short one swapped for its substitute, a discount
    # above the seller's band; approval asked, the PDF previewed, the send held for approval.
    # A tap just as the dialog closes can fall on it: tapped until the builder opens.
    tap_until(page, sid(page, "visit-quote"), "quote-credit", "Credit OK")
    for sku in [*world.in_stock[:3], world.short]:
        add_product(page, sku)
    wait_text(page, "promise-3", "substitutes")
    snap("quote-short-line")
    sid(page, f"substitute-3-{world.substitute}").click()
    # The substitute's code was on screen already (its button): the swap is done when the
    # line's buttons are gone. Typing before would go into a line about to be redrawn.
    expect(sid(page, f"substitute-3-{world.substitute}")).to_have_count(0, timeout=30_000)
    wait_text(page, "quote-lines", world.substitute)
    set_line(page, 0, "Discount %", "25", until=("quote-approval", "discount 25%"))
    add_product(page, world.in_stock[3])
    upright_too("quote-five-lines", "quote-lines", world.in_stock[3])
    wait_text(page, "quote-approval", "discount 25%")  # the unsaved lines came through both turns
    sid(page, "quote-save").click()
    wait_text(page, "quote-status", "Draft")
    wait_text(page, "quote-from-visit", "From the visit of")
    number = quote_number(page)
    sid(page, "quote-request").click()
    wait_text(page, "quote-status", "Waiting for approval")
    sid(page, "quote-preview").click()
    wait_text(page, "quote-preview-pages", "")
    page.wait_for_timeout(500)
    snap("quote-pdf-preview")
    close_dialog(page, "preview-close", "quote-preview-pages")
    tap_until(page, sid(page, "quote-send"), "send-confirm")
    sid(page, "send-confirm").click()
    wait_text(page, "quote-status", "sending once approved")
    snap("quote-send-held")

    navigate(page, "Opportunities")
    wait_text(page, "opportunity-list", "PPE range 2027")
    page.get_by_role("button", name="To Qualified").click()
    wait_text(page, "opportunity-list", "Qualified")
    wait_text(page, "pipeline", "€4,250.00")
    snap("opportunities")

    navigate(page, "Sync")
    wait_text(page, "waiting", "changes, 2 files")  # the photo and the quote's PDF
    wait_text(page, "pending-list", "Competitor observation")
    upright_too("outbox-offline", "waiting", "changes, 2 files")

    navigate(page, "Settings")
    sid(page, "language-es").click()
    wait_text(page, "settings-title", "Ajustes")
    snap("settings-spanish")
    navigate(page, "Hoy")
    wait_text(page, "today-visits", "Llegada")
    upright_too("today-spanish", "today-visits", "Llegada")

    # The server is back: one sync sends the day's work, photo bytes first.
    day_server.start()
    navigate(page, "Sincronizar")
    sid(page, "outbox-sync").click()
    wait_text(page, "pending-list", "Todo está enviado.", timeout=60_000)
    wait_text(page, "sync-state", "Sincronizado")
    snap("outbox-synced")

    # Turning the tablet swaps the rail and the bottom bar on the screen being shown; the
    # afternoon is worked upright.
    page.set_viewport_size({"width": PORTRAIT[0], "height": PORTRAIT[1]})
    size = "800x1280"
    expect(page.get_by_role("tab", name="Hoy", exact=True)).to_have_count(1)
    wait_text(page, "pending-list", "Todo está enviado.")

    # The manager approves at the office; the next sync sends the quote the seller queued.
    approve(day_server.url, MANAGER, DEMO_PASSWORD, number)
    sid(page, "sync-now").click()
    wait_text(page, "sync-state", "Sincronizado", timeout=60_000)
    open_customer_es(page, customer)
    # Seen once at load 11: the tap landed while her page was still drawing and opened nothing.
    tap_until(page, sid(page, f"open-quote-{number}"), "quote-status", "Enviado")
    snap("quote-sent-spanish")

    with day_server.app.state.engine.connect() as db:
        quotes = db.execute(text("SELECT status FROM quotes WHERE customer_code = :c"), {"c": customer}).scalars().all()
        emails = db.execute(text("SELECT count(*) FROM email_outbox")).scalar()
        notes = db.execute(text("SELECT notes FROM visits WHERE customer_code = :c"), {"c": customer}).scalars().all()
        photos = (
            db.execute(
                text("SELECT photo_sha256 FROM competitor_observations WHERE customer_code = :c"), {"c": customer}
            )
            .scalars()
            .all()
        )
        stages = (
            db.execute(text("SELECT stage FROM opportunities WHERE customer_code = :c"), {"c": customer})
            .scalars()
            .all()
        )
    assert quotes == ["sent"] and emails == 1
    assert notes == ["Wants the new PPE range; ask for samples"]
    assert stages == ["qualified"]
    [digests] = photos
    digest = (digests if isinstance(digests, list) else json.loads(digests))[0]
    assert attachment_path(day_server.settings, digest).read_bytes() == PHOTO.read_bytes()

    # The customer chose a competitor: the seller records why, to whom and at what price,
    # and the customer's page says so; the next sync tells the server.
    sid(page, "quote-lost").click()
    type_into(page, page.get_by_role("textbox", name="Competidor (si lo sabes)"), "Würth")
    type_into(page, page.get_by_role("textbox", name=re.compile("^Precio del competidor,")), "95,50")
    sid(page, "quote-lost-per-line").click()  # and what Würth asked for the first line
    type_into(page, page.get_by_role("textbox", name=re.compile("^Línea 1 ")), "2,10")
    snap("quote-lost-dialog")
    sid(page, "quote-lost-confirm").click()
    wait_text(page, "quote-status", "Perdido")
    wait_text(page, "quote-answer", "Línea 1 · ")
    open_customer_es(page, customer)
    wait_text(page, "timeline", "frente a Würth a 95,50")
    wait_text(page, "lost-prices", "Perdido frente a Würth: su precio 2,10")
    snap("customer-lost-quote")
    navigate(page, "Sincronizar")
    sid(page, "outbox-sync").click()
    wait_text(page, "pending-list", "Todo está enviado.", timeout=60_000)
    with day_server.app.state.engine.connect() as db:
        lost = db.execute(
            text(
                "SELECT status, lost_reason, competitor, competitor_price, competitor_lines, visit_id FROM quotes "
                "WHERE customer_code = :c"
            ),
            {"c": customer},
        ).one()
    assert (lost.status, lost.lost_reason, lost.competitor) == ("lost", "price", "Würth")
    lines = lost.competitor_lines if isinstance(lost.competitor_lines, list) else json.loads(lost.competitor_lines)
    assert [(p["line_no"], p["unit_price"]) for p in lines] == [(1, "2.10")]
    assert lost.visit_id is not None  # the quote came from the visit
    assert str(lost.competitor_price).rstrip("0") == "95.5"


def open_customer_es(page, customer: str) -> None:
    """Find the customer in the Spanish portfolio and open her page.

    The click waits for the list to have filtered down to her: a click on the row while
    the search is still redrawing the list can land on a row about to be replaced, and
    then nothing opens (seen once in CI at 800x1280).
    """
    navigate(page, "Cartera")
    wait_text(page, "customer-count", "Mostrando")
    search_customer(page, SEARCH_ES, customer, "Mostrando 1 de 1 cliente")
    tap_until(page, sid(page, f"customer-{customer}"), "timeline")
