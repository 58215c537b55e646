"""The quote's PDF as page images, so the seller sees on the tablet exactly what is sent.

The PDF is rendered by the same function `send_quote` uses (the same quote and language give
the same bytes), then rasterised with PDFium; nothing is shown that the customer won't get.

PDFium comes with the `pypdfium2` wheel, which has none for Android or iOS (docs/mobile.md):
whether it is there is decided once, at import, and without it the preview says so
(`PreviewUnavailable`) while the PDF itself is made and sent as anywhere else.
"""

import io
from types import ModuleType

from client.services.quote_document import render_quote
from client.services.quote_reading import get_quote
from client.services.session import Session
from shared.errors import PreviewUnavailable

try:
    import pypdfium2 as _pdfium
except ImportError:  # Android, iOS: no PDFium in the build
    _pdfium = None
pdfium: ModuleType | None = _pdfium

PREVIEW_AVAILABLE = pdfium is not None
"""Whether this build can show a PDF's pages as images."""


PREVIEW_SCALE = 1.5
"""Pixels per PDF point (A4 → 893 × 1263 px): sharp on a tablet, light enough to send."""


def pdf_pages_as_png(pdf: bytes, scale: float = PREVIEW_SCALE) -> list[bytes]:
    """Every page of a PDF as PNG bytes; PreviewUnavailable where PDFium is not installed."""
    if pdfium is None:
        raise PreviewUnavailable(
            "this build has no PDF renderer (pypdfium2): no page preview", key="quote.preview_unavailable"
        )
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            image = document[index].render(scale=scale).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            pages.append(buffer.getvalue())
        return pages
    finally:
        document.close()


def preview_quote(session: Session, quote_id: str, language: str | None = None) -> list[bytes]:
    """The saved quote's PDF pages as PNG images."""
    return pdf_pages_as_png(render_quote(session, get_quote(session, quote_id), language))


__all__ = ["PREVIEW_AVAILABLE", "PREVIEW_SCALE", "PreviewUnavailable", "pdf_pages_as_png", "preview_quote"]
