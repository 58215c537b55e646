"""Importer fixtures: a small valid ERP export to write into tmp_path, and a database snapshot."""

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from sync_server.importer.spec import FILES, FILES_BY_NAME
from sync_server.repository.tables import metadata

Rows = dict[str, list[dict[str, str]]]

ORDER_ID = "0195f3a0-7c1e-7d2a-9b4e-1a2b3c4d5e6f"
"""A Terreno order (as `export-orders` wrote it) that the ERP confirmed and dispatched."""
REJECTED_ORDER_ID = "0195f3a0-7c1e-7d2a-9b4e-000000000002"
ARGON2_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZQ"

_PRODUCT_NAMES = [
    ("Tornillo hexagonal M8 × 40 (caja 100)", "FERR-TOR", "caja", "IVA21", "12.40"),
    ("Taladro percutor 750 W", "HERR-ELE", "ud", "IVA21", "48.90"),
    ("Llave inglesa ajustable 250 mm", "HERR", "ud", "IVA21", "9.75"),
    ("Barniz marino brillante 750 ml", "PINT", "ud", "IVA21", "7.10"),
    ("Broca de widia Ø 8 mm", "FERR", "ud", "IVA10", "1.35"),
]


def sku(number: int) -> str:
    """SKU of the n-th product of the builder (1-based)."""
    return f"P-{number:03d}"


def _step(order_id: str, customer: str, status: str, day: str, **cells: str) -> dict[str, str]:
    """One row of order_status.csv."""
    return {"order_id": order_id, "customer_code": customer, "status": status, "status_date": day, **cells}


def _lead(lead_id: str, seller: str, name: str, channel: str, **cells: str) -> dict[str, str]:
    """One row of leads.csv."""
    return {
        "id": lead_id,
        "seller_login": seller,
        "name": name,
        "channel": channel,
        "created_at": "2025-06-02T09:15:00+02:00",
        **cells,
    }


