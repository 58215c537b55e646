"""The demo export: every file in the import format, every row valid, references resolved,
realistic spreads of credit states and buying patterns, and byte-identical reruns."""

import csv
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from shared.money import round_money
from sync_server.importer.demo import DEMO_PASSWORD, REFERENCE_DATE, demo_sign_ins, generate_demo_export
from sync_server.importer.spec import FILES, FileSpec
from tests import servers

# One worker runs the whole module: the export it reads is generated once, not once per worker.
pytestmark = pytest.mark.xdist_group("demo-data")

REQUIRED = [f for f in FILES if not f.is_optional]
"""The files the demo writes; it knows no Terreno orders, so it leaves order_status.csv out."""

ACCENTED = set("áéíóúàèòñçüÁÉÍÓÚÑÇÜãõâêô")


def read_csv(directory: Path, filename: str) -> tuple[list[str], list[dict[str, str | None]]]:
    """Header and rows of one export file, with empty cells as None (the import rule)."""
    with open(directory / filename, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [{k: (v if v != "" else None) for k, v in zip(header, line, strict=True)} for line in reader]
    return header, rows


def model_fields(spec: FileSpec, row: dict[str, str | None]) -> dict[str, str]:
    """The part of a row the file's model validates: extra columns belong to the importer, and
    an empty cell is left out so the field takes its default — None for nullable fields, ''
    for text such as `description` or `block_reason` (their models refuse None)."""
    return {k: v for k, v in row.items() if k not in spec.extra_columns and v is not None}


def record_id(spec: FileSpec, row: dict[str, str | None]) -> str:
    """The id the importer gives the row's record: key columns joined with '|'."""
    return "|".join(str(row[k]) for k in spec.model.KEY)


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """Scale 1, seed 7, generated once per test process (tests/servers.py)."""
    directory = tmp_path_factory.mktemp("demo") / "export"
    return directory, servers.demo_export(directory)


@pytest.fixture(scope="module")
def rows(export) -> dict[str, list[dict[str, str | None]]]:
    """Every file of the export, read once: {file name: rows}."""
    directory, _ = export
    return {f.filename: read_csv(directory, f.filename)[1] for f in REQUIRED}


@pytest.mark.parametrize("spec", FILES, ids=lambda f: f.filename)
def test_file_has_the_spec_header(export, spec):
    if spec.is_optional:
        assert not (export[0] / spec.filename).exists()
        return
    header, _ = read_csv(export[0], spec.filename)
    assert tuple(header) == spec.columns()


def test_reported_counts_match_the_files(export, rows):
    _, counts = export
    assert list(counts) == [f.filename for f in REQUIRED]
    assert counts == {name: len(r) for name, r in rows.items()}


@pytest.mark.parametrize("spec", REQUIRED, ids=lambda f: f.filename)
def test_every_row_validates_with_its_model(rows, spec):
    assert rows[spec.filename], f"{spec.filename} is empty"
    for row in rows[spec.filename]:
        spec.model.model_validate(model_fields(spec, row))


@pytest.mark.parametrize("spec", [f for f in REQUIRED if f.entity], ids=lambda f: f.filename)
def test_record_ids_are_unique(rows, spec):
    ids = [record_id(spec, r) for r in rows[spec.filename]]
    assert len(ids) == len(set(ids))


def test_every_reference_resolves(rows):
    ids: dict[str, set[str]] = defaultdict(set)
    for spec in REQUIRED:
        if spec.entity:
            ids[spec.entity] |= {record_id(spec, r) for r in rows[spec.filename]}
    for spec in REQUIRED:
        for ref in spec.references:
            dangling = {r[ref.column] for r in rows[spec.filename] if r[ref.column] is not None} - ids[ref.entity]
            assert not dangling, f"{spec.filename}.{ref.column}: {sorted(dangling)[:5]}"


def test_price_floor_codes_name_a_product_or_a_category(rows):
    skus = {r["sku"] for r in rows["products.csv"]}
    categories = {r["code"] for r in rows["categories.csv"]}
    scopes = Counter(r["scope"] for r in rows["price_floors.csv"])
    assert scopes["product"] >= 50 and scopes["category"] >= 14
    for floor in rows["price_floors.csv"]:
        assert floor["code"] in (skus if floor["scope"] == "product" else categories)


def test_portfolio_assigns_customers_to_sellers_evenly(rows):
    roles = {u["login"]: u["role"] for u in rows["users.csv"]}
    sellers = Counter(r["seller_login"] for r in rows["portfolio.csv"])
    assert {roles[login] for login in sellers} == {"seller"}
    assert max(sellers.values()) - min(sellers.values()) <= 1
    assigned = {r["customer_code"] for r in rows["portfolio.csv"]}
    assert len(assigned) == len(rows["portfolio.csv"])
    assert len(rows["customers.csv"]) - len(assigned) == 10


def test_scale_one_counts(rows):
    roles = Counter(u["role"] for u in rows["users.csv"])
    assert roles == {"seller": 5, "manager": 1, "admin": 1}
    manager = next(u for u in rows["users.csv"] if u["role"] == "manager")
    assert {u["team_code"] for u in rows["users.csv"] if u["role"] == "seller"} == {manager["team_code"]}
    assert len(rows["customers.csv"]) == 1500
    assert len(rows["products.csv"]) == 8000
    assert len(rows["warehouses.csv"]) == 3
    assert [r["code"] for r in rows["tax_classes.csv"]] == ["IVA21", "IVA10", "IVA4", "EXENTO"]
    assert 110 <= len(rows["categories.csv"]) <= 160
    contacts_per_customer = len(rows["contacts.csv"]) / len(rows["customers.csv"])
    assert 1.3 <= contacts_per_customer <= 1.7
    inactive = sum(p["active"] == "false" for p in rows["products.csv"])
    assert 0.02 <= inactive / 8000 <= 0.04


def test_category_tree_has_three_levels(rows):
    parent = {r["code"]: r["parent_code"] for r in rows["categories.csv"]}

    def depth(code: str) -> int:
        return 1 if parent[code] is None else 1 + depth(parent[code])

    assert Counter(depth(c) for c in parent).keys() == {1, 2, 3}
    leaves = {r["category_code"] for r in rows["products.csv"]}
    assert {depth(c) for c in leaves} == {3}


def test_demo_users_sign_in_with_the_demo_password(rows):
    hashes = {u["password_hash"] for u in rows["users.csv"]}
    assert len(hashes) == 1
    hasher = PasswordHasher()
    (only,) = hashes
    assert hasher.verify(only, DEMO_PASSWORD)
    assert not hasher.check_needs_rehash(only)


def test_demo_sign_ins_are_the_users_written(rows):
    written = [(u["login"], u["role"], u["name"]) for u in rows["users.csv"]]
    assert demo_sign_ins(1) == written
    assert {"ana.garcia", "john.smith", "marta.ruiz", "admin"} <= {login for login, _, _ in written}


def test_demo_sign_ins_grow_with_scale():
    logins = demo_sign_ins(4)
    assert Counter(role for _, role, _ in logins) == {"seller": 20, "manager": 4, "admin": 1}
    assert len({login for login, _, _ in logins}) == len(logins)
    assert demo_sign_ins(1)[:-1] == logins[: len(demo_sign_ins(1)) - 1]


def _exposure(credit: dict[str, str | None]) -> Decimal:
    return Decimal(credit["open_balance"]) + Decimal(credit["open_orders"])


CREDIT_STATES = {
    "healthy": lambda c: (
        c["blocked"] == "false"
        and c["prepayment_required"] == "false"
        and Decimal(c["overdue_amount"]) == 0
        and c["open_disputes"] == "0"
        and _exposure(c) < Decimal("0.9") * Decimal(c["credit_limit"])
    ),
    "near_limit": lambda c: (
        c["blocked"] == "false"
        and Decimal(c["credit_limit"]) > 0
        and _exposure(c) >= Decimal("0.9") * Decimal(c["credit_limit"])
    ),
    "overdue": lambda c: (
        Decimal(c["overdue_amount"]) > 0
        and int(c["overdue_invoices"]) > 0
        and 15 <= int(c["oldest_overdue_days"]) <= 180
    ),
    "blocked": lambda c: c["blocked"] == "true" and bool(c["block_reason"]),
    "prepayment": lambda c: c["prepayment_required"] == "true",
    "dispute": lambda c: int(c["open_disputes"]) > 0 and Decimal(c["disputed_amount"]) > 0,
}


@pytest.mark.parametrize("state", CREDIT_STATES)
def test_every_credit_state_appears_often(rows, state):
    assert sum(CREDIT_STATES[state](c) for c in rows["credit.csv"]) >= 20


def test_credit_agrees_with_invoices_and_payments(rows):
    owed: dict[str, Decimal] = defaultdict(Decimal)
    for invoice in rows["invoices.csv"]:
        owed[invoice["customer_code"]] += Decimal(invoice["gross_amount"])
    for payment in rows["payments.csv"]:
        owed[payment["customer_code"]] -= Decimal(payment["amount"])
    for credit in rows["credit.csv"]:
        assert Decimal(credit["open_balance"]) == owed[credit["customer_code"]], credit["customer_code"]


def test_overdue_customers_have_unpaid_invoices_past_due(rows):
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for payment in rows["payments.csv"]:
        if payment["invoice_number"]:
            paid[payment["invoice_number"]] += Decimal(payment["amount"])
    unpaid_past_due: dict[str, date] = {}
    for invoice in rows["invoices.csv"]:
        due = date.fromisoformat(invoice["due_date"])
        if due < REFERENCE_DATE and paid[invoice["number"]] < Decimal(invoice["gross_amount"]):
            code = invoice["customer_code"]
            unpaid_past_due[code] = min(due, unpaid_past_due.get(code, due))
    for credit in rows["credit.csv"]:
        if Decimal(credit["overdue_amount"]) > 0:
            oldest = unpaid_past_due[credit["customer_code"]]
            assert int(credit["oldest_overdue_days"]) == (REFERENCE_DATE - oldest).days


def test_some_customers_are_dormant(rows):
    last_invoice: dict[str, str] = {}
    for invoice in rows["invoices.csv"]:
        code = invoice["customer_code"]
        last_invoice[code] = max(invoice["issue_date"], last_invoice.get(code, ""))
    six_months_ago = date(2026, 4, 30).isoformat()  # REFERENCE_DATE is 2026-10-31
    dormant = [code for code, last in last_invoice.items() if last <= six_months_ago]
    assert 0.08 <= len(dormant) / len(rows["customers.csv"]) <= 0.16


def test_customers_never_buy_some_top_level_categories(rows):
    parent = {r["code"]: r["parent_code"] for r in rows["categories.csv"]}
    tops = {c for c, p in parent.items() if p is None}

    def top_of(code: str) -> str:
        while parent[code] is not None:
            code = parent[code]
        return code

    top_of_sku = {p["sku"]: top_of(p["category_code"]) for p in rows["products.csv"]}
    customer_of = {i["number"]: i["customer_code"] for i in rows["invoices.csv"]}
    bought: dict[str, set[str]] = defaultdict(set)
    for line in rows["invoice_lines.csv"]:
        bought[customer_of[line["invoice_number"]]].add(top_of_sku[line["sku"]])
    assert set().union(*bought.values()) == tops
    assert sum(len(b) < len(tops) // 2 for b in bought.values()) >= 0.5 * len(bought)


def test_accented_names_exist(rows):
    def accented(values) -> int:
        return sum(bool(ACCENTED & set(v)) for v in values)

    assert accented(c["legal_name"] for c in rows["customers.csv"]) >= 100
    assert accented(p["name"] for p in rows["products.csv"]) >= 500
    assert accented(c["name"] for c in rows["categories.csv"]) >= 20
    assert accented(c["name"] for c in rows["contacts.csv"]) >= 200
    names = {c["legal_name"] for c in rows["customers.csv"]}
    assert len(names) == len(rows["customers.csv"])
    assert {"S.L.", "S.A.", "Lda.", "Ltd."} <= {n.rsplit(" ", 1)[-1] for n in names}


def test_tax_ids_are_unique(rows):
    tax_ids = [c["tax_id"] for c in rows["customers.csv"]]
    assert len(set(tax_ids)) == len(tax_ids)


def test_most_customers_pay_in_euros_a_few_in_dollars(rows):
    currencies = Counter(c["currency"] for c in rows["customers.csv"])
    assert currencies.keys() == {"EUR", "USD"}
    assert 10 <= currencies["USD"] <= 100
    assert Counter(c["country"] for c in rows["customers.csv"]).keys() >= {"ES", "PT", "GB", "MX"}


def test_invoices_add_up(rows):
    lines: dict[str, list[dict]] = defaultdict(list)
    for line in rows["invoice_lines.csv"]:
        lines[line["invoice_number"]].append(line)
        net = round_money(Decimal(line["quantity"]) * Decimal(line["unit_price"]), "EUR")
        assert Decimal(line["net_amount"]) == net
    for invoice in rows["invoices.csv"]:
        net, tax, gross = (Decimal(invoice[k]) for k in ("net_amount", "tax_amount", "gross_amount"))
        assert net + tax == gross
        assert net == sum(Decimal(line["net_amount"]) for line in lines[invoice["number"]])
        assert [int(line["line_no"]) for line in lines[invoice["number"]]] == list(
            range(1, len(lines[invoice["number"]]) + 1)
        )


def test_invoices_cover_24_months_with_an_august_dip(rows):
    per_month = Counter(i["issue_date"][:7] for i in rows["invoices.csv"])
    assert min(per_month) == "2024-11" and max(per_month) == "2026-10"
    assert max(i["issue_date"] for i in rows["invoices.csv"]) <= REFERENCE_DATE.isoformat()
    assert per_month["2026-08"] < 0.6 * per_month["2026-05"]
    assert per_month["2025-12"] < per_month["2025-10"]


def test_most_lines_sell_above_cost(rows):
    above = sum(Decimal(line["cost_amount"]) < Decimal(line["net_amount"]) for line in rows["invoice_lines.csv"])
    assert above / len(rows["invoice_lines.csv"]) > 0.95


def test_price_lists_cover_base_segments_customers_and_validity(rows):
    lists = {p["code"]: p for p in rows["price_lists.csv"]}
    kinds = Counter(p["kind"] for p in lists.values())
    assert kinds["base"] == 2 and kinds["segment"] >= 7 and kinds["customer"] == 75
    assert {p["currency"] for p in lists.values()} == {"EUR", "USD"}
    assert any(p["valid_to"] and p["valid_to"] < REFERENCE_DATE.isoformat() for p in lists.values())
    assert any(p["valid_from"] > REFERENCE_DATE.isoformat() for p in lists.values())
    items: dict[str, Counter] = defaultdict(Counter)
    for item in rows["price_list_items.csv"]:
        items[item["price_list_code"]][item["sku"]] += 1
    active = {p["sku"] for p in rows["products.csv"] if p["active"] == "true"}
    assert set(items["BASE"]) == active
    with_breaks = sum(n > 1 for n in items["BASE"].values())
    assert 0.25 <= with_breaks / len(active) <= 0.35
    for code, plist in lists.items():
        if plist["kind"] == "customer":
            assert 20 <= len(items[code]) <= 60, code


def test_stock_and_incoming_look_like_a_warehouse(rows):
    per_sku = Counter(s["sku"] for s in rows["stock.csv"])
    assert 1 in per_sku.values() and 3 in per_sku.values()
    short = [s for s in rows["stock.csv"] if Decimal(s["reserved"]) + Decimal(s["damaged"]) >= Decimal(s["on_hand"])]
    assert len(short) >= 100
    expected = [date.fromisoformat(lot["expected_date"]) for lot in rows["incoming.csv"]]
    assert all(REFERENCE_DATE < d <= REFERENCE_DATE + timedelta(days=60) for d in expected)
    lot_skus = {lot["sku"] for lot in rows["incoming.csv"]}
    assert 0.05 <= len(lot_skus) / len(rows["products.csv"]) <= 0.11


def test_substitutes_stay_in_the_category(rows):
    category = {p["sku"]: p["category_code"] for p in rows["products.csv"]}
    with_substitutes = {s["sku"] for s in rows["substitutes.csv"]}
    assert 0.12 <= len(with_substitutes) / len(category) <= 0.18
    assert all(category[s["sku"]] == category[s["substitute_sku"]] for s in rows["substitutes.csv"])


def test_fx_rates_cover_the_last_two_months_both_ways(rows):
    pairs = Counter((r["base_currency"], r["quote_currency"]) for r in rows["fx_rates.csv"])
    assert set(pairs) == {("EUR", c) for c in ("USD", "GBP", "MXN")} | {(c, "EUR") for c in ("USD", "GBP", "MXN")}
    assert min(pairs.values()) >= 40
    assert max(r["rate_date"] for r in rows["fx_rates.csv"]) == "2026-10-30"  # the 31st is a Saturday


def test_same_seed_gives_identical_files(export, tmp_path):
    directory, _ = export
    generate_demo_export(tmp_path, scale=1, seed=7)
    for spec in REQUIRED:
        assert (tmp_path / spec.filename).read_bytes() == (directory / spec.filename).read_bytes(), spec.filename


@pytest.mark.parametrize("scale", [0, -1, 1.5, True])
def test_scale_must_be_a_positive_integer(tmp_path, scale):
    with pytest.raises(ValueError):
        generate_demo_export(tmp_path, scale=scale)
