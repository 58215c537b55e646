"""Progress: every file is reported while it is read and while it is written, up to its total."""

from sync_server.importer import run, validation
from sync_server.importer.report import ImportProgress
from sync_server.importer.run import SYNCED_FILES, import_export
from sync_server.importer.spec import FILES
from tests.importer.conftest import make_rows, write_export


def test_progress_reaches_every_files_total_in_both_phases(engine, export_dir, monkeypatch):
    monkeypatch.setattr(validation, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(run, "PROGRESS_EVERY", 2)
    rows = make_rows(products=7)
    events: list[ImportProgress] = []

    import_export(engine, write_export(export_dir, rows), progress=events.append)

    phases = [e.phase for e in events]
    assert phases == sorted(phases, key=["read", "write"].index), "every file is read before any is written"
    reads = [e for e in events if e.phase == "read"]
    writes = [e for e in events if e.phase == "write"]
    assert [e.file for e in reads if e.rows_total is not None] == [s.filename for s in FILES]
    assert [e.file for e in writes if e.rows_done == e.rows_total] == [s.filename for s in SYNCED_FILES]
    for spec in FILES:
        total = len(rows[spec.filename])
        assert ImportProgress("read", spec.filename, total, total) in reads
    # Within a file, the counts rise in steps of PROGRESS_EVERY; the total is known once it is read.
    stock_reads = [(e.rows_done, e.rows_total) for e in reads if e.file == "stock.csv"]
    stock_writes = [(e.rows_done, e.rows_total) for e in writes if e.file == "stock.csv"]
    assert stock_reads == [(2, None), (4, None), (6, None), (8, None), (8, 8)]
    assert stock_writes == [(2, 8), (4, 8), (6, 8), (8, 8)]


def test_no_progress_callback_is_fine(engine, export_dir):
    assert import_export(engine, write_export(export_dir)).changes > 0