def make_rows(products: int = 5) -> Rows:
    """A small, valid export as {file name: [row dicts]}; each file's row i is on line i + 2."""
    product_rows = []
    for n in range(1, products + 1):
        name, category, unit, tax, cost = _PRODUCT_NAMES[(n - 1) % len(_PRODUCT_NAMES)]
        if n > len(_PRODUCT_NAMES):
            name = f"{name} — variante nº {n}"
        product_rows.append(
            {
                "sku": sku(n),
                "name": name,
                "description": "Calidad profesional, envío en 24 h",
                "category_code": category,
                "unit": unit,
                "tax_class": tax,
                "currency": "EUR",
                "replacement_cost": cost,
                "active": "true" if n != 4 else "false",
            }
        )
    return {
        "warehouses.csv": [
            {"code": "MAD", "name": "Almacén Central Madrid", "city": "Getafe"},
            {"code": "BCN", "name": "Almacén Barcelona", "city": "L'Hospitalet de Llobregat"},
            {"code": "SEV", "name": "Almacén Sevilla", "city": "Dos Hermanas"},
        ],
        "teams.csv": [
            {"code": "CENTRO", "name": "Equipo Centro"},
            {"code": "NORESTE", "name": "Equipo Noreste · Cataluña y Aragón"},
        ],
        "users.csv": [
            {
                "login": "ana.garcia",
                "name": "Ana García Muñoz",
                "email": "ana.garcia@ferrosur.es",
                "role": "seller",
                "team_code": "CENTRO",
                "home_warehouse": "MAD",
                "password_hash": ARGON2_HASH,
            },
            {
                "login": "luis.pena",
                "name": "Luis Peña Ibáñez",
                "email": "luis.pena@ferrosur.es",
                "role": "seller",
                "team_code": "CENTRO",
                "home_warehouse": "MAD",
                "password_hash": "",
            },
            {
                "login": "jordi.puig",
                "name": "Jordi Puig i Solà",
                "email": "",
                "role": "seller",
                "team_code": "NORESTE",
                "home_warehouse": "BCN",
                "password_hash": "",
            },
            {
                "login": "marta.jefa",
                "name": "Marta Sáez Óvalo",
                "email": "marta@ferrosur.es",
                "role": "manager",
                "team_code": "CENTRO",
                "home_warehouse": "",
                "password_hash": ARGON2_HASH + "m",
            },
            {
                "login": "admin",
                "name": "Administración",
                "email": "",
                "role": "admin",
                "team_code": "",
                "home_warehouse": "",
                "password_hash": "",
            },
        ],
        "tax_classes.csv": [
            {"code": "IVA21", "name": "IVA general", "rate_percent": "21"},
            {"code": "IVA10", "name": "IVA reducido", "rate_percent": "10"},
            {"code": "EXENTO", "name": "Exento de IVA", "rate_percent": "0"},
        ],
        "categories.csv": [
            {"code": "FERR", "name": "Ferretería", "parent_code": ""},
            {"code": "FERR-TOR", "name": "Tornillería y fijación", "parent_code": "FERR"},
            {"code": "HERR", "name": "Herramientas", "parent_code": ""},
            {"code": "HERR-ELE", "name": "Herramienta eléctrica", "parent_code": "HERR"},
            {"code": "PINT", "name": "Pinturas y barnices", "parent_code": ""},
        ],
        "products.csv": product_rows,
        "substitutes.csv": [
            {"sku": sku(1), "substitute_sku": sku(5), "rank": "1"},
            {"sku": sku(2), "substitute_sku": sku(3), "rank": "2"},
        ],
        "stock.csv": [
            *(
                {"sku": sku(n), "warehouse_code": "MAD", "on_hand": f"{10 * n}", "reserved": "2", "damaged": "0.5"}
                for n in range(1, products + 1)
            ),
            {"sku": sku(1), "warehouse_code": "BCN", "on_hand": "40", "reserved": "0", "damaged": "0"},
        ],
        "incoming.csv": [
            {
                "lot": "LOT-2025-001",
                "sku": sku(1),
                "warehouse_code": "MAD",
                "quantity": "500",
                "expected_date": "2025-07-01",
            },
            {
                "lot": "LOT-2025-002",
                "sku": sku(2),
                "warehouse_code": "BCN",
                "quantity": "12",
                "expected_date": "2025-07-15",
            },
        ],
        "customers.csv": [
            {
                "code": "C-001",
                "legal_name": "Ferretería Núñez S.L.",
                "trade_name": "Ferretería Núñez",
                "tax_id": "B12345678",
                "segment": "retail",
                "address": "Calle Mayor 12",
                "city": "Alcalá de Henares",
                "postal_code": "28801",
                "country": "ES",
                "email": "compras@ferreterianunez.es",
                "phone": "+34 918 123 456",
                "payment_terms": "NET30",
                "currency": "EUR",
            },
            {
                "code": "C-002",
                "legal_name": "Construcciones Ibáñez e Hijos S.A.",
                "tax_id": "A87654321",
                "segment": "oem",
                "city": "Móstoles",
                "payment_terms": "NET60",
                "currency": "EUR",
            },
            {
                "code": "C-003",
                "legal_name": "Suministros Peñalara S.L.",
                "tax_id": "B11223344",
                "segment": "oem",
                "city": "Segovia",
                "payment_terms": "NET30",
                "currency": "EUR",
            },
            {
                "code": "C-004",
                "legal_name": "Talleres Güemes S. Coop.",
                "tax_id": "F55667788",
                "segment": "retail",
                "city": "Santander",
                "payment_terms": "PREPAY",
                "currency": "EUR",
            },
            {
                "code": "C-005",
                "legal_name": "Pinturas Alcántara S.L.",
                "tax_id": "B99887766",
                "segment": "retail",
                "city": "Sabadell",
                "payment_terms": "NET30",
                "currency": "EUR",
            },
        ],
        "portfolio.csv": [
            {"customer_code": "C-001", "seller_login": "ana.garcia"},
            {"customer_code": "C-002", "seller_login": "ana.garcia"},
            {"customer_code": "C-003", "seller_login": "luis.pena"},
            {"customer_code": "C-005", "seller_login": "jordi.puig"},
        ],
        "contacts.csv": [
            {
                "id": "CT-1",
                "customer_code": "C-001",
                "name": "María José Núñez",
                "role": "Compras",
                "email": "mj@ferreterianunez.es",
                "phone": "+34 600 111 222",
            },
            {"id": "CT-2", "customer_code": "C-001", "name": "Íñigo Ruiz", "role": "Gerente"},
            {"id": "CT-3", "customer_code": "C-002", "name": "Begoña Ibáñez", "role": "Administración"},
            {"id": "CT-4", "customer_code": "C-004", "name": "Ramón Güemes"},
        ],
        "credit.csv": [
            _credit("C-001", limit="20000", balance="5300.50", overdue="0"),
            _credit(
                "C-002",
                limit="50000",
                balance="48000",
                overdue="3200.10",
                blocked="true",
                reason="Riesgo superado: pendiente de revisión",
            ),
            _credit("C-003", limit="10000", balance="-150.25", overdue="0"),
            _credit("C-004", limit="0", balance="0", overdue="0", prepayment="true"),
            _credit("C-005", limit="15000", balance="900", overdue="0"),
        ],
        "invoices.csv": [
            _invoice("F-2025-0001", "C-001", "100.00", "21.00"),
            _invoice("F-2025-0002", "C-001", "48.90", "10.27"),
            _invoice("F-2025-0003", "C-002", "975.00", "204.75"),
            _invoice("F-2025-0004", "C-003", "-20.00", "-4.20"),
            _invoice("F-2025-0005", "C-004", "7.10", "1.49"),
        ],
        "invoice_lines.csv": [
            _line("F-2025-0001", 1, sku(1), "5", "12.40", "62.00", "50.00"),
            _line("F-2025-0001", 2, sku(5), "28", "1.35", "37.80", "30.00"),
            {**_line("F-2025-0002", 1, sku(2), "1", "48.90", "48.90", "40.00"), "order_id": ORDER_ID},
            _line("F-2025-0003", 1, sku(3), "100", "9.75", "975.00", "800.00"),
            _line("F-2025-0005", 1, sku(4), "1", "7.10", "7.10", "5.00"),
        ],
        "order_status.csv": [
            _step(ORDER_ID, "C-001", "confirmed", "2025-04-22", erp_order="4500123"),
            _step(ORDER_ID, "C-001", "dispatched", "2025-04-24", erp_order="4500123", quantity="1"),
            _step(REJECTED_ORDER_ID, "C-003", "rejected", "2025-04-23", reason="Cliente bloqueado por riesgo"),
        ],
        "payments.csv": [
            {
                "id": "PAY-1",
                "customer_code": "C-001",
                "invoice_number": "F-2025-0001",
                "payment_date": "2025-05-20",
                "currency": "EUR",
                "amount": "121.00",
            },
            {
                "id": "PAY-2",
                "customer_code": "C-001",
                "invoice_number": "",
                "payment_date": "2025-05-28",
                "currency": "EUR",
                "amount": "30.00",
            },
            {
                "id": "PAY-3",
                "customer_code": "C-002",
                "invoice_number": "F-2025-0003",
                "payment_date": "2025-06-01",
                "currency": "EUR",
                "amount": "1179.75",
            },
        ],
        "price_lists.csv": [
            {
                "code": "BASE",
                "name": "Tarifa general 2025",
                "kind": "base",
                "currency": "EUR",
                "valid_from": "2025-01-01",
            },
            {
                "code": "SEG-OEM",
                "name": "Tarifa fabricantes (OEM)",
                "kind": "segment",
                "segment": "oem",
                "currency": "EUR",
                "valid_from": "2025-01-01",
                "valid_to": "2025-12-31",
            },
            {
                "code": "CLI-C-001",
                "name": "Condiciones Ferretería Núñez",
                "kind": "customer",
                "customer_code": "C-001",
                "currency": "EUR",
                "valid_from": "2025-03-01",
            },
            {
                "code": "CLI-C-004",
                "name": "Condiciones Talleres Güemes",
                "kind": "customer",
                "customer_code": "C-004",
                "currency": "EUR",
                "valid_from": "2025-03-01",
            },
        ],
        "price_list_items.csv": [
            {"price_list_code": "BASE", "sku": sku(1), "min_quantity": "1", "unit_price": "0.4500"},
            {"price_list_code": "BASE", "sku": sku(1), "min_quantity": "100", "unit_price": "0.4000"},
            {"price_list_code": "SEG-OEM", "sku": sku(2), "min_quantity": "1", "unit_price": "59.90"},
            {"price_list_code": "CLI-C-001", "sku": sku(1), "min_quantity": "1", "unit_price": "0.3800"},
            {"price_list_code": "CLI-C-004", "sku": sku(4), "min_quantity": "1", "unit_price": "8.25"},
        ],
        "price_floors.csv": [
            {"scope": "product", "code": sku(1), "currency": "EUR", "floor_price": "0.30"},
            {"scope": "category", "code": "HERR", "currency": "EUR", "min_margin_percent": "12.5"},
        ],
        "fx_rates.csv": [
            {"rate_date": "2025-06-02", "base_currency": "EUR", "quote_currency": "USD", "rate": "1.0850"},
            {"rate_date": "2025-06-02", "base_currency": "EUR", "quote_currency": "MXN", "rate": "21.7340"},
            {"rate_date": "2025-06-02", "base_currency": "EUR", "quote_currency": "GBP", "rate": "0.8440"},
        ],
        "leads.csv": [
            _lead("WF-0142", "ana.garcia", "Talleres Ruiz", "web_form", contact="600 123 456", city="Braga"),
            _lead("WF-0143", "ana.garcia", "Ferretería Núñez", "email", customer_code="C-001", source="Newsletter"),
        ],
    }


