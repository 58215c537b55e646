"""A quote's PDF carries the synced company: a neutral letterhead before the profile arrives,
the company's identity, logo, bank and terms after; the e-mail subject names it."""

import io
from datetime import UTC, datetime
from decimal import Decimal

from PIL import Image
from pypdf import PdfReader

from client.services.company import NEUTRAL_INFO
from client.services.quote_document import quote_document, render_quote
from client.services.quote_sending import _subject
from client.services.quoting import add_line, save_quote, start_quote
from client.services.synchronization import sync_now
from sync_server.importer.demo.company import DEMO_COMPANY
from sync_server.repository.database import write_transaction
from sync_server.services.company import save_company, save_company_logo


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _quote(ana):
    return save_quote(ana, add_line(ana, start_quote(ana, "C1"), "GUA-NIT-09", Decimal(10)))


def test_before_the_first_profile_the_quote_is_neutral_then_it_carries_the_company(server, ana):
    quote = _quote(ana)
    neutral = quote_document(ana, quote, "es")
    assert neutral.company == NEUTRAL_INFO and neutral.terms == ()
    assert "B86543210" not in _text(render_quote(ana, quote, "es"))
    assert _subject(ana, quote, "es") == f"Presupuesto {quote.number} v{quote.version}"

    logo = io.BytesIO()
    Image.new("RGB", (300, 80), "darkgreen").save(logo, format="PNG")
    with write_transaction(server.app.state.engine) as conn:
        save_company(conn, DEMO_COMPANY, login="admin", now=datetime.now(UTC))
        save_company_logo(conn, logo.getvalue(), login="admin", now=datetime.now(UTC))
    sync_now(ana)
    pdf = render_quote(ana, quote, "es")
    text = _text(pdf)
    for words in ("Suministros Terreno", "B86543210", "Calle de la Industria 14", "Precios en la moneda de la oferta"):
        assert words in text, words
    assert "ES91 2100 0418 4502 0005 1332" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1
    assert _subject(ana, quote, "es").endswith("· Suministros Terreno")
