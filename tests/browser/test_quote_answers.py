"""The customer says yes on site: the real app in headless Chromium.

The seller notes an opportunity on the customer's page and quotes it from the Opportunities
screen (its pipeline in euros, weighted by probability): one product, sent; she records the
customer's acceptance with her purchase-order number and the day she wants the goods (typed
the British way; a day that does not exist is refused in the dialog, which keeps what was
typed). The quote shows the answer and the opportunity it came from; one tap marks the
opportunity won, and the opportunity (the screen filtered to the customer) lists the quote
(phone and tablet screenshots). One sync later the server's order export for the ERP
carries the PO number and the day. A second offer, from which the customer dropped a product out of stock, is withdrawn
before she answers; the lost sale shows on it and on her page. Then the ERP's next export
(the order confirmed and dispatched, its invoice and payment) is imported, and after one
sync the customer's timeline and the quote say ordered, confirmed, invoiced, paid.
"""

import csv
import shutil
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from client.i18n import Translator
from shared.rules.delivery_dates import add_working_days
from sync_server.cli import main as server_cli
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.importer.run import import_export
from tests.browser.helpers import (
    leave_field,
    navigate,
    open_customer,
    open_signed_in,
    shot,
    sid,
    tap_until,
    turn,
    type_into,
    wait_text,
)
from tests.browser.quoting import add_product, most_sellable, pick_world, quote_number, set_line
from tests.browser.test_seller_day import _customers_of
from tests.client.pdf.reading import all_text

PO = "PO-4500123"
OPPORTUNITY = "Gloves for the new plant"
NOTE, CONDITIONS = "Prices for the whole order only", "Deliver to dock 2 before 8:00"


def _sent_quote(
    page,
    customer: str,
    sku: str,
    dropped: str | None = None,
    cut: tuple[str, Decimal] | None = None,
    started: bool = False,
) -> str:
    """From the customer's page (or, `started`, from a quote builder already open): a one-line
    quote, saved and sent to her default address; with `dropped`, a line of a product out of
    stock that the customer drops first; with `cut` (a product and the most one warehouse
    has), a line asking 10 more, cut to that."""
    if not started:
        tap_until(page, sid(page, "new-quote"), "quote-credit", "Credit OK")
    wait_text(page, "quote-credit", "Credit OK")
    if dropped is None:  # once: a search that finds nothing says so
        type_into(page, page.get_by_role("textbox", name="Add a product"), "zzqx")
        expect(page.get_by_text("No active product matches that code or those words.")).to_be_visible()
    add_product(page, sku)
    if dropped is None:  # half a piece is a typo the quote will not keep
        set_line(page, 0, "Quantity", "2.5")
        wait_text(page, "quote-summary", "is sold in whole units")
        set_line(page, 0, "Quantity", "1")
        expect(page.get_by_text("is sold in whole units")).to_have_count(0)
    if dropped is None:  # the notes: one for her PDF, one for the ERP's order
        _open_terms(page)
        type_into(page, page.get_by_role("textbox", name="Note for the customer (on the PDF)"), NOTE)
        type_into(page, page.get_by_role("textbox", name="Conditions agreed (on the order)"), CONDITIONS)
        shot(page, "answer-terms-and-notes")
        sid(page, "terms-apply").click()
        expect(sid(page, "terms-apply")).to_have_count(0)
    if cut:
        cut_sku, available = cut
        add_product(page, cut_sku)
        set_line(page, 1, "Quantity", str(available + 10))
        expect(sid(page, "cut-1")).to_have_count(1, timeout=30_000)  # short: the cut is offered
        wait_text(page, "delivery-1", "Delivery")  # a date after the lot that completes it, or "to be confirmed"
        shot(page, "quote-line-short-with-date")  # docs/screenshots/quote-dates.png
        sid(page, "cut-1").click()
        expect(sid(page, "cut-1")).to_have_count(0, timeout=30_000)
        promised = Translator("en").date(add_working_days(datetime.now(UTC).date(), 2))
        wait_text(page, "delivery-1", f"Delivery by {promised}")  # in stock now: the company's 2 working days
        wait_text(page, "quote-lost-for-stock", cut_sku)
        shot(page, "quote-line-cut-lost-sale")
    if dropped:
        add_product(page, dropped)
        drop = f"drop-{2 if cut else 1}"
        sid(page, drop).click()
        expect(sid(page, drop)).to_have_count(0, timeout=30_000)
    # One tap: the builder keeps its buttons across the redraw that a re-priced quote brings
    # (after the terms, a drop or a cut); a tap then was lost before (a fresh clone, 7 Dec).
    sid(page, "quote-save").click()
    wait_text(page, "quote-status", "Draft")
    wait_text(page, "quote-customer", f"({customer})")  # "For <her name> (<her code>)"
    wait_text(page, "quote-margin", "Margin ")
    number = quote_number(page)
    sid(page, "quote-send").click()
    sid(page, "send-confirm").click()
    wait_text(page, "quote-status", "Sent")
    return number


