"""The PDF as a file: byte-identical renders, embedded Unicode font, metadata, logo, inputs."""

import dataclasses
import hashlib
import io
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from client.pdf import DocumentLine, QuoteDocument, TaxLine, render_quote_pdf, write_quote_pdf
from tests.client.pdf.factories import LOGO, make_company, make_document, make_lines
from tests.client.pdf.reading import all_text


def test_two_renders_of_one_document_are_byte_identical():
    doc = make_document(language="es", status_label="BORRADOR")
    first = render_quote_pdf(doc)
    # Another document in between must not leak state (font subsets, counters) into the next.
    render_quote_pdf(
        make_document(lines=make_lines(40), customer=dataclasses.replace(doc.customer, legal_name="Kővári Ørsted Kft."))
    )
    second = render_quote_pdf(make_document(language="es", status_label="BORRADOR"))
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_bytes_do_not_depend_on_where_the_logo_file_lives(tmp_path):
    copies = []
    for folder in ("install-a", "somewhere/else/b"):
        (tmp_path / folder).mkdir(parents=True)
        copies.append(tmp_path / folder / "logo.png")
        shutil.copyfile(LOGO, copies[-1])
    first, second = (render_quote_pdf(make_document(company=make_company(logo_path=path))) for path in copies)
    assert first == second == render_quote_pdf(make_document())


def test_bytes_do_not_depend_on_the_clock_or_a_reproducible_build_epoch(monkeypatch):
    plain = render_quote_pdf(make_document())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert render_quote_pdf(make_document()) == plain


def test_different_documents_give_different_bytes_and_file_ids():
    first, second = (PdfReader(io.BytesIO(render_quote_pdf(make_document(version=v)))) for v in (2, 3))
    assert first.trailer["/ID"][0] != second.trailer["/ID"][0]


def test_metadata_names_the_quote_and_dates_it_on_its_issue_day():
    reader = PdfReader(io.BytesIO(render_quote_pdf(make_document(language="es"))))
    info = reader.metadata
    assert info.title == "Presupuesto Q-2026-MAD7-000123 · versión 2"
    assert info.author == "Suministros Industriales Terreno"
    assert info.subject == "Ferretería Peñalara i Garçon S.L."
    assert info["/CreationDate"].startswith("D:20261124")
    assert reader.trailer["/Root"]["/Lang"] == "es-ES"


def test_the_unicode_font_is_embedded_and_no_standard_font_is_used():
    reader = PdfReader(io.BytesIO(render_quote_pdf(make_document())))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        assert "DejaVuSans" in name, f"non-embedded or standard font used: {name}"
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"


@pytest.mark.parametrize("logo_path", [None, Path("/nonexistent/logo.png"), "corrupt"])
def test_a_missing_or_broken_logo_still_renders_the_quote(logo_path, tmp_path):
    if logo_path == "corrupt":
        logo_path = tmp_path / "logo.png"
        logo_path.write_bytes(b"not a png")
    pdf = render_quote_pdf(make_document(company=make_company(logo_path=logo_path)))
    reader = PdfReader(io.BytesIO(pdf))
    assert "/XObject" not in reader.pages[0]["/Resources"]
    assert "Suministros Industriales Terreno" in all_text(pdf)


def test_the_logo_is_embedded_when_present():
    reader = PdfReader(io.BytesIO(render_quote_pdf(make_document())))
    images = reader.pages[0]["/Resources"]["/XObject"]
    assert len(images) == 1


def test_write_quote_pdf_writes_the_same_bytes_as_render(tmp_path):
    doc = make_document()
    path = write_quote_pdf(doc, tmp_path / "Q-2026-MAD7-000123-v2.pdf")
    assert path.read_bytes() == render_quote_pdf(doc)
    assert [p.name for p in tmp_path.iterdir()] == ["Q-2026-MAD7-000123-v2.pdf"]


def test_float_money_is_refused():
    line = make_lines(1)[0]
    with pytest.raises(TypeError, match="unit_price"):
        dataclasses.replace(line, unit_price=12.5)
    with pytest.raises(TypeError, match="gross_total"):
        make_document(gross_total=121.0)
    with pytest.raises(TypeError, match="tax"):
        TaxLine(rate_percent=Decimal(21), base=Decimal("100.00"), tax=21.0)


def test_document_refuses_an_unknown_language_and_freezes_its_sequences():
    with pytest.raises(ValueError, match="language"):
        make_document(language="fr", lines=make_lines(1))
    lines = make_lines(2)
    doc = make_document(lines=lines)
    lines.append(lines[0])
    assert isinstance(doc.lines, tuple) and len(doc.lines) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.number = "other"  # type: ignore[misc]


def test_a_document_can_be_built_without_the_factories():
    doc = QuoteDocument(
        language="en",
        company=make_company(logo_path=None),
        customer=make_document().customer,
        seller=make_document().seller,
        number="Q-1",
        version=1,
        issue_date=date(2026, 1, 2),
        valid_until=date(2026, 2, 1),
        currency="JPY",
        payment_terms="Cash",
        lines=[
            DocumentLine(
                1,
                "A-1",
                "Torque wrench",
                Decimal(3),
                "pc",
                Decimal(12000),
                Decimal(0),
                Decimal(36000),
                Decimal(10),
                "In stock · Osaka",
            )
        ],
        net_total=Decimal(36000),
        tax_total=Decimal(3600),
        gross_total=Decimal(39600),
        tax_breakdown=[TaxLine(Decimal(10), Decimal(36000), Decimal(3600))],
    )
    text = all_text(render_quote_pdf(doc))
    assert "1 A-1 Torque wrench 3 pc 12,000 36,000 10% In stock · Osaka" in text
    assert "TOTAL JP¥39,600" in text
