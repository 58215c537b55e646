"""The records behind a dashboard number, as the table shows them: amounts in the row's
currency, percentages and days as each language writes them, sellers by name; the CSV keeps
the plain values a spreadsheet reads."""

from datetime import datetime

import pytest

from client.i18n import Translator
from client.ui.dashboard_parts import shown_cells, table_columns

NAMES = {"ana.garcia": "Ana García"}
MOMENT = "2026-12-05T09:30:00+00:00"


@pytest.mark.parametrize(
    ("language", "columns", "raw", "shown"),
    [
        ("en", ("currency", "net"), ("EUR", "1234.5"), ["EUR", "€1,234.50"]),
        ("es", ("currency", "net"), ("EUR", "1234.5"), ["EUR", "1.234,50\xa0€"]),
        ("en", ("currency", "value"), ("USD", "90"), ["USD", "US$90.00"]),
        ("en", ("leak",), ("12.5",), ["12.5%"]),
        ("es", ("probability",), ("40",), ["40 %"]),
        ("en", ("offered_on",), ("2026-12-05",), ["5 Dec 2026"]),
        ("es", ("last_invoice",), ("2026-12-05",), ["5 dic 2026"]),
        ("en", ("seller",), ("ana.garcia",), ["Ana García"]),
        ("en", ("seller",), ("gone.away",), ["gone.away"]),  # not in the snapshot: the login
        ("en", ("currency", "net"), ("EUR", "n/a"), ["EUR", "n/a"]),  # not a number: as it came
        ("en", ("offered_on",), ("soon",), ["soon"]),
        ("en", ("number", "net"), ("Q-1", "10"), ["Q-1", "10"]),  # no currency in the row: as it came
    ],
)
def test_cells_are_shown_in_the_language(language, columns, raw, shown):
    words = [str(value) for value in raw]  # what the CSV export holds
    assert shown_cells(Translator(language), columns, raw, words, NAMES) == shown


def test_a_moment_is_shown_in_the_devices_time_zone():
    t = Translator("en")
    [cell] = shown_cells(t, ("requested",), (MOMENT,), [MOMENT], NAMES)
    assert cell == t.datetime(datetime.fromisoformat(MOMENT)) and "Dec" in cell


def test_a_value_its_column_does_not_hold_is_shown_as_it_came_and_logged(caplog):
    with caplog.at_level("WARNING", logger="client.ui.dashboard_parts"):
        cells = shown_cells(Translator("en"), ("currency", "net"), ("EUR", "n/a"), ["EUR", "n/a"], NAMES)
    assert cells == ["EUR", "n/a"]
    assert "net 'n/a'" in caplog.text


@pytest.mark.parametrize(
    ("columns", "kept"),
    [
        (("number", "customer", "currency", "net", "seller"), [0, 1, 3, 4]),  # "€120.00" says it
        (("number", "currency", "won_price", "lost_price"), [0, 2, 3]),
        (("customer", "currency"), [0, 1]),  # no amount carries it: the currency stays
        (("customer", "seller"), [0, 1]),
    ],
)
def test_the_table_leaves_out_the_currency_its_amounts_carry(columns, kept):
    assert table_columns(columns) == kept
