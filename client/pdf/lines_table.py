"""The quoted lines as a table whose header repeats on every page."""

from collections.abc import Mapping, Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table

from client.pdf.document import DocumentLine
from client.pdf.fonts import REGULAR
from client.pdf.formats import Formats
from client.pdf.styles import BRAND, CONTENT_WIDTH, INK, RULE, STYLES, ZEBRA, para, table_style

# Fixed widths for the short columns; the description takes what is left so that long
# product names wrap inside it instead of pushing the numbers off the page.
_WIDTHS = {
    "col_no": 7 * mm,
    "col_sku": 25 * mm,
    "col_quantity": 16 * mm,
    "col_unit_price": 17 * mm,
    "col_discount": 11 * mm,
    "col_net": 20 * mm,
    "col_tax": 11 * mm,
    "col_availability": 27 * mm,
}
_COLUMNS = (
    "col_no",
    "col_sku",
    "col_description",
    "col_quantity",
    "col_unit_price",
    "col_discount",
    "col_net",
    "col_tax",
    "col_availability",
)
_NUMERIC = frozenset({"col_no", "col_quantity", "col_unit_price", "col_discount", "col_net", "col_tax"})
_DESCRIPTION_WIDTH = CONTENT_WIDTH - sum(_WIDTHS.values())
_CELL_PADDING_X = 3
_CELL_FONT_SIZE = 7.5
# A table row never splits across pages, so a description taller than this is cut into
# continuation rows that each fit on a page. Only descriptions long enough to possibly
# need it are measured, which keeps a 200-line quote fast.
_MAX_DESCRIPTION_HEIGHT = 120
_MEASURE_FROM_CHARS = 400
_MEASURE_FROM_LINES = 8


def _padding_left(column: str) -> float:
    # The line number sits against the page margin: a narrow column that still fits "999".
    return 1 if column == "col_no" else _CELL_PADDING_X


def _header_row(labels: Mapping[str, str]) -> list[Paragraph]:
    return [para(labels[c], STYLES.head_right if c in _NUMERIC else STYLES.head) for c in _COLUMNS]


def _description_parts(text: str) -> list[Paragraph]:
    paragraph = para(text, STYLES.cell)
    if len(text) < _MEASURE_FROM_CHARS and text.count("\n") < _MEASURE_FROM_LINES:
        return [paragraph]
    width = _DESCRIPTION_WIDTH - 2 * _CELL_PADDING_X
    parts: list[Paragraph] = []
    while True:
        _, height = paragraph.wrap(width, _MAX_DESCRIPTION_HEIGHT)
        if height <= _MAX_DESCRIPTION_HEIGHT:
            return parts + [paragraph]
        pieces = paragraph.split(width, _MAX_DESCRIPTION_HEIGHT)
        if len(pieces) < 2:  # unsplittable: let the table report it rather than loop
            return parts + [paragraph]
        head, paragraph = pieces
        parts.append(head)


def _fit(text: str, column: str):
    # Numbers are plain strings: they cost far less to lay out than a Paragraph on a
    # 200-line quote. A string cannot wrap, though, so one too wide for its column (a
    # seven-figure amount, a long unit name) becomes a Paragraph rather than overprint
    # its neighbour.
    room = _WIDTHS[column] - _CELL_PADDING_X - _padding_left(column)
    if stringWidth(text, REGULAR, _CELL_FONT_SIZE) <= room:
        return text
    return para(text, STYLES.cell_right)


def _rows(line: DocumentLine, formats: Formats) -> list[list]:
    # Amounts carry no currency sign: the currency is stated once above the table and on
    # every total, and the room goes to the description.
    description, *continued = _description_parts(line.description)
    discount = formats.percent(line.discount_percent) if line.discount_percent else ""
    first = [
        _fit(str(line.line_no), "col_no"),
        para(line.sku, STYLES.cell_code),
        description,
        _fit(f"{formats.quantity(line.quantity)} {line.unit}".strip(), "col_quantity"),
        _fit(formats.amount(line.unit_price), "col_unit_price"),
        _fit(discount, "col_discount"),
        _fit(formats.amount(line.net_amount), "col_net"),
        _fit(formats.percent(line.tax_rate_percent), "col_tax"),
        para("\n".join(x for x in (line.availability, line.delivery) if x), STYLES.cell_muted),
    ]
    return [first] + [["", "", part, "", "", "", "", "", ""] for part in continued]


def build_lines_table(lines: Sequence[DocumentLine], labels: Mapping[str, str], formats: Formats) -> Table:
    """The lines table: # · SKU · description · qty · unit price · disc. · net · tax · availability."""
    data: list[list] = [_header_row(labels)]
    style: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), BRAND),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("FONTNAME", (0, 1), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 1), (-1, -1), _CELL_FONT_SIZE),
        ("LEADING", (0, 1), (-1, -1), 9),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING_X),
        ("LEFTPADDING", (0, 0), (0, -1), _padding_left("col_no")),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING_X),
        ("TOPPADDING", (0, 0), (-1, -1), 2.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.2),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, column in enumerate(_COLUMNS) if column in _NUMERIC]
    for index, line in enumerate(lines):
        first = len(data)
        data += _rows(line, formats)
        last = len(data) - 1
        # Zebra and rules follow quoted lines, not table rows, so that a description's
        # continuation rows read as one line with it.
        if index % 2:
            style.append(("BACKGROUND", (0, first), (-1, last), ZEBRA))
        if last > first:
            style.append(("TOPPADDING", (0, first + 1), (-1, last), 0))
        style.append(("LINEBELOW", (0, last), (-1, last), 0.25, RULE))
    if lines:
        style.append(("LINEBELOW", (0, -1), (-1, -1), 0.8, BRAND))
    widths = [_WIDTHS.get(column, _DESCRIPTION_WIDTH) for column in _COLUMNS]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(table_style(style))
    return table


__all__ = ["build_lines_table"]
