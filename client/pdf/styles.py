"""The look of a quote: page geometry, colours and paragraph styles, in one place."""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, TableStyle

from client.pdf.fonts import BOLD, REGULAR

PAGE_SIZE = A4
MARGIN_X = 12 * mm
MARGIN_TOP = 12 * mm
# Room under the frame for the footer drawn on every page.
MARGIN_BOTTOM = 19 * mm
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X

# The brand green and sand of the logo; a grey for secondary text that still prints well.
BRAND = colors.HexColor("#1F6B4A")
ACCENT = colors.HexColor("#E8C88C")
INK = colors.HexColor("#1E2A26")
MUTED = colors.HexColor("#5E6B66")
RULE = colors.HexColor("#C9D3CE")
ZEBRA = colors.HexColor("#F2F6F4")
PANEL = colors.HexColor("#F7F9F8")
WARNING = colors.HexColor("#B3261E")


def _style(
    name: str, size: float, *, bold: bool = False, color=INK, align=TA_LEFT, leading=None, space_after: float = 0
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=BOLD if bold else REGULAR,
        fontSize=size,
        leading=leading or size * 1.25,
        textColor=color,
        alignment=align,
        spaceAfter=space_after,
    )


@dataclass(frozen=True)
class Styles:
    """Paragraph styles shared by the sections of a quote."""

    body: ParagraphStyle = _style("body", 8.5)
    small: ParagraphStyle = _style("small", 7.5, color=MUTED)
    small_right: ParagraphStyle = _style("small_right", 7.5, color=MUTED, align=TA_RIGHT)
    company_name: ParagraphStyle = _style("company_name", 11, bold=True, color=BRAND, align=TA_RIGHT)
    title: ParagraphStyle = _style("title", 20, bold=True, color=BRAND, leading=24)
    subtitle: ParagraphStyle = _style("subtitle", 10, color=MUTED, align=TA_RIGHT, leading=24)
    status: ParagraphStyle = _style("status", 9, bold=True, color=WARNING)
    caption: ParagraphStyle = _style("caption", 7, bold=True, color=BRAND)
    party_name: ParagraphStyle = _style("party_name", 9.5, bold=True)
    cell: ParagraphStyle = _style("cell", 7.5, leading=9)
    cell_code: ParagraphStyle = _style("cell_code", 7, leading=9)
    cell_right: ParagraphStyle = _style("cell_right", 7.5, leading=9, align=TA_RIGHT)
    cell_muted: ParagraphStyle = _style("cell_muted", 7, leading=8.5, color=MUTED)
    head: ParagraphStyle = _style("head", 7, bold=True, color=colors.white, leading=8.5)
    head_right: ParagraphStyle = _style("head_right", 7, bold=True, color=colors.white, leading=8.5, align=TA_RIGHT)
    total: ParagraphStyle = _style("total", 8.5, align=TA_RIGHT)
    grand_total: ParagraphStyle = _style("grand_total", 11, bold=True, color=colors.white, align=TA_RIGHT, leading=14)
    section: ParagraphStyle = _style("section", 8.5, bold=True, color=BRAND, space_after=2)
    term: ParagraphStyle = ParagraphStyle(
        "term",
        parent=_style("term_base", 7.5, leading=9.5),
        leftIndent=11,
        bulletIndent=0,
        bulletFontName=REGULAR,
        bulletFontSize=7.5,
        spaceAfter=1,
    )


STYLES = Styles()


def para(text: str, style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    """A paragraph of plain text: escaped, since names like 'Smith & Sons' are not markup."""
    markup = escape(text).replace("\n", "<br/>")
    return Paragraph(f"<b>{markup}</b>" if bold else markup, style)


def table_style(commands: list[tuple]) -> TableStyle:
    """A TableStyle whose cells start in DejaVu Sans."""
    # A table sets its cells' font even when they hold paragraphs; left to its Helvetica
    # default, the PDF would reference a font it does not embed.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])


__all__ = [
    "ACCENT",
    "BRAND",
    "CONTENT_WIDTH",
    "INK",
    "MARGIN_BOTTOM",
    "MARGIN_TOP",
    "MARGIN_X",
    "MUTED",
    "PAGE_SIZE",
    "PANEL",
    "RULE",
    "WARNING",
    "STYLES",
    "ZEBRA",
    "Styles",
    "para",
    "table_style",
]
