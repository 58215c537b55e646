"""CSV cells never read as formulas (OWASP CSV injection)."""

import pytest

from shared.spreadsheet import safe_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
        ("+34 600 000 000", "'+34 600 000 000"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-12.50", "-12.50"),
        ("+3", "+3"),
        ("12", "12"),
        ("Suministros = buenos", "Suministros = buenos"),
        ("", ""),
        (None, ""),
        ("Peñalara S.L.", "Peñalara S.L."),
    ],
)
def test_a_formula_start_is_written_as_text(value, written):
    assert safe_cell(value) == written