def _credit(customer, *, limit, balance, overdue, blocked="false", reason="", prepayment="false") -> dict[str, str]:
    return {
        "customer_code": customer,
        "currency": "EUR",
        "credit_limit": limit,
        "open_balance": balance,
        "open_orders": "0",
        "overdue_amount": overdue,
        "overdue_invoices": "1" if overdue != "0" else "0",
        "oldest_overdue_days": "45" if overdue != "0" else "0",
        "open_disputes": "0",
        "disputed_amount": "0",
        "blocked": blocked,
        "block_reason": reason,
        "prepayment_required": prepayment,
    }


def _invoice(number, customer, net, tax) -> dict[str, str]:
    from decimal import Decimal

    return {
        "number": number,
        "customer_code": customer,
        "issue_date": "2025-04-30",
        "due_date": "2025-05-30",
        "currency": "EUR",
        "net_amount": net,
        "tax_amount": tax,
        "gross_amount": str(Decimal(net) + Decimal(tax)),
    }


def _line(invoice, line_no, product, quantity, price, net, cost) -> dict[str, str]:
    return {
        "invoice_number": invoice,
        "line_no": str(line_no),
        "sku": product,
        "quantity": quantity,
        "unit_price": price,
        "net_amount": net,
        "cost_amount": cost,
    }


