"""A bad export is refused whole: every problem reported as `file:line: reason`, nothing written."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared.errors import ImportFailed
from sync_server.importer import run
from sync_server.importer.run import import_export
from sync_server.importer.spec import FILES_BY_NAME
from tests.importer.conftest import (
    ARGON2_HASH,
    Rows,
    count_rows,
    edit_lines,
    make_rows,
    snapshot,
    write_csv,
    write_export,
)


@dataclass(frozen=True)
class Case:
    """A change that breaks the export (`rows` before writing, `files` after) and its one message."""

    id: str
    expected: str
    rows: Callable[[Rows], None] = lambda rows: None
    files: Callable[[Path, Rows], None] = lambda directory, rows: None


def _set(filename: str, index: int, **cells: str) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        rows[filename][index].update(cells)

    return change


def _append(filename: str, **cells: str) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        rows[filename].append(cells)

    return change


def _columns(filename: str, drop: str = "", add: str = "") -> Callable[[Path, Rows], None]:
    def change(directory: Path, rows: Rows) -> None:
        columns = [c for c in FILES_BY_NAME[filename].columns() if c != drop] + ([add] if add else [])
        write_csv(directory / filename, columns, rows[filename])

    return change


def _latin1(directory: Path, rows: Rows) -> None:
    path = directory / "customers.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))


def _extra_field(directory: Path, rows: Rows) -> None:
    edit_lines(directory / "contacts.csv", lambda lines: [*lines[:2], lines[2] + ",sobra", *lines[3:]])


def _unclosed_quote(directory: Path, rows: Rows) -> None:
    with open(directory / "contacts.csv", "a", encoding="utf-8") as handle:
        handle.write('CT-9,C-001,"Sin cerrar,Compras,,\n')


CASES = [
    Case("missing column", "stock.csv:1: missing column(s): damaged", files=_columns("stock.csv", drop="damaged")),
    Case("unknown column", "products.csv:1: unknown column(s): 'color'", files=_columns("products.csv", add="color")),
    Case(
        "column named twice",
        "teams.csv:1: column(s) named more than once: 'code'",
        files=lambda directory, rows: (directory / "teams.csv").write_text(
            "code,name,code\nCENTRO,Equipo Centro,CENTRO\n", encoding="utf-8"
        ),
    ),
    Case(
        "unknown reference",
        "products.csv:4: category_code: no category 'JARD' in categories.csv",
        rows=_set("products.csv", 2, category_code="JARD"),
    ),
    Case(
        "unknown reference in the same file",
        "categories.csv:3: parent_code: no category 'HERRAJES' in categories.csv",
        rows=_set("categories.csv", 1, parent_code="HERRAJES"),
    ),
    Case(
        "duplicate code",
        "products.csv:7: sku: duplicate 'P-001' (first on line 2)",
        rows=lambda rows: rows["products.csv"].append(dict(rows["products.csv"][0], name="Otro tornillo")),
    ),
    Case(
        "duplicate composite key",
        "stock.csv:8: sku, warehouse_code: duplicate 'P-002|MAD' (first on line 3)",
        rows=_append("stock.csv", sku="P-002", warehouse_code="MAD", on_hand="1", reserved="0", damaged="0"),
    ),
    Case(
        "equal decimals are the same key",
        "price_list_items.csv:7: price_list_code, sku, min_quantity: duplicate 'BASE|P-001|100.000' (first on line 3)",
        rows=_append(
            "price_list_items.csv", price_list_code="BASE", sku="P-001", min_quantity="100.000", unit_price="0.39"
        ),
    ),
    Case(
        "negative stock",
        "stock.csv:3: on_hand: must not be negative (got '-3')",
        rows=_set("stock.csv", 1, on_hand="-3"),
    ),
    Case(
        "decimal comma",
        "products.csv:2: replacement_cost: must be a plain decimal number such as 1234.50 (got '12,50')",
        rows=_set("products.csv", 0, replacement_cost="12,50"),
    ),
    Case(
        "exponent in a decimal",
        "stock.csv:2: reserved: must be a plain decimal number such as 1234.50 (got '1e3')",
        rows=_set("stock.csv", 0, reserved="1e3"),
    ),
    Case(
        "exponent in a whole number",
        "credit.csv:2: overdue_invoices: must be a whole number (got '1e3')",
        rows=_set("credit.csv", 0, overdue_invoices="1e3"),
    ),
    Case(
        "too many decimals",
        "price_list_items.csv:2: unit_price: has more than 4 decimals (got '0.45001')",
        rows=_set("price_list_items.csv", 0, unit_price="0.45001"),
    ),
    Case(
        "date not ISO",
        "invoices.csv:3: issue_date: must be a date written YYYY-MM-DD (got '30/04/2025')",
        rows=_set("invoices.csv", 1, issue_date="30/04/2025"),
    ),
    Case(
        "date that does not exist",
        "incoming.csv:2: expected_date: is not a calendar date (got '2025-02-30')",
        rows=_set("incoming.csv", 0, expected_date="2025-02-30"),
    ),
    Case(
        "bad boolean",
        "credit.csv:2: prepayment_required: must be true or false (got 'sí')",
        rows=_set("credit.csv", 0, prepayment_required="sí"),
    ),
    Case(
        "not UTF-8",
        "customers.csv:2: not valid UTF-8 (byte 0xed at column 15); this file seems to be Windows-1252 / Latin-1, where the cell reads 'Ferretería Núñez S.L.'; export the files as UTF-8",
        files=_latin1,
    ),
    Case("wrong field count", "contacts.csv:3: expected 6 fields, found 7", files=_extra_field),
    Case("unclosed quote", "contacts.csv:6: malformed CSV (unexpected end of data)", files=_unclosed_quote),
    Case(
        "bad currency",
        "customers.csv:3: currency: must be an ISO 4217 currency code such as EUR; did you mean 'EUR'? (got 'EURO')",
        rows=_set("customers.csv", 1, currency="EURO"),
    ),
    Case(
        "unknown enum value",
        "price_lists.csv:2: kind: must be one of 'base', 'segment' or 'customer' (got 'general')",
        rows=_set("price_lists.csv", 0, kind="general"),
    ),
    Case(
        "required cell empty", "customers.csv:2: tax_id: must not be empty", rows=_set("customers.csv", 0, tax_id=" ")
    ),
    Case(
        "rule across fields",
        "users.csv:4: role, team_code, home_warehouse: a seller needs a team_code and a home_warehouse (got role 'seller', team_code 'NORESTE', home_warehouse '')",
        rows=_set("users.csv", 2, home_warehouse=""),
    ),
    Case(
        "code with a space",
        "invoice_lines.csv:4: invoice_number: must be a code without spaces or '|' (got 'F 2025')",
        rows=_set("invoice_lines.csv", 2, invoice_number="F 2025"),
    ),
    Case(
        "seller_login not a seller",
        "portfolio.csv:2: seller_login: 'marta.jefa' is a manager, not a seller",
        rows=_set("portfolio.csv", 0, seller_login="marta.jefa"),
    ),
    Case(
        "seller_login not a user",
        "portfolio.csv:3: seller_login: no user 'pedro.gil' in users.csv",
        rows=_set("portfolio.csv", 1, seller_login="pedro.gil"),
    ),
    Case(
        "customer assigned twice",
        "portfolio.csv:6: customer_code: 'C-001' is assigned twice (first on line 2)",
        rows=_append("portfolio.csv", customer_code="C-001", seller_login="luis.pena"),
    ),
    Case(
        "missing file",
        "fx_rates.csv: missing from the export folder",
        files=lambda directory, rows: (directory / "fx_rates.csv").unlink(),
    ),
    Case(
        "empty file",
        "teams.csv: is empty (no header row)",
        files=lambda directory, rows: (directory / "teams.csv").write_bytes(b"\n\n"),
    ),
    Case(
        "price floor for an unknown product",
        "price_floors.csv:2: code: no product 'P-999' in products.csv",
        rows=_set("price_floors.csv", 0, code="P-999"),
    ),
    Case(
        "price floor for an unknown category",
        "price_floors.csv:3: code: no category 'JARD' in categories.csv",
        rows=_set("price_floors.csv", 1, code="JARD"),
    ),
    Case(
        "category cycle",
        "categories.csv:2: parent_code: categories form a cycle (FERR → FERR-TOR → FERR)",
        rows=_set("categories.csv", 0, parent_code="FERR-TOR"),
    ),
    Case(
        "category that is its own parent",
        "categories.csv:6: parent_code: categories form a cycle (PINT → PINT)",
        rows=_set("categories.csv", 4, parent_code="PINT"),
    ),
    Case(
        "team under an unknown parent",
        "teams.csv:2: parent_code: no team 'NORTE' in teams.csv",
        rows=_set("teams.csv", 0, parent_code="NORTE"),
    ),
    Case(
        "teams that hold each other",
        "teams.csv:2: parent_code: teams form a cycle (CENTRO → NORESTE → CENTRO)",
        rows=lambda rows: (
            _set("teams.csv", 0, parent_code="NORESTE")(rows),
            _set("teams.csv", 1, parent_code="CENTRO")(rows),
        ),
    ),
    Case(
        "team that is its own parent",
        "teams.csv:3: parent_code: teams form a cycle (NORESTE → NORESTE)",
        rows=_set("teams.csv", 1, parent_code="NORESTE"),
    ),
    Case(
        "password hash that is not argon2",
        "users.csv:3: password_hash: must be an argon2id hash such as $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash> (the value is not shown)",  # quoted whole in docs/import-format.md
        rows=_set("users.csv", 1, password_hash="secreto123"),
    ),
    Case(
        "password hash with only the prefix of argon2",
        "users.csv:3: password_hash: must be an argon2id hash such as $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash> "
        "(the value is not shown)",
        rows=_set("users.csv", 1, password_hash="$argon2id$not-really-a-hash"),
    ),
    Case(
        "password hash asking for 4 GiB on every sign-in",
        "users.csv:3: password_hash: asks too much of every sign-in (at most m=1048576, t=20, p=64) "
        "(the value is not shown)",
        rows=_set(
            "users.csv",
            1,
            password_hash="$argon2id$v=19$m=4194304,t=3,p=4$c2FsdHNhbHRzYWx0$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZQ",
        ),
    ),
    Case(
        "password hash with a salt too short",
        "users.csv:3: password_hash: needs a salt of at least 8 bytes and a hash of at least 16 "
        "(the value is not shown)",
        rows=_set(
            "users.csv",
            1,
            password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZQ",
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_bad_export_reports_the_exact_problem_and_writes_nothing(engine, export_dir, case):
    rows = make_rows()
    case.rows(rows)
    write_export(export_dir, rows)
    case.files(export_dir, rows)
    before = snapshot(engine)

    with pytest.raises(ImportFailed) as failed:
        import_export(engine, export_dir)

    assert failed.value.errors == [case.expected]
    assert snapshot(engine) == before
    assert all(n == 0 for n in count_rows(engine).values())


def test_the_problem_list_travels_as_problem_json(export_dir, engine, rows):
    rows["stock.csv"][0]["on_hand"] = "-1"
    write_export(export_dir, rows)
    with pytest.raises(ImportFailed) as failed:
        import_export(engine, export_dir)
    problem = failed.value.to_problem()
    assert problem["code"] == "import_failed"
    assert problem["errors"] == ["stock.csv:2: on_hand: must not be negative (got '-1')"]
    assert problem["detail"] == "1 problem in the export; nothing was imported"
    assert (problem["count"], problem["counts"]) == (1, {"stock.csv": 1})


@pytest.mark.parametrize(
    ("login", "problem"),
    [
        ("Luis.Pena", "users.csv:3: login: must be written as users sign in: lower-case, no spaces ('luis.pena')"),
        (" luis.pena", "users.csv:3: login: must be written as users sign in: lower-case, no spaces ('luis.pena')"),
        ("..", "users.csv:3: login: must be a login of letters a-z and digits, joined by single '.', '_' or '-'"),
        ("luis..pena", "users.csv:3: login: must be a login of letters a-z and digits, joined by single"),
        ("../etc", "users.csv:3: login: must be a login of letters a-z and digits, joined by single"),
        ("luis/pena", "users.csv:3: login: must be a login of letters a-z and digits, joined by single"),
        (".luis", "users.csv:3: login: must be a login of letters a-z and digits, joined by single"),
    ],
)
def test_a_login_that_is_not_written_by_the_rule_is_refused_not_corrected(export_dir, engine, rows, login, problem):
    rows["users.csv"][1]["login"] = login
    write_export(export_dir, rows)
    with pytest.raises(ImportFailed) as failed:
        import_export(engine, export_dir)
    assert any(error.startswith(problem) for error in failed.value.errors), failed.value.errors


def test_a_password_never_shows_in_a_message(export_dir, engine, rows):
    rows["users.csv"][0]["password_hash"] = "MiClaveSecreta"
    write_export(export_dir, rows)
    with pytest.raises(ImportFailed) as failed:
        import_export(engine, export_dir)
    assert "MiClaveSecreta" not in " ".join(failed.value.errors)


def test_every_problem_of_every_file_is_reported_at_once(engine, export_dir, rows):
    rows["warehouses.csv"][1]["name"] = ""
    rows["products.csv"][0]["replacement_cost"] = "12,50"
    rows["products.csv"][3]["active"] = "si"
    rows["products.csv"][3]["tax_class"] = "IVA99"
    rows["stock.csv"][2].update(on_hand="-3", damaged="x")
    rows["invoice_lines.csv"][4]["sku"] = "P-404"
    rows["fx_rates.csv"][2]["rate"] = "0"
    write_export(export_dir, rows)
    (export_dir / "payments.csv").unlink()

    with pytest.raises(ImportFailed) as failed:
        import_export(engine, export_dir)

    assert failed.value.errors == [
        "warehouses.csv:3: name: must not be empty",
        "products.csv:2: replacement_cost: must be a plain decimal number such as 1234.50 (got '12,50')",
        "products.csv:5: active: must be true or false (got 'si')",
        "stock.csv:4: on_hand: must not be negative (got '-3')",
        "stock.csv:4: damaged: must be a plain decimal number such as 1234.50 (got 'x')",
        "invoice_lines.csv:6: sku: no product 'P-404' in products.csv",
        "payments.csv: missing from the export folder",
        "fx_rates.csv:4: rate: must be greater than 0 (got '0')",
    ]
    assert all(n == 0 for n in count_rows(engine).values())


def test_a_refused_row_does_not_also_fail_the_rows_that_refer_to_it(engine, export_dir, rows):
    rows["customers.csv"][0]["currency"] = "PESETA"
    write_export(export_dir, rows)
    with pytest.raises(ImportFailed) as failed:
        import_export(engine, export_dir)
    # C-001 is referred to by portfolio, contacts, credit, invoices, payments and a price list.
    assert failed.value.errors == [
        "customers.csv:2: currency: must be an ISO 4217 currency code such as EUR (got 'PESETA')"
    ]


def test_the_list_is_capped_with_a_count_of_the_rest(engine, export_dir, rows):
    rows["stock.csv"] = [
        {"sku": "P-001", "warehouse_code": "MAD", "on_hand": f"-{n}", "reserved": "0", "damaged": "0"}
        for n in range(1, 251)
    ]
    write_export(export_dir, rows)
    with pytest.raises(ImportFailed) as failed:
        import_export(engine, export_dir)
    errors = failed.value.errors
    assert len(errors) == 201
    assert errors[0] == "stock.csv:2: on_hand: must not be negative (got '-1')"
    assert errors[199] == "stock.csv:201: on_hand: must not be negative (got '-200')"
    # a refused row is not also checked for duplicates
    assert errors[200] == "stock.csv: ... and 50 more problems in this file"
    assert (failed.value.count, failed.value.counts) == (250, {"stock.csv": 250})


def test_line_numbers_are_physical_lines(engine, export_dir, rows):
    rows["products.csv"][0]["description"] = "Cabeza hexagonal.\nRosca métrica.\nAcero cincado."
    rows["products.csv"][1]["unit"] = ""
    write_export(export_dir, rows)
    edit_lines(export_dir / "stock.csv", lambda lines: [lines[0], "", " ", ",,,,", *lines[1:]])
    edit_lines(export_dir / "stock.csv", lambda lines: lines[:5] + [lines[5].replace(",2,", ",-2,")] + lines[6:])

    with pytest.raises(ImportFailed) as failed:
        import_export(engine, export_dir)

    assert failed.value.errors == [
        "products.csv:5: unit: must not be empty",  # the row after a cell of three lines
        "stock.csv:6: reserved: must not be negative (got '-2')",  # after three blank lines
    ]


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.id in {"unknown reference", "not UTF-8", "category cycle"}], ids=lambda c: c.id
)
def test_a_bad_export_on_top_of_an_import_leaves_it_as_it_was(engine, tmp_path, case):
    import_export(engine, write_export(tmp_path / "good"))
    before = snapshot(engine)
    rows = make_rows()
    rows["stock.csv"][0]["on_hand"] = "999"  # a change that would be written if the rest were good
    rows["users.csv"][1]["password_hash"] = ARGON2_HASH
    case.rows(rows)
    bad = write_export(tmp_path / "bad", rows)
    case.files(bad, rows)

    with pytest.raises(ImportFailed) as failed:
        import_export(engine, bad)

    assert failed.value.errors == [case.expected]
    assert snapshot(engine) == before


def test_a_crash_while_writing_leaves_the_database_as_it_was(engine, tmp_path, monkeypatch):
    import_export(engine, write_export(tmp_path / "good"))
    before = snapshot(engine)
    rows = make_rows()
    rows["contacts.csv"].pop()
    rows["stock.csv"][0]["on_hand"] = "999"
    changed = write_export(tmp_path / "changed", rows)
    real_sync = run.sync_prepared

    def crash_at_contacts(conn, entity, items, **options):
        if entity == "contact":
            raise RuntimeError("disk full")
        return real_sync(conn, entity, items, **options)

    monkeypatch.setattr(run, "sync_prepared", crash_at_contacts)
    with pytest.raises(RuntimeError, match="disk full"):
        import_export(engine, changed)
    assert snapshot(engine) == before


def test_a_file_changed_between_check_and_write_is_refused(engine, export_dir, rows):
    write_export(export_dir, rows)

    def change_stock_after_reading(progress):
        if progress.phase == "read" and progress.file == "fx_rates.csv":
            with open(export_dir / "stock.csv", "a", encoding="utf-8") as handle:
                handle.write("P-003,BCN,-5,0,0\n")

    with pytest.raises(ImportFailed) as failed:
        import_export(engine, export_dir, progress=change_stock_after_reading)

    assert failed.value.errors == ["stock.csv: changed while it was being imported; nothing was imported, run it again"]
    assert all(n == 0 for n in count_rows(engine).values())
