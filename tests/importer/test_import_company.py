"""`company.csv` and its logo: imported with the export, refused with file:line: column messages."""

import json
import shutil
from pathlib import Path

import pytest

from shared.errors import ImportFailed
from sync_server.importer.company import COMPANY_FILE, COMPANY_SPEC
from sync_server.importer.demo.company import DEMO_COMPANY, draw_logo
from sync_server.importer.run import import_export
from sync_server.services.company import company_as_json, company_logo, company_profile
from tests import servers
from tests.importer.conftest import snapshot, write_csv, write_export


def _write_company(directory: Path, *rows: dict[str, str], logo: bool = True) -> None:
    write_csv(directory / COMPANY_FILE, COMPANY_SPEC.columns(), list(rows))
    if logo:
        draw_logo(directory / "logo.png", "Suministros Terreno")


def _refused(directory: Path, engine) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_export(engine, directory)
    return failed.value.errors


def test_the_company_and_its_logo_are_imported_and_read_back(engine, export_dir):
    write_export(export_dir)
    _write_company(export_dir, DEMO_COMPANY)
    import_export(engine, export_dir)
    with engine.connect() as conn:
        profile = company_profile(conn)
        shown = company_as_json(conn)
        logo, kind = company_logo(conn)
    assert profile is not None and profile.name == "Suministros Terreno"
    assert profile.address_lines() == ("Calle de la Industria 14", "28923 Alcorcón (Madrid)")
    assert profile.terms("es")[0] == "Precios en la moneda de la oferta, impuestos detallados por tipo."
    assert profile.delivery_days == 2 and profile.base_currency == "EUR" and profile.country == "ES"
    assert logo == (export_dir / "logo.png").read_bytes() and kind == "image/png"
    assert len(shown["logo_sha256"]) == 64 and shown["profile"]["iban"] == "ES91 2100 0418 4502 0005 1332"


def test_an_export_without_company_csv_keeps_the_stored_profile(engine, export_dir, tmp_path):
    write_export(export_dir)
    _write_company(export_dir, DEMO_COMPANY)
    import_export(engine, export_dir)
    (export_dir / COMPANY_FILE).unlink()
    import_export(engine, export_dir)
    with engine.connect() as conn:
        assert company_profile(conn).legal_name == "Suministros Terreno S.L."  # type: ignore[union-attr]


def test_a_fresh_server_without_company_csv_has_no_profile(engine, export_dir):
    import_export(engine, write_export(export_dir))
    with engine.connect() as conn:
        assert company_as_json(conn)["profile"] is None


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"legal_name": ""}, "company.csv:2: legal_name: must not be empty"),
        (
            {"base_currency": "EURO"},
            "company.csv:2: base_currency: must be an ISO 4217 currency code such as EUR; did you mean 'EUR'? (got 'EURO')",
        ),
        ({"delivery_days": "two"}, "company.csv:2: delivery_days: must be a whole number (got 'two')"),
        ({"delivery_days": "90"}, "company.csv:2: delivery_days: must be at most 60 (got '90')"),
        ({"email": "ventas"}, "company.csv:2: email: must be an e-mail address (got 'ventas')"),
        ({"logo_file": "missing.png"}, "company.csv:2: logo_file: 'missing.png' is not a file in the export folder"),
        ({"logo_file": "../logo.png"}, "company.csv:2: logo_file: '../logo.png' is not a file in the export folder"),
        ({"logo_file": "users.csv"}, "company.csv:2: logo_file: 'users.csv' is not a PNG or JPEG image"),
    ],
    ids=["no-name", "currency", "days-text", "days-range", "email", "no-logo", "logo-outside", "logo-not-image"],
)
def test_a_bad_company_row_is_refused_naming_line_column_and_value(engine, export_dir, cells, expected):
    write_export(export_dir)
    _write_company(export_dir, DEMO_COMPANY | cells)
    before = snapshot(engine)
    assert _refused(export_dir, engine) == [expected]
    assert snapshot(engine) == before


def test_two_companies_or_none_are_refused(engine, export_dir):
    write_export(export_dir)
    _write_company(export_dir, DEMO_COMPANY, DEMO_COMPANY | {"legal_name": "Otra S.A."})
    assert _refused(export_dir, engine) == ["company.csv:8: must hold one company, found 2 rows"]
    _write_company(export_dir)
    assert _refused(export_dir, engine) == ["company.csv: has no company row under its header"]


def test_an_oversized_logo_is_refused(engine, export_dir):
    write_export(export_dir)
    _write_company(export_dir, DEMO_COMPANY)
    with open(export_dir / "logo.png", "ab") as handle:
        handle.write(b"\0" * (512 * 1024))
    size = (export_dir / "logo.png").stat().st_size
    assert _refused(export_dir, engine) == [
        f"company.csv:2: logo_file: 'logo.png' is {size:,} bytes; a logo may have at most 524,288"
    ]


def test_the_demo_export_brings_its_own_company(engine, export_dir, tmp_path):
    """The demo export's own company files, imported with a small export around them (the
    whole demo export, imported on each backend, cost 13-16 s here for the same check)."""
    servers.demo_export(tmp_path / "demo")  # generate_demo_export's defaults, generated once per process
    write_export(export_dir)
    for name in (COMPANY_FILE, "logo.png"):
        shutil.copyfile(tmp_path / "demo" / name, export_dir / name)
    import_export(engine, export_dir)
    with engine.connect() as conn:
        shown = company_as_json(conn)
    assert shown["profile"]["trade_name"] == "Suministros Terreno"
    assert shown["logo_type"] == "image/png"
    assert json.loads(json.dumps(shown))["profile"]["country"] == "ES"


def test_the_demo_logo_is_drawn_the_same_each_time(tmp_path):
    servers.demo_export(tmp_path / "demo")
    draw_logo(tmp_path / "again.png", "Suministros Terreno")
    assert (tmp_path / "again.png").read_bytes() == (tmp_path / "demo" / "logo.png").read_bytes()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_whole_demo_export_imports_on_postgresql(engine, tmp_path):
    """Every row of the demo data fits PostgreSQL's types too. (On SQLite, importing it is
    how every browser test's server starts.)"""
    counts = servers.demo_export(tmp_path / "demo")
    report = import_export(engine, tmp_path / "demo")
    assert report.rows_read == sum(counts.values())
    with engine.connect() as conn:
        assert company_as_json(conn)["profile"]["trade_name"] == "Suministros Terreno"
