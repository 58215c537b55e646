"""Quote pages rasterized by poppler: every page becomes a real, non-blank image."""

import shutil

from PIL import Image

from client.pdf import render_quote_pdf
from tests.client.pdf.factories import make_company, make_document, make_lines
from tests.client.pdf.reading import page_texts, render_pngs


def _ink_ratio(path) -> float:
    """Share of pixels that are not near-white."""
    image = Image.open(path).convert("L")
    histogram = image.histogram()
    return sum(histogram[:230]) / (image.width * image.height)


def test_pdftoppm_is_installed():
    # The Makefile's system-deps step installs poppler-utils; without it this suite proves nothing.
    assert shutil.which("pdftoppm"), "install poppler-utils (make system-deps)"


def test_every_page_of_a_long_quote_rasterizes_to_a_real_page(tmp_path):
    pdf = render_quote_pdf(
        make_document(
            language="es", lines=make_lines(60, language="es"), status_label="BORRADOR – pendiente de aprobación"
        )
    )
    pngs = render_pngs(pdf, tmp_path, dpi=80)
    assert len(pngs) == len(page_texts(pdf)) >= 2
    for png in pngs:
        assert png.stat().st_size > 10_000
        with Image.open(png) as image:
            # A4 at 80 dpi: 661 × 935 pixels.
            assert abs(image.width - 661) <= 1 and abs(image.height - 935) <= 1
        assert 0.02 < _ink_ratio(png) < 0.6


def _first_page(pdf: bytes, folder):
    folder.mkdir()
    return Image.open(render_pngs(pdf, folder)[0]).convert("L")


def test_the_logo_shows_up_in_the_top_left_corner_and_its_absence_leaves_it_blank(tmp_path):
    with_logo = _first_page(render_quote_pdf(make_document()), tmp_path / "with")
    without = _first_page(render_quote_pdf(make_document(company=make_company(logo_path=None))), tmp_path / "without")
    corner = (30, 30, 230, 110)  # where the letterhead puts the logo, at 80 dpi
    assert sum(with_logo.crop(corner).histogram()[:200]) > 2_000
    assert sum(without.crop(corner).histogram()[:200]) == 0
