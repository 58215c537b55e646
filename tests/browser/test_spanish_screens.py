"""Every screen a seller reaches, in Spanish, holds no English: the real app in Chromium.

The device starts in Spanish (its preferences say so, as after choosing it in Settings).
The seller signs in, syncs, and goes through Today, the portfolio, a customer, a visit with
its notes, a competitor observation, an opportunity, a quote with a line short of stock and
a discount that needs approval, its PDF, the opportunities, the sync screen and Settings.
On each screen the accessibility tree (what the screen says) is checked against every
English phrase of the catalogs that Spanish says otherwise; the quote's PDF too.
"""

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Page, expect

from client.app import create_web_app
from client.i18n import Translator
from client.services.preferences import Preferences, save_preferences
from client.services.session import sign_in as sign_in_on_device
from client.services.synchronization import sync_now
from client.settings import ClientSettings
from sync_server.app import create_app
from sync_server.importer.demo import DEMO_PASSWORD
from tests.browser.conftest import demo_server_settings
from tests.browser.helpers import (
    ServerThread,
    StoppableServer,
    close_dialog,
    navigate,
    open_app,
    shot,
    sid,
    tap_until,
    type_into,
    wait_text,
)
from tests.browser.quoting import pick_world, quote_number, set_line
from tests.browser.test_approvals import MANAGER, _pending_quotes
from tests.browser.test_seller_day import _customers_of
from tests.client.pdf.reading import all_text, render_pngs

LOCALE = Path(__file__).resolve().parents[2] / "locale"
ES = Translator("es")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def _messages(language: str) -> dict[str, str]:
    with open(LOCALE / language / "LC_MESSAGES" / "terreno.po", "rb") as source:
        catalog = read_po(source)
    found = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found[key] = " | ".join(strings)
    return found


@cache
def english_phrases() -> tuple[str, ...]:
    """English wording that Spanish says otherwise: each literal stretch of an English
    message (placeholders cut out) of two words or more, or one word of six letters or
    more, that no Spanish message contains."""
    english, spanish = _messages("en"), _messages("es")
    spanish_text = " ".join(spanish.values()).casefold()
    phrases = set()
    for key, text in english.items():
        if text == spanish.get(key):
            continue
        for variant in text.split(" | "):
            for stretch in _PLACEHOLDER.split(variant):
                phrase = stretch.strip(" .,:;·—–-()%/\"'«»")
                words = phrase.split()
                if not words or (len(words) == 1 and len(phrase) < 6) or not re.search(r"[A-Za-z]{3}", phrase):
                    continue
                if phrase.casefold() not in spanish_text:
                    phrases.add(phrase)
    return tuple(sorted(phrases, key=len, reverse=True))


def english_in(text: str) -> list[str]:
    """The English phrases found in `text`, as whole words."""
    return [p for p in english_phrases() if re.search(rf"(?<![\w]){re.escape(p)}(?![\w])", text)]


def screen_text(page: Page) -> str:
    """Everything the screen says: each node's text and accessible label."""
    return page.locator("flt-semantics-host").first.evaluate(
        """host => [host, ...host.querySelectorAll('*')]
            .flatMap(e => [e.getAttribute('aria-label') || '', [...e.childNodes]
                .filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join(' ')])
            .filter(Boolean).join('\\n')""",
        timeout=10_000,
    )


@pytest.fixture
def spanish_tablet(browser, demo_database, tmp_path):
    settings = demo_server_settings(demo_database, tmp_path / "server")
    server = StoppableServer(create_app(settings))
    server.start()
    # Settings shows this folder's path: a name that is no English word the detector knows.
    device = tmp_path / "tableta"
    save_preferences(device, Preferences(language="es"))
    client = ClientSettings(server_url=server.url, data_dir=device, sync_interval_minutes=60)
    with ServerThread(create_web_app(client)) as app:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        tab = context.new_page()
        tab.app_url = app.url
        tab.device = device
        tab.client_settings = client
        tab.office = server
        yield tab
        context.close()
    server.stop()


def test_the_detector_finds_english_it_must_find():
    assert english_in("Hoy · Sign in") == ["Sign in"]
    assert english_in("Presupuesto guardado. Waiting for approval") == ["Waiting for approval"]
    assert english_in("Iniciar sesión · Cartera · Oportunidades") == []


