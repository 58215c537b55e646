"""A quote built in the real app with the sync server stopped, at 1280×800 and 800×1280.

Five lines found by code: three in stock, one with a discount above the seller's band, one
out of stock swapped for its substitute; saved, approval asked, the PDF previewed, the send
queued (held until approved). The server comes back, the app syncs, a manager approves
through the API, the app syncs again: the quote shows Sent and the server has the e-mail
queued with the PDF the seller previewed.
"""

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from client.app import create_web_app
from client.settings import ClientSettings
from sync_server.app import create_app
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.importer.run import import_export
from sync_server.settings import ServerSettings
from tests.browser.helpers import ServerThread, StoppableServer, navigate, open_app, shot, sid, type_into, wait_text

SELLER, MANAGER, HOME = "ana.garcia", "laura.moreno", "MAD"
SIZES = [(1280, 800), (800, 1280)]


def _rows(export: Path, name: str) -> list[dict[str, str]]:
    with open(export / f"{name}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def pick_world(export: Path) -> tuple[str, list[str], str, str]:
    """(customer, four SKUs in stock at home, an SKU out of stock everywhere, its substitute)."""
    sellable: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for row in _rows(export, "stock"):
        free = Decimal(row["on_hand"]) - Decimal(row["reserved"]) - Decimal(row["damaged"])
        sellable[row["sku"]][row["warehouse_code"]] = max(free, Decimal(0))
    active = {p["sku"] for p in _rows(export, "products") if p["active"] == "true"}
    base_priced = {i["sku"] for i in _rows(export, "price_list_items")
                   if i["price_list_code"] == "BASE" and Decimal(i["min_quantity"]) == 0}
    incoming = {lot["sku"] for lot in _rows(export, "incoming")}
    usable = sorted(active & base_priced)
    in_stock = [s for s in usable if sellable[s].get(HOME, Decimal(0)) >= 50]
    subs = defaultdict(list)
    for row in _rows(export, "substitutes"):
        subs[row["sku"]].append(row["substitute_sku"])
    short, substitute = next(
        (s, sub) for s in usable if s not in incoming and not any(sellable[s].values()) and subs[s]
        for sub in subs[s] if sub in base_priced and sellable[sub].get(HOME, Decimal(0)) >= 10)
    mine = {r["customer_code"] for r in _rows(export, "portfolio") if r["seller_login"] == SELLER}
    healthy = [c["customer_code"] for c in _rows(export, "credit") if c["customer_code"] in mine
               and c["blocked"] == "false" and Decimal(c["overdue_amount"]) == 0
               and c["prepayment_required"] == "false" and Decimal(c["credit_limit"]) >= 20000]
    return sorted(healthy)[0], in_stock[:4], short, substitute


@pytest.fixture
def quote_server(tmp_path, demo_export):
    app = create_app(ServerSettings(data_dir=tmp_path / "server"))
    import_export(app.state.engine, demo_export)
    server = StoppableServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def tablet(request, browser, quote_server, tmp_path):
    settings = ClientSettings(server_url=quote_server.url, data_dir=tmp_path / "device", sync_interval_minutes=60)
    with ServerThread(create_web_app(settings)) as app:
        width, height = request.param
        context = browser.new_context(viewport={"width": width, "height": height})
        tab = context.new_page()
        tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.abort())
        tab.size, tab.app_url = f"{width}x{height}", app.url
        yield tab
        context.close()


def _add_product(page, sku: str) -> None:
    type_into(page, page.get_by_role("textbox", name="Add a product"), sku)
    sid(page, f"hit-{sku}").click()
    wait_text(page, "quote-lines", sku)


def _set_line(page, index: int, label: str, value: str) -> None:
    field = sid(page, f"quote-line-{index}").get_by_role("textbox", name=label)
    type_into(page, field, value)
    page.keyboard.press("Enter")


def _approve(server: StoppableServer, quote_number: str) -> None:
    with httpx.Client(base_url=server.url) as http:
        token = http.post("/v1/auth/login", json={"login": MANAGER, "password": DEMO_PASSWORD}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        pending = http.get("/v1/approvals", headers=headers).json()
        [request] = [r for r in pending if r["quote"]["number"] == quote_number]
        assert request["fired_rules"] == ["discount_above_band"]
        decided = http.post(f"/v1/approvals/{request['request_id']}/decision", json={"decision": "approved"},
                            headers=headers)
        assert decided.status_code == 200, decided.text


def _quote_number(page) -> str:
    label = page.evaluate("""() => {
        const el = document.querySelector('[flt-semantics-identifier="quote-number"]');
        return [el.textContent, ...[...el.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))]
            .join(' ');
    }""")
    return label.split("Quote", 1)[1].split("·")[0].strip()


def test_a_quote_built_offline_is_approved_and_sent_after_sync(tablet, quote_server, demo_export):
    page, size = tablet, tablet.size
    customer, in_stock, short, substitute = pick_world(demo_export)
    step = iter(range(1, 100))

    def snap(name: str) -> None:
        shot(page, f"quote-{next(step):02d}-{name}-{size}")

    open_app(page, page.app_url)
    type_into(page, page.get_by_role("textbox", name="Login"), SELLER)
    type_into(page, page.get_by_role("textbox", name="Password"), DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_text(page, "today-title", "Today", timeout=180_000)

    quote_server.stop()  # from here on, offline
    navigate(page, "Portfolio")
    type_into(page, page.get_by_role("textbox", name="Search customers"), customer)
    sid(page, f"customer-{customer}").click()
    wait_text(page, "credit-panel", "Available")
    sid(page, "new-quote").click()
    wait_text(page, "quote-credit", "Credit OK")
    for sku in [*in_stock[:3], short]:
        _add_product(page, sku)
    wait_text(page, "promise-3", "substitutes")
    snap("short-line")
    sid(page, f"substitute-3-{substitute}").click()
    wait_text(page, "quote-lines", substitute)
    _set_line(page, 0, "Discount %", "25")
    wait_text(page, "quote-approval", "discount 25%")
    _add_product(page, in_stock[3])
    snap("five-lines")
    sid(page, "quote-save").click()
    wait_text(page, "quote-status", "Draft")
    quote_number = _quote_number(page)
    sid(page, "quote-request").click()
    wait_text(page, "quote-status", "Waiting for approval")
    sid(page, "quote-preview").click()
    wait_text(page, "quote-preview-pages", "")
    page.wait_for_timeout(500)
    snap("pdf-preview")
    sid(page, "preview-close").click()
    sid(page, "quote-send").click()
    sid(page, "send-confirm").click()
    wait_text(page, "quote-status", "sending once approved")
    snap("send-held")

    quote_server.start()
    sid(page, "sync-now").click()
    wait_text(page, "sync-state", "Synced", timeout=60_000)
    _approve(quote_server, quote_number)
    sid(page, "sync-now").click()
    wait_text(page, "sync-state", "Synced", timeout=60_000)
    navigate(page, "Portfolio")
    type_into(page, page.get_by_role("textbox", name="Search customers"), customer)
    sid(page, f"customer-{customer}").click()
    sid(page, f"open-quote-{quote_number}").click()
    wait_text(page, "quote-status", "Sent", timeout=60_000)
    snap("sent")

    with quote_server.app.state.engine.connect() as db:
        status = db.execute(text("SELECT status FROM quotes WHERE customer_code = :c"), {"c": customer}).scalars().all()
        queued = db.execute(text("SELECT count(*) FROM email_outbox")).scalar()
    assert status == ["sent"] and queued == 1
