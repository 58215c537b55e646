"""The demo's headline, end to end: a seller sends a quote from the app, the sync server
delivers it by itself (its own scheduler, no delivery command) into the demo's mail sink,
and the sink's web page shows the e-mail with the very PDF the tablet made; one sync later
the seller sees it delivered.

The server runs as `make demo` runs it: SMTP pointed at the sink, delivery in-process.
"""

import csv
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from client.i18n import Translator
from client.services.quote_document import document_language
from sync_server.app import create_app
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.mail_sink import MailSink
from tests.browser.conftest import demo_server_settings, tablet_on
from tests.browser.helpers import (
    StoppableServer,
    navigate,
    open_customer,
    open_signed_in,
    shot,
    sid,
    tap_until,
    wait_text,
)
from tests.browser.quoting import add_product, pick_world, quote_number
from tests.browser.test_seller_day import _customers_of
from tests.client.pdf.reading import all_text


@pytest.fixture
def sink():
    with MailSink() as started:
        yield started


@pytest.fixture
def mailing_office(tmp_path, demo_database, sink):
    """The demo's sync server, delivering e-mail itself into `sink` every second."""
    settings = demo_server_settings(demo_database, tmp_path / "server").model_copy(
        update={
            "smtp_host": sink.host,
            "smtp_port": sink.smtp_port,
            "smtp_from": "Terreno demo <quotes@terreno.example>",
            "email_delivery_seconds": 1,
            "quote_expiry_minutes": 0,
        }
    )
    server = StoppableServer(create_app(settings))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def tablet(browser, mailing_office, tmp_path):
    with tablet_on(browser, mailing_office.url, tmp_path / "device") as tab:
        yield tab


def _country(export: Path, customer: str) -> str:
    with open(export / "customers.csv", encoding="utf-8") as fh:
        return next(row["country"] for row in csv.DictReader(fh) if row["code"] == customer) or "ES"


def _wait_for_mail(sink: MailSink, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not sink.mails:
        assert time.monotonic() < deadline, "no e-mail reached the sink"
        time.sleep(0.2)


def test_a_quote_sent_from_the_app_shows_up_in_the_mail_sink(tablet, browser, sink, demo_export, tmp_path):
    page = tablet
    seller = sorted(_customers_of(demo_export))[0]
    world = pick_world(demo_export, seller)
    open_signed_in(page, page.app_url, seller, DEMO_PASSWORD)

    open_customer(page, world.customer)
    tap_until(page, sid(page, "new-quote"), "quote-credit", "Credit OK")
    add_product(page, world.in_stock[0])
    sid(page, "quote-save").click()
    wait_text(page, "quote-status", "Draft")
    number = quote_number(page)
    sid(page, "quote-send").click()
    sid(page, "send-confirm").click()
    wait_text(page, "quote-status", "Sent")
    navigate(page, "Sync")
    sid(page, "outbox-sync").click()
    wait_text(page, "pending-list", "Everything has been sent.", timeout=60_000)

    # No delivery command runs: the server's own job hands the e-mail to the sink.
    _wait_for_mail(sink)
    [mail] = sink.mails
    subject = str(mail.message["Subject"])
    assert number in subject
    # Subject, message and PDF in the customer's language, whatever the seller's app speaks.
    language = document_language(_country(demo_export, world.customer))
    assert subject.startswith(Translator(language)("email.subject", number=number, version=1, company="").split()[0])
    assert (
        mail.text().replace("\r\n", "\n").strip()
        == Translator(language)("quote.default_message", number=number).strip()
    )
    assert number in mail.text()  # words, not the message's key (the catalogs once lost them)
    [device_pdf] = [p for p in (tmp_path / "device").rglob("*") if p.is_file() and p.read_bytes()[:5] == b"%PDF-"]

    # The sink's page, as a person opens it from the address the demo prints.
    viewer = browser.new_page(viewport={"width": 1100, "height": 700})
    try:
        viewer.goto(sink.url)
        expect(viewer.get_by_text("1 message received")).to_be_visible()
        expect(viewer.get_by_role("link", name=subject)).to_be_visible()
        pdf_link = viewer.get_by_role("link", name=f"{number}-v1.pdf")
        expect(pdf_link).to_have_count(1)
        shot(viewer, "mail-sink-messages")
        viewer.get_by_role("link", name=subject).click()
        expect(viewer.get_by_role("heading", name=subject)).to_be_visible()
        expect(viewer.get_by_text(", ".join(mail.recipients)).first).to_be_visible()
        shot(viewer, "mail-sink-message")
        # The PDF the link opens is byte for byte the one the tablet made and showed.
        href = viewer.get_by_role("link", name=f"{number}-v1.pdf").get_attribute("href")
        opened = viewer.request.get(sink.url + str(href))
        assert opened.status == 200 and opened.headers["content-type"] == "application/pdf"
        assert opened.body() == device_pdf.read_bytes()
        assert number in all_text(opened.body())
    finally:
        viewer.close()

    # The seller looks at her quote and syncs: the quote on her screen shows the e-mail
    # delivered once the round brings it. (Not "wait for Synced, then open the quote": the
    # state said Synced before the tap, and the quote was once opened before the round ended.)
    navigate(page, "Quotes")
    sid(page, f"quote-row-{number}").click()
    wait_text(page, "quote-status", "Sent")
    sid(page, "sync-now").click()
    delivered = f"E-mail to {', '.join(mail.recipients)}: delivered"
    expect(page.get_by_role("group", name=delivered).first).to_be_visible(timeout=60_000)
    shot(page, "mail-sink-quote-delivered")
