"""How a quote spreads over pages: repeated table header, page x of y, long descriptions."""

import dataclasses
import re
import time

import pytest

from client.pdf import render_quote_pdf
from tests.client.pdf.factories import make_document, make_lines
from tests.client.pdf.reading import all_text, page_texts

_EN_HEADER = "# SKU Description Qty Unit price Disc. Net Tax Availability"
_ES_HEADER = "# Referencia Descripción Cant. Precio ud. Dto. Importe IVA Disponibilidad"


@pytest.mark.parametrize(
    ("language", "header", "page_label"),
    [
        ("en", _EN_HEADER, "Page {page} of {pages}"),
        ("es", _ES_HEADER, "Página {page} de {pages}"),
    ],
)
def test_150_lines_span_pages_each_with_the_table_header_and_its_page_number(language, header, page_label):
    doc = make_document(language=language, lines=make_lines(150, language=language))
    pages = page_texts(render_quote_pdf(doc))
    pages_with_lines = [
        n for n, text in enumerate(pages, start=1) if any(f" {line.line_no} {line.sku} " in text for line in doc.lines)
    ]
    assert len(pages_with_lines) >= 4
    assert pages_with_lines == list(range(1, len(pages_with_lines) + 1))
    for number, text in enumerate(pages, start=1):
        if number in pages_with_lines:
            assert header in text, f"table header missing on page {number}"
        assert page_label.format(page=number, pages=len(pages)) in text
        assert "Q-2026-MAD7-000123" in text
    # N is the real page count: no page claims another total.
    claimed = re.compile(page_label.format(page=r"\d+", pages=r"(\d+)"))
    totals = {int(n) for text in pages for n in claimed.findall(text)}
    assert totals == {len(pages)}


def test_150_lines_all_print_once_in_order():
    doc = make_document(lines=make_lines(150))
    text = all_text(render_quote_pdf(doc))
    positions = [text.index(f" {line.line_no} {line.sku} ") for line in doc.lines]
    assert positions == sorted(positions)
    assert text.count("TOTAL ") == 1


def test_a_very_long_description_wraps_onto_more_pages_and_loses_no_word():
    words = [f"segment{i:04d}" for i in range(1200)]
    lines = make_lines(6)
    lines[3] = dataclasses.replace(lines[3], description="Custom assembly: " + " ".join(words))
    short = render_quote_pdf(make_document(lines=make_lines(6)))
    long = render_quote_pdf(make_document(lines=lines))
    pages = page_texts(long)
    assert len(pages) > len(page_texts(short)) + 1
    text = " ".join(pages)
    missing = [word for word in words if word not in text]
    assert missing == []
    # The numbers of the line still print once, beside the start of the description.
    assert "4 DIS-125-INOX Custom assembly: segment0000" in text
    for number, page in enumerate(pages, start=1):
        assert _EN_HEADER in page and f"Page {number} of {len(pages)}" in page


def test_a_long_product_name_wraps_inside_its_cell():
    name = (
        "Stainless steel hexagon socket head cap screw ISO 4762 A4-80 M12×160 fully threaded, "
        "box of 25, with inspection certificate EN 10204 3.1"
    )
    lines = [dataclasses.replace(make_lines(1)[0], description=name)]
    text = all_text(render_quote_pdf(make_document(lines=lines)))
    assert f"1 TOR-M8-050-ZN {name} 24 box 14.90 5% 339.72 21%" in text


def test_render_time_of_a_200_line_quote_is_reported(capsys):
    doc = make_document(lines=make_lines(200))
    render_quote_pdf(doc)  # warm-up: font files are parsed once per process
    started = time.perf_counter()
    pdf = render_quote_pdf(doc)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(
            f"\nquote PDF, 200 lines: {elapsed * 1000:.0f} ms, {len(pdf) // 1024} KiB, "
            f"{len(page_texts(pdf))} pages (target < 1 s; measured, not asserted)"
        )
    assert pdf.startswith(b"%PDF-")
