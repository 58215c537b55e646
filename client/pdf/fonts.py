"""The embedded Unicode font (DejaVu Sans) and where the PDF's assets live.

The PDF standard fonts only cover Latin-1, so a customer called Kővári or Ørsted would print
as black boxes; DejaVu Sans covers every European name and the € sign, and is embedded
(subset) so the document reads the same on any machine. See assets/fonts/LICENSE-DejaVu.txt.
"""

from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Located from this file, never from the working directory or a machine path:
# client/pdf/fonts.py -> parents[2] is the project root that holds assets/.
ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"
FONTS_DIR = ASSETS_DIR / "fonts"
DEFAULT_LOGO = ASSETS_DIR / "logo.png"

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) with reportlab once per process."""
    # reportlab's font registry is process-wide; registering again would re-read the files.
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, FONTS_DIR / filename))
    # <b> in a Paragraph picks the bold face; there is no oblique file, so <i> stays upright
    # rather than falling back to a Latin-1 Helvetica that would lose accents.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)


__all__ = ["ASSETS_DIR", "BOLD", "DEFAULT_LOGO", "FONTS_DIR", "REGULAR", "register_fonts"]
