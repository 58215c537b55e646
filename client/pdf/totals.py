"""The totals block: tax per rate (base and tax) beside net, tax and gross totals."""

from collections.abc import Mapping

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from client.pdf.document import QuoteDocument
from client.pdf.fonts import BOLD, REGULAR
from client.pdf.formats import Formats
from client.pdf.styles import BRAND, CONTENT_WIDTH, INK, MUTED, PANEL, RULE, STYLES, para, table_style

_TOTALS_WIDTH = 78 * mm
_GAP = 8 * mm


def _tax_breakdown(doc: QuoteDocument, labels: Mapping[str, str], formats: Formats) -> Table:
    rows = [[labels["tax_rate"], labels["tax_base"], labels["tax_amount"]]]
    rows += [
        [formats.percent(line.rate_percent), formats.money(line.base), formats.money(line.tax)]
        for line in doc.tax_breakdown
    ]
    width = CONTENT_WIDTH - _TOTALS_WIDTH - _GAP
    table = Table(rows, colWidths=[width * 0.26, width * 0.40, width * 0.34])
    table.setStyle(
        table_style(
            [
                ("FONTNAME", (0, 0), (-1, 0), BOLD),
                ("FONTNAME", (0, 1), (-1, -1), REGULAR),
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
                ("TEXTCOLOR", (0, 1), (-1, -1), INK),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _totals(doc: QuoteDocument, labels: Mapping[str, str], formats: Formats) -> Table:
    rows = []
    if doc.header_discount_percent:
        rows.append([labels["header_discount"], formats.percent(doc.header_discount_percent)])
    rows += [
        [labels["net_total"], formats.money(doc.net_total)],
        [labels["tax_total"], formats.money(doc.tax_total)],
        [
            para(labels["gross_total"].upper(), STYLES.grand_total),
            para(formats.money(doc.gross_total), STYLES.grand_total),
        ],
    ]
    table = Table(rows, colWidths=[_TOTALS_WIDTH * 0.5, _TOTALS_WIDTH * 0.5])
    table.setStyle(
        table_style(
            [
                ("FONTNAME", (0, 0), (-1, -2), REGULAR),
                ("FONTSIZE", (0, 0), (-1, -2), 8.5),
                ("TEXTCOLOR", (0, 0), (-1, -2), INK),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, -2), PANEL),
                ("LINEBELOW", (0, 0), (-1, -3), 0.5, colors.white),
                ("BACKGROUND", (0, -1), (-1, -1), BRAND),
                ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ("TOPPADDING", (0, -1), (-1, -1), 5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def build_totals(doc: QuoteDocument, labels: Mapping[str, str], formats: Formats) -> list[Flowable]:
    """Tax breakdown and totals side by side, kept together on one page."""
    table = Table(
        [[_tax_breakdown(doc, labels, formats), "", _totals(doc, labels, formats)]],
        colWidths=[CONTENT_WIDTH - _TOTALS_WIDTH - _GAP, _GAP, _TOTALS_WIDTH],
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [Spacer(1, 4 * mm), KeepTogether([table])]


__all__ = ["build_totals"]
