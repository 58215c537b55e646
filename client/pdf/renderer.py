"""Render a QuoteDocument to PDF bytes: deterministic, A4, in the document's language."""

import io
import os
from functools import partial
from pathlib import Path

from reportlab.platypus import SimpleDocTemplate

from client.pdf.closing import build_closing
from client.pdf.document import QuoteDocument
from client.pdf.fonts import REGULAR, register_fonts
from client.pdf.formats import Formats
from client.pdf.header import build_header
from client.pdf.labels import LOCALES, labels_for
from client.pdf.lines_table import build_lines_table
from client.pdf.page_canvas import PageMarks, QuoteCanvas
from client.pdf.styles import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_SIZE
from client.pdf.totals import build_totals


def _page_marks(doc: QuoteDocument) -> PageMarks:
    labels = labels_for(doc.language)
    company = doc.company
    tax_id = f"{labels['tax_id']} {company.tax_id}" if company.tax_id else ""
    registered = [company.legal_name, tax_id, ", ".join(company.address_lines), company.bank]
    return PageMarks(
        quote_label=labels["footer_quote"].format(number=doc.number, version=doc.version),
        company_line=" · ".join(part for part in registered if part),
        page_label=labels["page"],
        status_label=doc.status_label,
        issue_date=doc.issue_date,
    )


def render_quote_pdf(doc: QuoteDocument) -> bytes:
    """The quote as PDF bytes; the same document always gives the same bytes."""
    register_fonts()
    labels = labels_for(doc.language)
    locale = LOCALES[doc.language]
    formats = Formats(locale=locale, currency=doc.currency)
    title = f"{labels['title']} {doc.number} · {labels['version'].format(version=doc.version)}"
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=doc.company.name,
        subject=doc.customer.legal_name,
        creator="Terreno",
        # reportlab starts every page in Helvetica, a font the PDF would reference but not
        # embed; starting in DejaVu keeps the file to the one embedded font.
        initialFontName=REGULAR,
        lang=locale.replace("_", "-"),
        # Invariant mode fixes the timestamp and the file /ID that reportlab would
        # otherwise derive from the clock: same document, same bytes, same SHA-256.
        invariant=1,
    )
    story = [
        *build_header(doc, labels, formats),
        build_lines_table(doc.lines, labels, formats),
        *build_totals(doc, labels, formats),
        *build_closing(doc, labels),
    ]
    template.build(story, canvasmaker=partial(QuoteCanvas, marks=_page_marks(doc)))
    return buffer.getvalue()


def write_quote_pdf(doc: QuoteDocument, path: Path) -> Path:
    """Render the quote and write it to `path` atomically (a reader never sees half a file)."""
    data = render_quote_pdf(doc)
    path = Path(path)
    partial_path = path.with_name(path.name + ".part")
    partial_path.write_bytes(data)
    os.replace(partial_path, path)
    return path


__all__ = ["render_quote_pdf", "write_quote_pdf"]
