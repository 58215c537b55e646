"""The end of the quote: notes, terms and conditions, and the customer's acceptance box."""

from collections.abc import Mapping

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from client.pdf.document import QuoteDocument
from client.pdf.styles import CONTENT_WIDTH, RULE, STYLES, para, table_style

_ACCEPTANCE_WIDTH = 68 * mm
_GAP = 8 * mm
# Long terms may continue on the next page; a split leaves at least this much on each side.
_SPLIT_IN_ROW_MIN = 30


def _notes_and_terms(doc: QuoteDocument, labels: Mapping[str, str]) -> list[Flowable]:
    flowables: list[Flowable] = []
    if doc.notes.strip():
        flowables += [para(labels["notes"], STYLES.section), para(doc.notes, STYLES.body), Spacer(1, 3 * mm)]
    terms = [term for term in doc.terms if term.strip()]
    if terms:
        flowables.append(para(labels["terms"], STYLES.section))
        for number, term in enumerate(terms, start=1):
            item = para(term, STYLES.term)
            item.bulletText = f"{number}."
            flowables.append(item)
    return flowables


def _acceptance(labels: Mapping[str, str]) -> Table:
    # An empty box the customer signs and stamps: the paper trail many B2B buyers still want.
    box = Table(
        [[para(labels["acceptance"], STYLES.small)], [""]], colWidths=[_ACCEPTANCE_WIDTH], rowHeights=[None, 16 * mm]
    )
    box.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return box


def build_closing(doc: QuoteDocument, labels: Mapping[str, str]) -> list[Flowable]:
    """Notes and numbered terms, with the acceptance box beside them."""
    # Side by side rather than stacked: a dozen-line quote then fits on one page.
    left_width = CONTENT_WIDTH - _ACCEPTANCE_WIDTH - _GAP
    table = Table(
        [[_notes_and_terms(doc, labels) or "", "", _acceptance(labels)]],
        colWidths=[left_width, _GAP, _ACCEPTANCE_WIDTH],
        splitInRow=_SPLIT_IN_ROW_MIN,
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
    return [Spacer(1, 6 * mm), table]


__all__ = ["build_closing"]