def write_csv(path: Path, columns: list[str] | tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Write one CSV file: the header, then each row's cells ('' for a missing key)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])


def write_export(directory: Path, rows: Rows | None = None) -> Path:
    """Write every file of the export into `directory` (made if needed); return it."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = make_rows() if rows is None else rows
    for spec in FILES:
        write_csv(directory / spec.filename, spec.columns(), rows[spec.filename])
    return directory


def edit_lines(path: Path, edit: Callable[[list[str]], list[str]]) -> None:
    """Rewrite a UTF-8 text file through `edit(lines)` (lines without their ending)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(edit(lines)), encoding="utf-8", newline="")


# Plain SQL, not sa.select(table): every test has an engine of its own, so SQLAlchemy would
# compile each statement again for each test (a fifth of these tests' time).
def snapshot(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of every server table, sorted: equal snapshots mean nothing was written."""
    with engine.connect() as conn:
        return {
            table.name: sorted(
                tuple(str(v) for v in row) for row in conn.exec_driver_sql(f'SELECT * FROM "{table.name}"')
            )
            for table in metadata.sorted_tables
        }


def count_rows(engine: sa.Engine) -> dict[str, int]:
    """Row count of every server table except the epoch's."""
    tables = [table.name for table in metadata.sorted_tables if table.name != "server_meta"]
    query = " UNION ALL ".join(f"SELECT '{name}', count(*) FROM \"{name}\"" for name in tables)
    with engine.connect() as conn:
        return {name: count for name, count in conn.exec_driver_sql(query)}


@pytest.fixture
def rows() -> Rows:
    """A fresh copy of the small valid export, to change before writing it."""
    return make_rows()


@pytest.fixture
def export_dir(tmp_path) -> Path:
    """Where a test writes its export."""
    return tmp_path / "export"


assert set(FILES_BY_NAME) == set(make_rows()), "the builder must write every file of the spec"
