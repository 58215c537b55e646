"""What a refused import says: every problem counted, per file; the shown messages shared
out across files; a hint for a wrong separator or encoding; rules across fields name their
columns; one rule for logins, everywhere."""

from pathlib import Path

import pytest

from shared.errors import ImportFailed, error_from_problem
from sync_server.cli import main as server_cli
from sync_server.importer.problems import Problems, share_out
from sync_server.importer.run import import_export
from sync_server.importer.spec import FILES
from tests.importer.conftest import make_rows, write_export


def _refused(engine, directory: Path) -> ImportFailed:
    with pytest.raises(ImportFailed) as failed:
        import_export(engine, directory)
    return failed.value


def _bad_stock(rows, count: int) -> None:
    rows["stock.csv"] = [
        {"sku": "P-001", "warehouse_code": "MAD", "on_hand": f"-{n}", "reserved": "0", "damaged": "0"}
        for n in range(1, count + 1)
    ]


def _bad_invoice_lines(rows, count: int) -> None:
    template = rows["invoice_lines.csv"][0]
    rows["invoice_lines.csv"] = [{**template, "line_no": str(n), "sku": f"P-9{n:03}"} for n in range(1, count + 1)]


def test_every_problem_is_counted_not_only_the_messages_kept(engine, export_dir, rows):
    _bad_stock(rows, 2_100)
    rows["fx_rates.csv"][2]["rate"] = "0"
    write_export(export_dir, rows)
    refused = _refused(engine, export_dir)
    assert refused.count == 2_101
    assert refused.counts == {"stock.csv": 2_100, "fx_rates.csv": 1}
    assert refused.detail == "2,101 problems in the export (stock.csv: 2,100, fx_rates.csv: 1); nothing was imported"
    # 200 messages: the one of fx_rates.csv and 199 of stock.csv, each file's rest counted.
    assert len([e for e in refused.errors if " more problem" not in e]) == 200
    assert refused.errors[199] == "stock.csv: ... and 1,901 more problems in this file"
    assert refused.errors[-1] == "fx_rates.csv:4: rate: must be greater than 0 (got '0')"
    # The whole count travels in problem+json and comes back.
    back = error_from_problem(refused.to_problem())
    assert (back.count, back.counts, back.detail) == (2_101, refused.counts, refused.detail)


def test_the_shown_messages_are_shared_out_across_the_files(engine, export_dir, rows):
    _bad_stock(rows, 150)
    _bad_invoice_lines(rows, 150)
    write_export(export_dir, rows)
    refused = _refused(engine, export_dir)
    assert refused.count == 300 and refused.counts == {"stock.csv": 150, "invoice_lines.csv": 150}
    shown = [e for e in refused.errors if " more problems in this file" not in e]
    stock = [e for e in shown if e.startswith("stock.csv:")]
    lines = [e for e in shown if e.startswith("invoice_lines.csv:")]
    assert (len(stock), len(lines)) == (100, 100)
    assert stock[0] == "stock.csv:2: on_hand: must not be negative (got '-1')"
    assert lines[0] == "invoice_lines.csv:2: sku: no product 'P-9001' in products.csv"
    assert "stock.csv: ... and 50 more problems in this file" in refused.errors
    assert refused.errors[-1] == "invoice_lines.csv: ... and 50 more problems in this file"


@pytest.mark.parametrize(
    ("sizes", "slots", "shown"),
    [
        ([2_100, 1], 200, [199, 1]),
        ([150, 150], 200, [100, 100]),
        ([5, 300, 30], 200, [5, 165, 30]),
        ([3, 4], 200, [3, 4]),
        ([200, 200, 200], 200, [67, 67, 66]),
        ([], 200, []),
        ([10], 0, [0]),
    ],
)
def test_share_out(sizes, slots, shown):
    assert share_out(sizes, slots) == shown


def test_problems_keep_a_bounded_number_of_messages_per_file():
    problems = Problems(limit=3)
    for line in range(10_000, 1, -1):  # added out of order: shown by line
        problems.add("a.csv", line, "bad")
    problems.add("b.csv", None, "missing from the export folder")
    assert problems.count == 10_000 and problems.counts == {"a.csv": 9_999, "b.csv": 1}
    assert problems.messages() == [
        "a.csv:9998: bad",
        "a.csv:9999: bad",
        "a.csv: ... and 9,997 more problems in this file",
        "b.csv: missing from the export folder",
    ]


def test_one_problem_is_one_problem(engine, export_dir, rows):
    rows["stock.csv"][0]["on_hand"] = "-1"
    rows["stock.csv"][1]["on_hand"] = "-1"
    write_export(export_dir, rows)
    refused = _refused(engine, export_dir)
    assert refused.detail == "2 problems in the export; nothing was imported"
    assert "more problem" not in " ".join(refused.errors)


