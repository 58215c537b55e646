"""generate_demo_export: the whole demo export, file by file, in the spec's dependency order."""

from datetime import date
from pathlib import Path
from random import Random

from sync_server.importer.demo.catalog import (
    write_categories,
    write_incoming,
    write_products,
    write_stock,
    write_substitutes,
    write_tax_classes,
    write_warehouses,
)
from sync_server.importer.demo.company import write_company_files
from sync_server.importer.demo.credit import write_credit
from sync_server.importer.demo.customers import build_customers, write_contacts, write_customers, write_portfolio
from sync_server.importer.demo.fx_rates import write_fx_rates
from sync_server.importer.demo.history import write_history
from sync_server.importer.demo.price_lists import write_price_floors, write_price_lists
from sync_server.importer.demo.staff import demo_users, write_teams, write_users
from sync_server.importer.demo.writer import ExportWriter, Progress
from sync_server.importer.spec import FILES

REFERENCE_DATE = date(2026, 10, 31)
"""The export's "today" unless told otherwise: history ends here, lots arrive after it. Fixed
so the library's output never drifts; `terreno-server demo-data` passes the real today, so a
demo shows invoices, dormant customers and incoming lots as of the day it runs."""


def _rng(seed: int, part: str) -> Random:
    # One generator per part: changing how customers are drawn leaves the catalogue as it was.
    return Random(f"terreno-demo/{seed}/{part}")


def generate_demo_export(
    out_dir: Path,
    scale: int = 1,
    seed: int = 7,
    progress: Progress | None = None,
    reference_date: date = REFERENCE_DATE,
) -> dict[str, int]:
    """Write a realistic ERP export (every required file of spec.FILES, and the demo company's
    `company.csv` with its logo) into `out_dir`; return rows per file of spec.FILES.

    Optional files are left out: `order_status.csv` answers orders a Terreno server exported,
    and a demo export knows none (leaving it out keeps any the server already has).

    `scale` multiplies sellers, managers, products, customers and their history; the same
    seed, scale and reference date always give byte-identical files. `progress(file_name,
    rows)` is called once as each file is completed. `reference_date` is the export's today.
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be an integer ≥ 1, not {scale!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    users = demo_users(scale)
    sellers = [u.login for u in users if u.role == "seller"]
    write_company_files(out_dir)
    with ExportWriter(out_dir, progress) as writer:
        write_warehouses(writer)
        write_teams(writer, scale)
        write_users(writer, users)
        write_tax_classes(writer)
        write_categories(writer)
        catalog = write_products(writer, _rng(seed, "products"), scale)
        write_substitutes(writer, _rng(seed, "substitutes"), catalog)
        write_stock(writer, _rng(seed, "stock"), catalog)
        write_incoming(writer, _rng(seed, "incoming"), catalog, reference_date)
        customers = build_customers(_rng(seed, "customers"), scale, catalog, sellers, reference_date)
        write_customers(writer, _rng(seed, "customer-rows"), customers)
        write_portfolio(writer, customers)
        write_contacts(writer, _rng(seed, "contacts"), customers)
        ledgers = write_history(writer, _rng(seed, "history"), catalog, customers, reference_date)
        write_credit(writer, _rng(seed, "credit"), customers, ledgers, reference_date)
        write_price_lists(writer, _rng(seed, "price-lists"), catalog, customers)
        write_price_floors(writer, _rng(seed, "price-floors"), catalog)
        write_fx_rates(writer, _rng(seed, "fx"), reference_date)
        counts = writer.counts()
    return {f.filename: counts[f.filename] for f in FILES if not f.is_optional}


__all__ = ["REFERENCE_DATE", "generate_demo_export"]