def _erp_answers(export: Path, folder: Path, ordered: list[dict[str, str]]) -> Path:
    """The ERP's next export: the demo's, plus the order's steps, its invoice and payment."""
    shutil.copytree(export, folder)
    order = ordered[0]
    today, gross = datetime.now(UTC).date(), Decimal(order["gross_total"])
    net, tax = Decimal(order["net_total"]), Decimal(order["tax_total"])
    with open(folder / "order_status.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["order_id", "erp_order", "customer_code", "status", "status_date", "quantity", "reason"])
        writer.writerow([order["order_id"], "4500777", order["customer_code"], "confirmed", today, "", ""])
        writer.writerow([order["order_id"], "4500777", order["customer_code"], "dispatched", today, "1", ""])
    with open(folder / "invoices.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(
            [
                "FV-ERP-0001",
                order["customer_code"],
                today,
                today + timedelta(days=30),
                order["currency"],
                net,
                tax,
                gross,
            ]
        )
    with open(folder / "invoice_lines.csv", encoding="utf-8", newline="") as fh:
        lines = list(csv.reader(fh))
    header = lines[0]
    for line in ordered:
        cells = {"invoice_number": "FV-ERP-0001", "line_no": line["line_no"], "sku": line["sku"],
                 "quantity": line["quantity"], "unit_price": line["unit_price"], "net_amount": line["net_amount"],
                 "cost_amount": "0", "order_id": order["order_id"]}  # fmt: skip
        lines.append([cells[column] for column in header])
    with open(folder / "invoice_lines.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(lines)
    with open(folder / "payments.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(["PG-ERP-0001", order["customer_code"], "FV-ERP-0001", today, order["currency"], gross])
    return folder


def _open_terms(page) -> None:
    """Tap "Terms and notes" until its dialog is up: a tap that lands while the line just
    edited is being redrawn opens nothing (seen once under a loaded full run); a seller taps
    again."""
    for _attempt in range(3):
        sid(page, "quote-terms").click()
        try:
            expect(sid(page, "terms-apply")).to_have_count(1, timeout=5_000)
            return
        except AssertionError:
            continue
    raise AssertionError("the terms dialog did not open after three taps")


def test_the_customer_accepts_with_her_po_and_a_day_and_the_erp_export_has_them(
    office_tablet, office, demo_export, tmp_path
):
    page = office_tablet
    seller = sorted(_customers_of(demo_export))[0]
    world = pick_world(demo_export, seller)
    open_signed_in(page, page.app_url, seller, DEMO_PASSWORD)

    # The quote answers an opportunity: started from it on the Opportunities screen.
    open_customer(page, world.customer)
    sid(page, "new-opportunity").click()
    type_into(page, page.get_by_role("textbox", name="Title"), OPPORTUNITY)
    type_into(page, page.get_by_role("textbox", name="Value"), "1,200.00")
    leave_field(page)
    sid(page, "opportunity-save").click()
    expect(page.get_by_role("textbox", name="Title")).to_have_count(0, timeout=30_000)
    navigate(page, "Opportunities")
    wait_text(page, "pipeline-totals", "Open: €1,200.00 · forecast (weighted) €120.00")
    sid(page, f"quote-for-{OPPORTUNITY}").click()
    number = _sent_quote(page, world.customer, world.in_stock[0], started=True)
    wait_text(page, "quote-for-opportunity", f"For opportunity {OPPORTUNITY}")
    sid(page, "quote-accepted").click()
    type_into(page, page.get_by_role("textbox", name="Customer's order number (PO, optional)"), PO)
    delivery = page.get_by_role("textbox", name="Delivery wanted on (optional)")
    wanted = datetime.now(UTC).date() + timedelta(days=10)
    type_into(page, delivery, Translator("en").day_entry(wanted))
    shot(page, "answer-accept-dialog")
    type_into(page, delivery, "31/02/2027")
    sid(page, "quote-accept-confirm").click()
    wait_text(page, "quote-accept-error", "Delivery day: “31/02/2027” is not a date; write it like 31/12/2026")
    type_into(page, delivery, Translator("en").day_entry(wanted))
    leave_field(page)
    sid(page, "quote-accept-confirm").click()
    wait_text(page, "quote-status", "Accepted")
    wait_text(page, "quote-answer", f"Customer's order number: {PO}")
    wait_text(page, "quote-answer", f"Delivery wanted on {Translator('en').date(wanted)}")
    wait_text(page, "quote-answer", f"Note for the customer: {NOTE}")
    wait_text(page, "saved-delivery-1", "Delivery by")  # the line in stock has its day
    shot(page, "answer-accepted")
    # Accepted: winning the opportunity is suggested, one tap; the opportunity lists its quote.
    sid(page, "quote-win-opportunity").click()
    expect(sid(page, "quote-win-opportunity")).to_have_count(0, timeout=30_000)
    sid(page, "quote-for-opportunity").click()  # the Opportunities screen, for her only
    wait_text(page, f"opportunity-quotes-{OPPORTUNITY}", f"{number} v1 · Accepted")
    wait_text(page, "stage-won", "weighted €1,200.00")
    shot(page, "opportunity-quotes-tablet")
    turn(page, 390, 844)
    wait_text(page, f"opportunity-quotes-{OPPORTUNITY}", f"{number} v1")
    sid(page, f"opportunity-quotes-{OPPORTUNITY}").scroll_into_view_if_needed()
    expect(page.get_by_text("Opportunity marked won.")).to_have_count(0, timeout=15_000)
    shot(page, "opportunity-quotes-phone")
    turn(page, 1280, 800)  # the rail again: tap on once it is there
    wait_text(page, f"opportunity-quotes-{OPPORTUNITY}", f"{number} v1")

    # A second offer, without the product out of stock the customer wanted (a lost sale
    # due to stock), taken back before the customer answers.
    open_customer(page, world.customer)
    # A line asking more than any warehouse has is cut to what ships now: the rest is lost too.
    cut = (world.in_stock[2], most_sellable(demo_export, world.in_stock[2]))
    _sent_quote(page, world.customer, world.in_stock[1], dropped=world.short, cut=cut)
    sid(page, "quote-withdraw").click()
    sid(page, "quote-withdraw-confirm").click()
    wait_text(page, "quote-status", "Withdrawn")
    wait_text(page, "quote-lost-for-stock", "2 lines lost")
    open_customer(page, world.customer)
    wait_text(page, "lost-for-stock", world.short)
    shot(page, "answer-customer-lost-for-stock")

    # The quotes list: nothing open now; the accepted one among the won, the other among the lost.
    navigate(page, "Quotes")
    wait_text(page, "quote-list", "No quotes here.")
    sid(page, "quote-group-won").click()
    wait_text(page, "quote-list", f"{number} · v1")
    wait_text(page, "quote-list", "Accepted")
    shot(page, "answer-quotes-won")
    sid(page, "quote-group-lost").click()
    wait_text(page, "quote-list", "Withdrawn")
    sid(page, "quote-group-all").click()
    wait_text(page, "quotes-count", "2 quotes")

    navigate(page, "Sync")
    sid(page, "outbox-sync").click()
    wait_text(page, "pending-list", "Everything has been sent.", timeout=60_000)

    out = tmp_path / "orders.csv"
    url = office.app.state.engine.url.render_as_string(hide_password=False)
    args = ["--data-dir", str(office.settings.data_dir), "--database-url", url]
    assert server_cli([*args, "export-orders", "--format", "csv", "--out", str(out)]) == 0
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["quote_number"], r["customer_po"], r["requested_delivery"], r["conditions"]) for r in rows} == {
        (number, PO, wanted.isoformat(), CONDITIONS)
    }
    # Each line carries its wanted day (the order's) and the day it was promised by; the PDF
    # the customer got says that day, never "48 h".
    issued = datetime.now(UTC).date()
    promised = add_working_days(issued, 2)
    assert {(r["line_requested_delivery"], r["promised_delivery"]) for r in rows} == {
        (wanted.isoformat(), promised.isoformat())
    }
    pdfs = [p for p in (tmp_path / "device").rglob("*") if p.is_file() and p.read_bytes()[:5] == b"%PDF-"]
    texts = [" ".join(all_text(p.read_bytes()).split()) for p in pdfs]
    assert any(number in text for text in texts)
    for text in texts:
        assert "48 h" not in text
        if number in text:  # the accepted quote's PDF, in the customer's language
            said = (
                f"Delivery by {Translator('en').date(promised)}",
                f"Entrega a más tardar el {Translator('es').date(promised)}",
            )
            assert any(words in text for words in said), text

    # The ERP answers: the order confirmed and dispatched, invoiced and paid, in its next
    # export; imported, synced, and the seller sees it on the customer and on the quote.
    import_export(office.app.state.engine, _erp_answers(demo_export, tmp_path / "erp", rows))
    sid(page, "sync-now").click()
    wait_text(page, "sync-state", "Synced", timeout=60_000)
    open_customer(page, world.customer)
    wait_text(page, "timeline", "Confirmed (ERP 4500777)")
    wait_text(page, "timeline", "Dispatched 1 unit")
    wait_text(page, "timeline", "invoices the order of")
    wait_text(page, "timeline", "collects the order of")
    shot(page, "answer-erp-timeline")
    navigate(page, "Quotes")
    sid(page, "quote-group-won").click()
    sid(page, f"quote-row-{number}").click()
    wait_text(page, "quote-answer", "Ordered · Confirmed")
    wait_text(page, "quote-answer", "Invoiced FV-ERP-0001 · Paid")
    shot(page, "answer-erp-quote")