@pytest.mark.parametrize(
    ("separator", "said"), [(";", "';'"), ("\t", "tabs"), ("|", "'|'")], ids=["semicolon", "tab", "bar"]
)
def test_a_file_with_another_separator_says_so(engine, export_dir, rows, separator, said):
    write_export(export_dir, rows)
    path = export_dir / "invoices.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", separator), encoding="utf-8")
    refused = _refused(engine, export_dir)
    assert refused.errors == [f"invoices.csv:1: this file seems to use {said} as separator; Terreno reads ','"]
    if separator == ";":
        assert refused.errors == ["invoices.csv:1: this file seems to use ';' as separator; Terreno reads ','"]


def test_a_utf16_file_says_so(engine, export_dir, rows):
    write_export(export_dir, rows)
    path = export_dir / "teams.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    refused = _refused(engine, export_dir)
    assert refused.errors == [
        "teams.csv:1: not valid UTF-8 (byte 0xff at column 1); this file seems to be UTF-16 (a Unicode text export); export the files as UTF-8"
    ]


@pytest.mark.parametrize(
    ("filename", "index", "cells", "expected"),
    [
        (
            "invoices.csv",
            0,
            {"due_date": "2025-04-01"},
            "invoices.csv:2: issue_date, due_date: due_date is before issue_date (got issue_date '2025-04-30', due_date '2025-04-01')",
        ),
        (
            "invoices.csv",
            0,
            {"gross_amount": "120.00"},
            "invoices.csv:2: net_amount, tax_amount, gross_amount: gross_amount is not net_amount + tax_amount "
            "(got net_amount '100.00', tax_amount '21.00', gross_amount '120.00')",
        ),
        (
            "substitutes.csv",
            0,
            {"substitute_sku": "P-001"},
            "substitutes.csv:2: sku, substitute_sku: a product cannot be its own substitute "
            "(got sku 'P-001', substitute_sku 'P-001')",
        ),
        (
            "price_lists.csv",
            0,
            {"valid_to": "2024-12-31"},
            "price_lists.csv:2: valid_from, valid_to: valid_to is before valid_from "
            "(got valid_from '2025-01-01', valid_to '2024-12-31')",
        ),
        (
            "credit.csv",
            0,
            {"blocked": "true"},
            "credit.csv:2: blocked, block_reason: a blocked customer needs a block_reason "
            "(got blocked 'true', block_reason '')",
        ),
    ],
)
def test_a_rule_across_fields_names_its_columns(engine, export_dir, rows, filename, index, cells, expected):
    rows[filename][index].update(cells)
    write_export(export_dir, rows)
    assert _refused(engine, export_dir).errors == [expected]


def _login_columns() -> list[tuple[str, str]]:
    from sync_server.importer.rows import _is_login

    return [
        (spec.filename, name)
        for spec in FILES
        for name, info in spec.model.model_fields.items()
        if name not in spec.excluded_fields and _is_login(info)
    ]


def test_every_login_column_is_covered():
    assert _login_columns() == [
        ("users.csv", "login"),
        ("portfolio.csv", "seller_login"),
        ("leads.csv", "seller_login"),
    ]


@pytest.mark.parametrize(("filename", "column"), _login_columns())
@pytest.mark.parametrize("written", ["Ana.Garcia", "ana.garcia ", "ANA.GARCIA"])
def test_a_login_not_written_as_users_sign_in_is_refused_in_every_file(engine, tmp_path, filename, column, written):
    rows = make_rows()
    [row] = [r for r in rows[filename] if r[column] == "ana.garcia"][:1]
    row[column] = written
    refused = _refused(engine, write_export(tmp_path / "export", rows))
    line = rows[filename].index(row) + 2
    assert refused.errors == [
        f"{filename}:{line}: {column}: must be written as users sign in: lower-case, no spaces ('ana.garcia') "
        f"(got {written!r})"
    ]


def test_the_command_prints_the_true_count_and_progress_per_file(tmp_path, capsys):
    rows = make_rows()
    _bad_stock(rows, 250)
    export = write_export(tmp_path / "export", rows)
    assert server_cli(["--data-dir", str(tmp_path / "data"), "import", str(export)]) == 1
    err = capsys.readouterr().err.splitlines()
    # Not a terminal: one progress line per file read, then the refusal.
    assert err[0].startswith(f"read   1/{len(FILES)} {FILES[0].filename}")
    assert sum(1 for line in err if line.startswith("read ")) == len(FILES)
    refusal = err.index("Import refused: 250 problems in the export; nothing was imported")
    assert len(err) - refusal - 1 == 201  # 200 messages and the count of the rest
    assert err[-1] == "  stock.csv: ... and 50 more problems in this file"
