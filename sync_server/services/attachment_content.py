"""An attachment is what its content type says: checked on its last byte, before it is kept.

An HTML page uploaded as `application/pdf` would go out attached to a quote e-mail in the
company's name: a PDF must start with `%PDF-` and open as one (pypdf, with at least a page).
Photos are not checked (they are never e-mailed, and are served with their declared type and
`nosniff`, so a browser never runs one as a page).
"""

from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError


def content_problem(path: Path, content_type: str) -> str | None:
    """Why the file is not of `content_type` (None: it is, or the type has no check)."""
    if content_type != "application/pdf":
        return None
    with open(path, "rb") as handle:
        head = handle.read(16)
    if not head.startswith(b"%PDF-"):
        return "it does not start as a PDF does (%PDF-)"
    try:
        pages = len(PdfReader(path).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        return f"it does not open as a PDF ({type(exc).__name__})"
    return None if pages else "the PDF has no page"


def pdf_text_has(data: bytes, needle: str) -> bool:
    """Whether the PDF's first page's text contains `needle` (the quote number, say)."""
    from io import BytesIO

    try:
        text = PdfReader(BytesIO(data)).pages[0].extract_text() or ""
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, RecursionError):
        return False
    return needle in text


__all__ = ["content_problem", "pdf_text_has"]
