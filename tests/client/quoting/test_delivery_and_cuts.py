"""Per-line delivery dates (promised from availability, wanted by the customer) on the device,
its saved quote and its PDF; lines cut for stock recorded as lost sales."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from client.i18n import Translator
from client.services.customer360 import customer_360
from client.services.lost_sales import quote_lost_sales
from client.services.quote_cuts import cut_to_available, set_quantity
from client.services.quote_delivery import set_requested_delivery
from client.services.quote_document import render_quote
from client.services.quoting import edit_quote, save_quote
from client.services.synchronization import sync_now
from shared.errors import ValidationFailed
from shared.models import IncomingLot
from shared.protocol import CATALOG_BUCKET
from shared.rules.delivery_dates import DeliveryFit, add_working_days
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record
from tests.client.quoting.world import NO_STOCK, quote_draft

D = Decimal
LOT_IN_DAYS = 10


@pytest.fixture
def lot_day(server, ana):
    """10 drills arrive in ten days (TAL-18V-BL: 3 in MAD, 20 in BCN now)."""
    day = ana_today() + timedelta(days=LOT_IN_DAYS)
    with write_transaction(server.app.state.engine) as conn:
        put_record(
            conn,
            IncomingLot(lot="L-77", sku="TAL-18V-BL", warehouse_code="MAD", quantity=D(10), expected_date=day),
            CATALOG_BUCKET,
        )
    sync_now(ana)
    return day


def ana_today():
    from client.services.quoting import today

    return today()


def test_each_line_is_promised_a_date_from_its_availability(ana, lot_day):
    priced = quote_draft(ana, ("GUA-NIT-09", 10, 0), (NO_STOCK, 6, 0), ("TAL-18V-BL", 30, 0))
    issue = priced.draft.issue_date
    in_stock, nothing, waiting = priced.lines
    assert in_stock.promised_delivery == add_working_days(issue, 2)  # the company's 2 working days
    assert nothing.promised_delivery is None  # no stock, nothing coming: to be confirmed
    assert waiting.promise.is_short and waiting.promised_delivery == add_working_days(lot_day, 2)
    assert {line.delivery_fit for line in priced.lines} == {DeliveryFit.NOT_ASKED}


def test_the_wanted_day_is_the_quotes_unless_a_line_has_its_own_and_late_lines_warn(ana, lot_day):
    priced = quote_draft(ana, ("GUA-NIT-09", 10, 0), (NO_STOCK, 6, 0), ("TAL-18V-BL", 30, 0))
    issue = priced.draft.issue_date
    priced = set_requested_delivery(ana, priced, issue + timedelta(days=7))
    assert [line.delivery_fit for line in priced.lines] == [DeliveryFit.ON_TIME, DeliveryFit.UNDATED, DeliveryFit.LATE]
    own = add_working_days(lot_day, 3)
    priced = set_requested_delivery(ana, priced, own, index=2)
    assert (priced.lines[2].requested_delivery, priced.lines[2].delivery_fit) == (own, DeliveryFit.ON_TIME)
    with pytest.raises(ValidationFailed, match="before"):
        set_requested_delivery(ana, priced, issue - timedelta(days=1), index=0)
    saved = save_quote(ana, priced)
    assert saved.requested_delivery == issue + timedelta(days=7)
    assert [(x.requested_delivery, x.promised_delivery) for x in saved.lines] == [
        (None, add_working_days(issue, 2)),  # the quote's day: not copied onto the line
        (None, None),
        (own, add_working_days(lot_day, 2)),
    ]
    again = edit_quote(ana, saved.id)
    assert [x.requested_delivery for x in again.lines] == [issue + timedelta(days=7)] * 2 + [own]


@pytest.mark.parametrize(
    ("language", "by", "to_confirm"),
    [
        ("en", "Delivery by {}", "Delivery date to be confirmed"),
        ("es", "Entrega a más tardar el {}", "Fecha de entrega por confirmar"),
    ],
)
def test_the_pdf_states_a_date_per_line_and_never_48_hours(ana, lot_day, language, by, to_confirm):
    saved = save_quote(ana, quote_draft(ana, ("GUA-NIT-09", 10, 0), (NO_STOCK, 6, 0), ("TAL-18V-BL", 30, 0)))
    pages = PdfReader(io.BytesIO(render_quote(ana, saved, language))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    t = Translator(language)
    for line in (saved.lines[0], saved.lines[2]):
        assert by.format(t.date(line.promised_delivery)) in text
    assert to_confirm in text
    assert "48 h" not in text


def test_cutting_a_short_line_to_what_ships_now_records_the_rest_as_lost(ana):
    priced = quote_draft(ana, ("GUA-NIT-09", 10, 0), ("TAL-18V-BL", 30, 0), (NO_STOCK, 6, 0))
    priced = cut_to_available(ana, priced, 1)  # 20 ship now from BCN
    assert priced.lines[1].result.quantity == D(20) and not priced.lines[1].promise.is_short
    with pytest.raises(ValidationFailed, match="nothing to cut"):
        cut_to_available(ana, priced, 0)
    with pytest.raises(ValidationFailed, match="drop the line"):
        cut_to_available(ana, priced, 2)  # nothing ships now
    priced = set_quantity(ana, priced, 0, D(4))  # in stock: lowered, nothing lost
    priced = set_quantity(ana, priced, 2, D(2))  # nothing on hand: the cut is for stock
    lost = quote_lost_sales(ana, priced.draft.id, priced.draft.number)
    assert [(x.sku, x.quantity, x.sellable, x.unit_price) for x in lost] == [
        ("TAL-18V-BL", D(10), D(20), D("189.0000")),
        (NO_STOCK, D(4), D(0), D("12.5000")),
    ]
    saved = save_quote(ana, priced)
    assert {x.sku for x in customer_360(ana, "C1").lost_for_stock} == {"TAL-18V-BL", NO_STOCK}
    assert [x.quantity for x in quote_lost_sales(ana, saved.id, saved.number)] == [D(10), D(4)]


def test_a_cut_below_what_ships_now_is_not_a_lost_sale(ana):
    priced = quote_draft(ana, ("TAL-18V-BL", 30, 0))
    priced = set_quantity(ana, priced, 0, D(5))  # 20 could ship: the customer wants fewer
    assert quote_lost_sales(ana, priced.draft.id, priced.draft.number) == []
