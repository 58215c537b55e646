"""The canvas that writes every page's footer once the page count is known."""

import hashlib
import math
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import DummyDoc, PDFText
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from client.pdf.fonts import BOLD, REGULAR
from client.pdf.styles import MARGIN_X, MUTED, RULE, WARNING

_FOOTER_Y = 12 * mm
_FOOTER_SIZE = 7
_COMPANY_LINE_SIZE = 6.5
_STATUS_MAX_SIZE = 54


@dataclass(frozen=True)
class PageMarks:
    """What every page carries: footer texts, the page label, and an optional status mark."""

    quote_label: str
    company_line: str
    page_label: str  # with {page} and {pages} placeholders
    status_label: str | None
    issue_date: date


class QuoteCanvas(Canvas):
    """A two-pass canvas: pages are held until save(), when 'Page x of y' can be written."""

    def __init__(self, *args, marks: PageMarks, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._marks = marks
        self._held_pages: list[dict] = []
        # The PDF creation date is the quote's issue date, not the wall clock, so that two
        # renders of one document are byte-identical (the attachment is addressed by SHA-256).
        day = marks.issue_date
        self.setDateFormatter(lambda *_: f"D:{day:%Y%m%d}000000+00'00'")

    def showPage(self) -> None:
        """Hold the finished page instead of emitting it."""
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Write the footer on every held page, then emit the pages and the file."""
        pages = len(self._held_pages)
        content = hashlib.md5(usedforsecurity=False)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._draw_status_mark()
            self._draw_footer(number, pages)
            content.update("\n".join(self._code).encode())
            super().showPage()
        self._pin_file_id(content.digest())
        super().save()

    def _pin_file_id(self, digest: bytes) -> None:
        # reportlab derives the trailer /ID from a timestamp, which SOURCE_DATE_EPOCH
        # overrides even in invariant mode: a machine that sets it would produce other bytes
        # (another SHA-256) for the same quote. An /ID from the pages' content is stable and
        # differs between documents, as the PDF standard intends. Written the way
        # reportlab's PDFDocument.ID() writes it (reportlab is pinned; a test covers this).
        ids = PDFText(digest, enc="raw").format(DummyDoc())
        self._doc._ID = b"\n[" + ids + ids + b"]\n"

    def _draw_footer(self, page: int, pages: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, _FOOTER_Y + 3.5 * mm, width - MARGIN_X, _FOOTER_Y + 3.5 * mm)
        self.setFillColor(MUTED)
        self.setFont(REGULAR, _FOOTER_SIZE)
        self.drawString(MARGIN_X, _FOOTER_Y, self._marks.quote_label)
        self.setFont(BOLD, _FOOTER_SIZE)
        self.drawRightString(width - MARGIN_X, _FOOTER_Y, self._marks.page_label.format(page=page, pages=pages))
        # The company's registered details in one line, shrunk rather than cut when long.
        room = width - 2 * MARGIN_X
        size = min(_COMPANY_LINE_SIZE, room / max(stringWidth(self._marks.company_line, REGULAR, 1), 1))
        self.setFont(REGULAR, size)
        self.drawString(MARGIN_X, _FOOTER_Y - 3.5 * mm, self._marks.company_line)
        self.restoreState()

    def _draw_status_mark(self) -> None:
        # A draft must never pass for a firm offer: its status is stamped on every page,
        # light enough to read the lines through it.
        if not self._marks.status_label:
            return
        width, height = self._pagesize
        # As large as fits along most of the diagonal, capped so a short label is not shouting.
        diagonal = math.hypot(width, height)
        size = min(_STATUS_MAX_SIZE, 0.75 * diagonal / stringWidth(self._marks.status_label, BOLD, 1))
        self.saveState()
        self.setFillColor(WARNING, alpha=0.08)
        self.setFont(BOLD, size)
        self.translate(width / 2, height / 2)
        self.rotate(math.degrees(math.atan2(height, width)))
        self.drawCentredString(0, 0, self._marks.status_label)
        self.restoreState()


__all__ = ["PageMarks", "QuoteCanvas"]
