"""What a quote PDF says: every line, the totals per tax rate, accents, both languages."""

import dataclasses
from decimal import Decimal

from client.pdf import CompanyInfo, DocumentLine, PartyBlock, TaxLine, render_quote_pdf
from client.pdf.formats import Formats
from client.pdf.labels import labels_for
from tests.client.pdf.factories import make_company, make_document, make_lines
from tests.client.pdf.reading import all_text, flat, page_texts


def test_every_line_prints_its_sku_description_and_net_in_its_own_row():
    doc = make_document()
    text = all_text(render_quote_pdf(doc))
    formats = Formats("en_GB", "EUR")
    for line in doc.lines:
        row = flat(
            " ".join(
                [
                    str(line.line_no),
                    line.sku,
                    line.description,
                    f"{formats.quantity(line.quantity)} {line.unit}",
                    formats.amount(line.unit_price),
                ]
            )
        )
        assert row in text, row
        assert formats.amount(line.net_amount) in text
    # One row spelled out, so the test does not only agree with the code's own formatting.
    assert (
        "3 TAL-18V-BL Cordless drill 18 V brushless, 2 batteries 4 Ah and charger "
        "3 pc 189.00 12% 498.96 21% From 3 Dec 2026"
    ) in text


def test_totals_print_each_tax_rate_with_base_and_tax_then_net_tax_and_gross():
    doc = make_document()
    text = all_text(render_quote_pdf(doc))
    assert [t.rate_percent for t in doc.tax_breakdown] == [Decimal(21), Decimal(10)]
    assert "Tax rate Taxable base Tax 21% €2,958.17 €621.22 10% €256.00 €25.60" in text
    assert "Net total €3,214.17 Total tax €646.82 TOTAL €3,860.99" in text
    assert doc.gross_total == Decimal("3860.99")


def test_accents_of_european_names_survive_in_the_text():
    customer = PartyBlock(
        code="C-9",
        legal_name="Kővári Ørsted Peñalara Garçon Müller Kft.",
        tax_id="HU12345678",
        address_lines=("Váci út 1", "1062 Budapest"),
        contact_name="Zoë Ñúñez",
    )
    lines = make_lines(3)
    description = 'Llave dinamométrica Søren Gőz Français ñandú 1/2" 40–200 N·m'
    lines[1] = dataclasses.replace(lines[1], description=description)
    text = all_text(render_quote_pdf(make_document(customer=customer, lines=lines)))
    assert "Kővári Ørsted Peñalara Garçon Müller Kft." in text
    assert description in text
    assert "Zoë Ñúñez" in text
    assert "€" in text


def test_spanish_document_uses_spanish_labels_and_spanish_number_formats():
    line = DocumentLine(
        line_no=1,
        sku="ESC-ALU-7P",
        description="Escalera de aluminio de 7 peldaños",
        quantity=Decimal("10.5"),
        unit="ud",
        unit_price=Decimal("97.1714"),
        discount_percent=Decimal("0"),
        net_amount=Decimal("1020.30"),
        tax_rate_percent=Decimal("21"),
        availability="Desde el 3 dic 2026",
    )
    doc = make_document(
        language="es",
        lines=[line],
        net_total=Decimal("1020.30"),
        tax_total=Decimal("214.26"),
        gross_total=Decimal("1234.56"),
        tax_breakdown=[TaxLine(rate_percent=Decimal(21), base=Decimal("1020.30"), tax=Decimal("214.26"))],
    )
    text = all_text(render_quote_pdf(doc))
    for label in (
        "PRESUPUESTO",
        "versión 2",
        "CLIENTE",
        "TU COMERCIAL",
        "Válido hasta",
        "Forma de pago",
        "Descripción",
        "Precio ud.",
        "Importe",
        "Disponibilidad",
        "Base imponible",
        "Cuota",
        "Total neto",
        "Total IVA",
        "Condiciones",
        "Observaciones",
        "Página 1 de 1",
    ):
        assert label in text, label
    assert "1 ESC-ALU-7P Escalera de aluminio de 7 peldaños 10,5 ud 97,1714 1.020,30 21 %" in text
    assert "TOTAL 1.234,56 €" in text
    assert "Fecha 24 nov 2026 Válido hasta 24 dic 2026 Moneda EUR" in text
    assert "Quote" not in text and "Page 1" not in text


def test_header_discount_is_shown_only_when_there_is_one():
    with_discount = all_text(render_quote_pdf(make_document(header_discount_percent=Decimal("2.5"))))
    without = all_text(render_quote_pdf(make_document()))
    assert "General discount 2.5%" in with_discount
    assert "General discount" not in without


def test_status_label_and_parties_are_printed():
    text = all_text(render_quote_pdf(make_document(status_label="DRAFT – pending approval")))
    assert "DRAFT – pending approval" in text
    assert "QUOTE Q-2026-MAD7-000123 · version 2" in text
    assert "Ana García Ordóñez" in text and "Customer no. C-10427 · Tax ID B28123456" in text
    assert "Valid until 24 Dec 2026" in text


def test_text_that_looks_like_markup_prints_as_written():
    company = make_company(name="Smith & Sons <Tools>")
    lines = [dataclasses.replace(make_lines(1)[0], description="Drill bits <HSS> & holder, 5 < 6 mm")]
    text = all_text(render_quote_pdf(make_document(company=company, lines=lines, notes="Gate <B> & dock 2")))
    assert "Smith & Sons <Tools>" in text
    assert "Drill bits <HSS> & holder, 5 < 6 mm" in text
    assert "Gate <B> & dock 2" in text


def test_quote_without_terms_notes_or_lines_still_renders():
    doc = make_document(
        lines=[],
        terms=[],
        notes="",
        tax_breakdown=[],
        net_total=Decimal("0.00"),
        tax_total=Decimal("0.00"),
        gross_total=Decimal("0.00"),
    )
    pages = page_texts(render_quote_pdf(doc))
    assert len(pages) == 1
    assert "TOTAL €0.00" in pages[0] and "Terms and conditions" not in pages[0]


def test_every_label_exists_in_both_languages():
    english, spanish = labels_for("en"), labels_for("es")
    assert len(english) > 30 and set(english) == set(spanish)
    assert (english["title"], spanish["title"]) == ("Quote", "Presupuesto")


def test_company_without_optional_details_renders():
    company = CompanyInfo(name="Tornillería Ñ", legal_name="", tax_id="", logo_path=None)
    text = all_text(render_quote_pdf(make_document(company=company)))
    assert "Tornillería Ñ" in text
