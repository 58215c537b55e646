"""Server databases the sync benchmarks pull from, built once and kept under bench/data/.

    scale-10 demo export  imported with `import_export` (what a demo seller really syncs)
    reference sets        N synthetic records a user may read: a quarter products in the
                          catalog, the rest stock in a few warehouses, written with
                          `sync_entity` in one transaction like an import

A database is reused when its sidecar `<file>.json` says it was completed with the same
layout; `LAYOUT` changes whenever what is built here changes.
"""

import json
import math
import shutil
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from shared.models import Product, Role, Stock, Team, User, Warehouse
from shared.protocol import CATALOG_BUCKET, DIRECTORY_BUCKET, stock_bucket
from sync_server.importer.demo import generate_demo_export
from sync_server.importer.demo.staff import DEMO_PASSWORD, demo_password_hash
from sync_server.importer.run import import_export
from sync_server.importer.spec import FILES
from sync_server.repository.credentials import store_password_hashes
from sync_server.repository.database import make_engine, migrate, write_transaction
from sync_server.repository.records import Desired, put_record, sync_entity

DATA = Path(__file__).parent / "data"
WORK = DATA / "sync-work"
"""Scratch folders of the sync runs (server data, device folders)."""
LAYOUT = 1
REFERENCE_LOGIN = "bench.seller"
PASSWORD = DEMO_PASSWORD

_WORDS = (
    "Tornillo",
    "Tuerca",
    "Arandela",
    "Brida",
    "Racor",
    "Válvula",
    "Junta",
    "Rodamiento",
    "Casquillo",
    "Abrazadera",
    "Manguito",
    "Codo",
    "Taco",
    "Remache",
    "Pasador",
    "Muelle",
)
_FINISH = ("acero inoxidable A2", "acero cincado", "latón", "nylon", "acero galvanizado", "aluminio", "bronce")


def _sqlite_files(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]


def remove_database(path: Path) -> None:
    """Delete an SQLite file with its WAL and shared-memory files."""
    for file in _sqlite_files(path):
        file.unlink(missing_ok=True)


def drop_run_database(admin: Any, schema: str | None, db: Path | None) -> None:
    """After a run: drop its PostgreSQL schema (through `admin`, an engine) or its SQLite file."""
    if admin is not None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
    if db is not None:
        remove_database(db)


