"""What keeps an import's memory small keeps its answers exact: repeated keys found by their
prints (importer/keyset.py) and records an export dropped found by an anti-join."""

import pytest
import sqlalchemy as sa

from shared.errors import ImportFailed
from sync_server.importer import keyset
from sync_server.importer.keyset import KeyPrints
from sync_server.importer.problems import Problems
from sync_server.importer.run import import_export
from sync_server.repository.tables import records
from tests.importer.conftest import write_export


def test_key_prints_tell_every_repeat_as_the_table_grows():
    prints = KeyPrints()
    keys = [f"FV24-{n:06d}|{n % 7}" for n in range(50_000)]
    assert all(prints.add_new(key) for key in keys)
    assert not any(prints.add_new(key) for key in keys[::97])
    assert len(prints) == 50_000


def _stock_row(sku: str, warehouse: str) -> dict[str, str]:
    return {"sku": sku, "warehouse_code": warehouse, "on_hand": "1", "reserved": "0", "damaged": "0"}


def test_keys_that_share_a_print_are_no_duplicates(engine, export_dir, rows, monkeypatch):
    # Every key one print: each row of a file whose keys are only printed looks repeated;
    # the keys themselves, compared at the end of the file, say none is.
    monkeypatch.setattr(keyset, "hash", lambda key: 42, raising=False)
    report = import_export(engine, write_export(export_dir, rows))
    assert report.entities["stock"].inserted == len(rows["stock.csv"])
    assert report.entities["invoice_line"].inserted == len(rows["invoice_lines.csv"])


def test_a_repeated_key_among_shared_prints_is_reported_once_with_its_first_line(engine, export_dir, rows, monkeypatch):
    monkeypatch.setattr(keyset, "hash", lambda key: 42, raising=False)
    rows["stock.csv"].append(_stock_row("P-002", "MAD"))
    with pytest.raises(ImportFailed) as refused:
        import_export(engine, write_export(export_dir, rows))
    assert refused.value.counts == {"stock.csv": 1}
    assert refused.value.errors == ["stock.csv:8: sku, warehouse_code: duplicate 'P-002|MAD' (first on line 3)"]


def test_a_held_problem_keeps_its_place_and_one_taken_back_is_not_counted():
    problems = Problems(limit=3)
    problems.add("a.csv", 5, "bad")
    real = problems.hold("a.csv", 7)
    wrong = problems.hold("a.csv", 8)
    problems.add("a.csv", 9, "bad")  # kept: the slot `wrong` took is given back
    problems.add("a.csv", 10, "bad")  # not kept: three are
    problems.settle(real, "duplicate")
    problems.settle(wrong, None)
    problems.end_file()
    assert (problems.count, problems.counts) == (4, {"a.csv": 4})
    assert problems.messages() == ["a.csv:5: bad", "a.csv:7: duplicate", "a.csv: ... and 2 more problems in this file"]


def test_a_reimport_deletes_exactly_the_rows_the_export_dropped(engine, export_dir, rows):
    import_export(engine, write_export(export_dir, rows))
    dropped_stock = rows["stock.csv"].pop(1)
    dropped_line = rows["invoice_lines.csv"].pop()
    rows["stock.csv"].append(_stock_row("P-003", "BCN"))  # a new row beside them

    report = import_export(engine, write_export(export_dir, rows))

    assert (report.entities["stock"].deleted, report.entities["stock"].inserted) == (1, 1)
    assert report.entities["invoice_line"].deleted == 1
    assert report.deleted == 2
    with engine.connect() as conn:
        ids = {(e, i) for e, i in conn.execute(sa.select(records.c.entity, records.c.entity_id))}
    assert ("stock", f"{dropped_stock['sku']}|{dropped_stock['warehouse_code']}") not in ids
    assert ("invoice_line", f"{dropped_line['invoice_number']}|{dropped_line['line_no']}") not in ids
    assert ("stock", "P-003|BCN") in ids
    assert len([i for e, i in ids if e == "stock"]) == len(rows["stock.csv"])
