"""Reading rendered quotes back: page texts with pypdf, page images with poppler's pdftoppm."""

import io
import subprocess
from pathlib import Path

from pypdf import PdfReader


def flat(text: str) -> str:
    """Whitespace collapsed to single spaces (wrapped lines and no-break spaces included)."""
    return " ".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, flattened, in content order."""
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def all_text(pdf: bytes) -> str:
    """The text of the whole document, flattened."""
    return " ".join(page_texts(pdf))


def render_pngs(pdf: bytes, folder: Path, dpi: int = 80) -> list[Path]:
    """Rasterize every page with pdftoppm; the PNGs in page order."""
    source = folder / "quote.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(source), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(folder.glob("page-*.png"))
