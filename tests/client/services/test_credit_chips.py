"""Credit chips: which apply, most severe first, with Decimal thresholds."""

import csv
from datetime import timedelta

import pytest

from client.services.credit_chip import CreditChip, chips_from_row, credit_chips
from client.services.portfolio import CREDIT_COLUMNS, CustomerFilters, get_customer, search_customers
from client.store import apply_pull_page
from sync_server.importer.demo import REFERENCE_DATE
from sync_server.importer.spec import FILES
from tests import servers
from tests.client.factories import make_credit, page, put

B, OD, P, N, OK = (CreditChip.BLOCKED, CreditChip.OVERDUE, CreditChip.PREPAYMENT, CreditChip.NEAR_LIMIT, CreditChip.OK)


TABLE = [
    ({}, (OK,)),
    ({"blocked": True, "block_reason": "impago"}, (B,)),
    ({"overdue_amount": "0.01"}, (OD,)),
    ({"overdue_invoices": 1}, (OD,)),
    ({"prepayment_required": True}, (P,)),
    ({"open_balance": "8999.99"}, (OK,)),  # 89.9999 % of the limit
    ({"open_balance": "9000.00"}, (N,)),  # exactly 90 %
    ({"open_balance": "5000.00", "open_orders": "4000.00"}, (N,)),  # orders count as exposure
    ({"open_balance": "12000.00"}, (N,)),  # over the limit
    ({"credit_limit": "0", "open_balance": "0"}, (OK,)),
    ({"credit_limit": "0", "open_balance": "0.01"}, (N,)),
    ({"open_balance": "-500.00"}, (OK,)),  # a customer in credit
    (
        {
            "blocked": True,
            "block_reason": "x",
            "overdue_amount": "5",
            "prepayment_required": True,
            "open_balance": "9500",
        },
        (B, OD, P, N),
    ),
]
"""(credit fields over a healthy row, the chips expected, most severe first)"""


@pytest.mark.parametrize(("fields", "expected"), TABLE)
def test_chips(fields, expected):
    assert credit_chips(make_credit(**fields)) == expected


def test_no_credit_row_means_no_chips():
    assert credit_chips(None) == ()
    assert chips_from_row((None,) * 7) == ()


@pytest.mark.parametrize(("fields", "expected"), TABLE)
def test_a_credit_row_as_the_store_keeps_it_gives_the_same_chips(store, fields, expected):
    """The portfolio filters on chips computed in SQL from the stored columns (decimal text,
    0/1 flags): pulled into a real store and read back, each row must give the model's chips."""
    apply_pull_page(store, page([put(make_credit(**fields), 1)]))
    columns = ", ".join(CREDIT_COLUMNS)
    with store.read() as db:
        row = db.execute(f"SELECT {columns} FROM credit WHERE customer_code = 'C1'").fetchone()
    assert chips_from_row(row) == expected


def test_on_the_demo_data_the_list_and_the_panel_show_the_same_chips(store, tmp_path):
    """One seller's demo portfolio, a month after the export (invoices fall due meanwhile):
    every customer's chips on the portfolio list are those of its Customer 360 credit panel."""
    servers.demo_export(tmp_path / "demo")
    specs = {spec.filename: spec for spec in FILES}
    portfolio = {row["customer_code"]: row["seller_login"] for row in _rows(tmp_path / "demo", "portfolio.csv", specs)}
    seller = sorted(set(portfolio.values()))[0]
    mine = {code for code, login in portfolio.items() if login == seller}
    records = []
    for filename in ("customers.csv", "credit.csv", "invoices.csv", "payments.csv"):
        spec = specs[filename]
        for row in _rows(tmp_path / "demo", filename, specs):
            code = row.get("customer_code") or row.get("code")
            if code in mine:
                fields = {k: v for k, v in row.items() if k not in spec.extra_columns and v is not None}
                if filename == "customers.csv":
                    fields["seller_login"] = seller
                records.append(spec.model.model_validate(fields))
    apply_pull_page(store, page([put(r, n) for n, r in enumerate(records, 1)]))
    as_of = REFERENCE_DATE + timedelta(days=30)
    listed = {row.code: row.credit_chips for row in search_customers(store, limit=len(mine), as_of=as_of)}
    assert set(listed) == mine
    differ = [code for code in sorted(mine) if listed[code] != get_customer(store, code, as_of=as_of).credit_chips]
    assert differ == []
    # The list's chip filter agrees with the chips it shows.
    overdue = {code for code, chips in listed.items() if chips and chips[0] == CreditChip.OVERDUE}
    filtered = search_customers(
        store, filters=CustomerFilters(credit_chip=CreditChip.OVERDUE), limit=len(mine), as_of=as_of
    )
    assert {row.code for row in filtered} == overdue and overdue


def _rows(directory, filename, specs):
    with open(directory / filename, encoding="utf-8", newline="") as handle:
        return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(handle)]