def test_every_screen_in_spanish(spanish_tablet, demo_export, tmp_path):
    page = spanish_tablet
    seen: dict[str, list[str]] = {}

    def check(name: str) -> None:
        shot(page, f"es-{len(seen) + 1:02d}-{name}")
        seen[name] = english_in(screen_text(page))

    seller = sorted(_customers_of(demo_export))[0]
    world = pick_world(demo_export, seller)
    open_app(page, page.app_url)
    login = page.get_by_role("textbox", name=ES("sign_in.login"))
    expect(login).to_be_visible(timeout=30_000)
    check("sign-in")
    type_into(page, login, seller)
    type_into(page, page.get_by_role("textbox", name=ES("sign_in.password")), DEMO_PASSWORD)
    page.get_by_role("button", name=ES("sign_in.button")).click()
    wait_text(page, "today-title", ES("nav.today"), timeout=120_000)
    check("today")

    navigate(page, ES("nav.portfolio"))
    wait_text(page, "customer-count", "Mostrando")
    type_into(page, page.get_by_role("textbox", name=ES("portfolio.search")), world.customer)
    sid(page, f"customer-{world.customer}").wait_for()
    check("portfolio")
    tap_until(page, sid(page, f"customer-{world.customer}"), "sales-chart")
    sid(page, "credit-panel").wait_for()
    check("customer-360")

    sid(page, "check-in").click()
    type_into(page, page.get_by_role("textbox", name=ES("enum.Field.purpose")), "Revisión de stock")
    type_into(page, page.get_by_role("textbox", name=ES("enum.Field.notes")), "Quiere la gama nueva de EPI")
    sid(page, "visit-save").click()
    sid(page, "pending-count").wait_for()
    check("visit")

    sid(page, "visit-observation").click()
    type_into(page, page.get_by_role("textbox", name=ES("enum.Field.competitor")), "Würth")
    type_into(page, page.get_by_role("textbox", name=ES("enum.Field.observed_price")), "12,50")
    check("observation")
    sid(page, "observation-save").click()
    sid(page, "visit-opportunity").click()
    type_into(page, page.get_by_role("textbox", name=ES("enum.Field.title")), "Gama EPI 2027")
    type_into(page, page.get_by_role("textbox", name=ES("enum.Field.value")), "4.250,00")
    check("opportunity")
    sid(page, "opportunity-save").click()
    expect(page.get_by_role("textbox", name=ES("enum.Field.title"))).to_have_count(0)

    tap_until(page, sid(page, "visit-quote"), "quote-credit")
    for sku in [*world.in_stock[:2], world.short]:
        type_into(page, page.get_by_role("textbox", name=ES("quote.search")), sku)
        sid(page, f"hit-{sku}").click()
        wait_text(page, "quote-lines", sku)
    sid(page, "promise-2").wait_for()
    set_line(page, 0, ES("quote.discount"), "25", until=("quote-approval", "25"))
    check("quote")
    sid(page, "quote-save").click()
    wait_text(page, "quote-status", ES("enum.QuoteStatus.draft"))
    number = quote_number(page)
    sid(page, "quote-request").click()
    wait_text(page, "quote-status", ES("enum.QuoteStatus.pending_approval"))
    sid(page, "quote-preview").click()
    sid(page, "quote-preview-pages").wait_for()
    page.wait_for_timeout(500)
    check("quote-preview")
    close_dialog(page, "preview-close", "quote-preview-pages")
    tap_until(page, sid(page, "quote-send"), "send-confirm")
    sid(page, "send-confirm").wait_for()
    check("send")
    sid(page, "send-confirm").click()
    wait_text(page, "quote-status", ES("quote.held_send"))
    sid(page, "quote-withdraw").click()
    sid(page, "quote-withdraw-confirm").wait_for()
    check("withdraw")
    page.get_by_role("button", name=ES("common.cancel")).click()
    expect(sid(page, "quote-withdraw-confirm")).to_have_count(0)

    navigate(page, ES("nav.quotes"))
    wait_text(page, "quote-list", number)
    check("quotes")
    navigate(page, ES("nav.opportunities"))
    wait_text(page, "opportunity-list", "Gama EPI 2027")
    check("opportunities")
    navigate(page, ES("nav.sync"))
    sid(page, "pending-list").wait_for()
    check("sync")
    navigate(page, ES("nav.settings"))
    wait_text(page, "settings-title", ES("nav.settings"))
    check("settings")

    # The PDF the seller would send, as kept on the device.
    pdfs = [p for p in page.device.rglob("*") if p.is_file() and p.read_bytes()[:5] == b"%PDF-"]
    assert pdfs, "the quote's PDF is kept on the device"
    pdf = max(pdfs, key=lambda p: p.stat().st_mtime).read_bytes()
    text = all_text(pdf)
    assert number in text and "PRESUPUESTO" in text
    # Units are the ERP's codes (BOX, EA); the Spanish document writes them in Spanish.
    assert re.findall(r"\b(?:BOX|EA)\b", text) == [] and "ud." in text
    seen["quote-pdf"] = english_in(text)
    render_pngs(pdf, tmp_path)

    assert {name: found for name, found in seen.items() if found} == {}
    assert len(seen) == 16


def test_every_manager_screen_in_spanish(spanish_tablet):
    """A manager's day in Spanish: Today, the approvals inbox (the reasons the server gave, in
    Spanish), her team's visits and the figures hold no English."""
    page = spanish_tablet
    first, _second = _pending_quotes(page.office, 2)
    session = sign_in_on_device(page.client_settings, MANAGER, DEMO_PASSWORD, "Portátil de Laura")
    try:
        sync_now(session)
    finally:  # closed, not signed out: the app reopens it from the device folder
        session.api.close()
        session.store.close()
    open_app(page, page.app_url)
    seen: dict[str, list[str]] = {}

    def check(name: str) -> None:
        shot(page, f"es-manager-{len(seen) + 1:02d}-{name}")
        seen[name] = english_in(screen_text(page))

    wait_text(page, "today-title", "Hoy", timeout=120_000)
    wait_text(page, "today-approvals", "2")
    check("today")
    navigate(page, "Aprobaciones")
    wait_text(page, f"approvals-request-{first.number}", "Pedido grande")
    wait_text(page, f"approvals-request-{first.number}", "por encima del 10 % que puede dar un vendedor")
    check("approvals")
    navigate(page, "Equipo")
    wait_text(page, "feed-title", "Visitas del equipo")
    check("team-visits")
    navigate(page, "Cifras")
    wait_text(page, "dash-as-of", "A ", timeout=60_000)
    check("figures")
    assert {name: found for name, found in seen.items() if found} == {}