def copy_database(source: Path, target: Path) -> Path:
    """Copy a checkpointed SQLite database (a working copy a benchmark may write to)."""
    remove_database(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _is_built(path: Path, **expected) -> bool:
    sidecar = Path(f"{path}.json")
    if not path.exists() or not sidecar.exists():
        return False
    meta = json.loads(sidecar.read_text())
    return meta.get("layout") == LAYOUT and all(meta.get(k) == v for k, v in expected.items())


def _mark_built(path: Path, **meta) -> None:
    Path(f"{path}.json").write_text(json.dumps({"layout": LAYOUT, **meta}))


def _checkpoint(engine) -> None:
    # Fold the WAL into the main file, so a plain file copy is the whole database.
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def demo_export(scale: int) -> Path:
    """The demo ERP export of `scale` (shared with the import benchmark), generated once."""
    out = DATA / f"scale{scale}"
    if not (out / FILES[-1].filename).exists():
        print(f"generating the scale-{scale} demo export in {out} ...", flush=True)
        generate_demo_export(out, scale=scale)
    return out


def demo_server_db(scale: int) -> Path:
    """An SQLite server database holding the imported scale-`scale` demo export."""
    path = DATA / f"sync-scale{scale}.db"
    if _is_built(path, scale=scale):
        return path
    export = demo_export(scale)
    remove_database(path)
    print(f"importing the scale-{scale} demo export into {path} (once) ...", flush=True)
    started = time.perf_counter()
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    import_export(engine, export)
    _checkpoint(engine)
    _mark_built(path, scale=scale, seconds=round(time.perf_counter() - started, 1))
    return path


def reference_server_db(rows: int) -> Path:
    """An SQLite server database with `rows` records readable by REFERENCE_LOGIN."""
    path = DATA / f"sync-reference-{rows}.db"
    if _is_built(path, rows=rows):
        return path
    remove_database(path)
    print(f"building a {rows:,}-record reference set in {path} (once) ...", flush=True)
    started = time.perf_counter()
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with write_transaction(engine) as conn:
        seed_reference_set(conn, rows)
    _checkpoint(engine)
    _mark_built(path, rows=rows, seconds=round(time.perf_counter() - started, 1))
    return path


def reference_layout(rows: int) -> tuple[int, int]:
    """(products, warehouses) of a reference set of `rows` records."""
    products = max(1, rows // 4)
    return products, max(1, math.ceil((rows - products) / products))


def seed_reference_set(conn, rows: int) -> None:
    """The user, warehouses and `rows` products and stock rows, as one import would write them."""
    products, warehouses = reference_layout(rows)
    put_record(conn, Team(code="BENCH", name="Equipo banco de pruebas"), DIRECTORY_BUCKET)
    put_record(
        conn,
        User(
            login=REFERENCE_LOGIN,
            name="Vendedora de pruebas",
            role=Role.SELLER,
            team_code="BENCH",
            home_warehouse="W01",
        ),
        DIRECTORY_BUCKET,
    )
    store_password_hashes(conn, {REFERENCE_LOGIN: demo_password_hash()})
    sync_entity(
        conn,
        "warehouse",
        (Desired(Warehouse(code=f"W{w + 1:02d}", name=f"Almacén {w + 1}"), CATALOG_BUCKET) for w in range(warehouses)),
    )
    sync_entity(conn, "product", (Desired(synthetic_product(i), CATALOG_BUCKET) for i in range(products)))
    sync_entity(conn, "stock", _stock_rows(rows - products, products))


def synthetic_product(i: int, revision: int = 0) -> Product:
    """Product number `i`; a higher `revision` changes its name and cost (an ERP update)."""
    word, finish = _WORDS[i % len(_WORDS)], _FINISH[(i // 16 + revision) % len(_FINISH)]
    return Product(
        sku=sku_of(i),
        name=f"{word} M{4 + i % 20} x {10 + (i * 7) % 90} mm {finish}",
        description=f"Caja de {(i % 5 + 1) * 50} unidades. Ref. fabricante {i * 7919 % 1_000_003:07d}",
        category_code=f"CAT{i % 140:03d}",
        unit="UD",
        tax_class="IVA21",
        currency="EUR",
        replacement_cost=Decimal(f"{(i * 37 + revision) % 20000 / 100:.2f}"),
        active=True,
    )


def sku_of(i: int) -> str:
    """The SKU of synthetic product `i`."""
    return f"SKU{i:08d}"


def synthetic_stock(i: int, products: int, revision: int = 0) -> Stock:
    """Stock row `i`: product i mod `products` in warehouse i div `products`."""
    on_hand = Decimal((i * 13 + revision * 7) % 5000)
    return Stock(
        sku=sku_of(i % products),
        warehouse_code=f"W{i // products + 1:02d}",
        on_hand=on_hand,
        reserved=Decimal(i % 7),
        damaged=Decimal(0),
    )


def _stock_rows(count: int, products: int) -> Iterator[Desired]:
    for i in range(count):
        record = synthetic_stock(i, products)
        yield Desired(record, stock_bucket(record.warehouse_code))


__all__ = [
    "DATA",
    "WORK",
    "PASSWORD",
    "REFERENCE_LOGIN",
    "copy_database",
    "demo_export",
    "demo_server_db",
    "reference_layout",
    "reference_server_db",
    "remove_database",
    "seed_reference_set",
    "sku_of",
    "synthetic_product",
    "synthetic_stock",
]
