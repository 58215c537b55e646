"""Cells of a CSV that people open in a spreadsheet: never read as a formula.

OWASP's CSV-injection rule: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return is a formula to Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)` in a customer
name runs when the file is opened), so it is written with a leading apostrophe, which the
spreadsheet shows as text. A plain number (-12.50) is left alone: it cannot be a formula and
must stay a number. Every CSV the server writes passes its cells through `safe_cell`.
"""

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def safe_cell(value: object) -> str:
    """`value` as a CSV cell that no spreadsheet reads as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(row: dict[str, object]) -> dict[str, str]:
    """Every cell of a row through `safe_cell`."""
    return {name: safe_cell(value) for name, value in row.items()}


__all__ = ["safe_cell", "safe_row"]
