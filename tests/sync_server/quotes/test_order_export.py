"""Accepted quotes become order requests, exported for the ERP as CSV and JSON through the
`terreno-server export-orders` command (SQLite and PostgreSQL)."""

import csv
import json
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from sync_server.cli import main as server_cli
from sync_server.services.orders import LINE_FIELDS, ORDER_FIELDS
from tests.sync_server.quotes.helpers import SELLER, delivery_args, make_quote, quote_pdf


def _accepted(ana, **kw):
    quote = make_quote(**kw)
    assert ana.push("save_quote", quote=quote)["status"] == "applied"
    delivery = delivery_args(quote, ana.upload(quote_pdf(quote)))
    assert ana.push("send_quote", quote_id=quote["id"], delivery=delivery)["status"] == "applied"
    order_id = str(uuid.uuid4())
    result = ana.push("mark_quote", quote_id=quote["id"], status="accepted", order_id=order_id)
    assert result["status"] == "applied", result
    return quote, order_id


def _export(app, settings, tmp_path, fmt, since=None):
    out = tmp_path / f"orders.{fmt}"
    url = app.state.engine.url.render_as_string(hide_password=False)
    args = [
        "--data-dir",
        str(settings.data_dir),
        "--database-url",
        url,
        "export-orders",
        "--format",
        fmt,
        "--out",
        str(out),
    ]
    if since is not None:
        args += ["--since", str(since)]
    assert server_cli(args) == 0
    return out


def test_accepting_makes_an_order_the_seller_pulls(device):
    ana = device(SELLER)
    quote, order_id = _accepted(ana)
    order = ana.latest("order", order_id)
    assert order == {
        "id": order_id,
        "quote_id": quote["id"],
        "customer_code": "C1",
        "seller_login": SELLER,
        "currency": "EUR",
        "gross_total": quote["gross_total"],
        "customer_po": "",
        "requested_delivery": None,
    }
    assert ana.latest("quote", quote["id"])["status"] == "accepted"
    assert ana.push("mark_quote", quote_id=quote["id"], status="accepted")["code"] == "invalid_transition"


def test_orders_export_as_csv_one_row_per_line(device, app, settings, tmp_path, capsys):
    ana = device(SELLER)
    quote, order_id = _accepted(ana, lines=[("GUA-NIT-09", "100", "5"), ("TAL-18V-BL", "2", "0")], header_discount="2")
    out = _export(app, settings, tmp_path, "csv")
    assert "Exported 1 order(s)" in capsys.readouterr().out
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["order_id"], r["line_no"], r["sku"]) for r in rows] == [
        (order_id, "1", "GUA-NIT-09"),
        (order_id, "2", "TAL-18V-BL"),
    ]
    first = rows[0]
    assert (first["quote_number"], first["quote_version"], first["customer_code"], first["customer_tax_id"]) == (
        quote["number"],
        "1",
        "C1",
        "BC1",
    )
    assert (first["net_total"], first["gross_total"], first["header_discount_percent"]) == (
        quote["net_total"],
        quote["gross_total"],
        "2",
    )
    # 100 × 2.3750 × 0.95 × 0.98 = 221.11; 2 × 189 × 0.98 = 370.44; together the quote's net
    assert [r["net_amount"] for r in rows] == ["221.11", "370.44"]
    assert quote["net_total"] == "591.55"


def test_orders_export_as_json_and_incrementally(device, app, settings, tmp_path):
    ana = device(SELLER)
    first_quote, first_order = _accepted(ana)
    document = json.loads(_export(app, settings, tmp_path, "json").read_text(encoding="utf-8"))
    assert (document["format"], document["version"], document["since_seq"]) == ("terreno-orders", 1, 0)
    [order] = document["orders"]
    assert order["order_id"] == first_order and order["quote_id"] == first_quote["id"]
    assert order["gross_total"] == first_quote["gross_total"] and order["payment_terms"] == "NET30"
    assert order["lines"] == [
        {
            "line_no": 1,
            "sku": "GUA-NIT-09",
            "description": "Guantes de nitrilo talla 9, EN 388",
            "quantity": "100",
            "unit_price": "2.3750",
            "discount_percent": "0",
            "tax_rate_percent": "21",
            "net_amount": "237.50",
            "warehouse_code": "MAD",
            "promise": "En stock · Madrid",
            "line_requested_delivery": "",
            "promised_delivery": "",
        }
    ]
    assert document["last_seq"] == order["seq"]

    _, second_order = _accepted(ana)
    later = json.loads(_export(app, settings, tmp_path, "json", since=document["last_seq"]).read_text())
    assert [o["order_id"] for o in later["orders"]] == [second_order]
    nothing = json.loads(_export(app, settings, tmp_path, "json", since=later["last_seq"]).read_text())
    assert nothing["orders"] == [] and nothing["last_seq"] == later["last_seq"]


def test_each_exported_line_carries_its_wanted_and_promised_days(device, app, settings, tmp_path):
    ana = device(SELLER)
    quote = make_quote(lines=[("GUA-NIT-09", "10", "0"), ("TAL-18V-BL", "30", "0")])
    issue = date.fromisoformat(quote["issue_date"])
    quote["lines"][0]["promised_delivery"] = (issue + timedelta(days=2)).isoformat()
    quote["lines"][1]["requested_delivery"] = (issue + timedelta(days=20)).isoformat()  # set on the line
    assert ana.push("save_quote", quote=quote)["status"] == "applied"
    delivery = delivery_args(quote, ana.upload(quote_pdf(quote)))
    assert ana.push("send_quote", quote_id=quote["id"], delivery=delivery)["status"] == "applied"
    wanted = (issue + timedelta(days=5)).isoformat()
    result = ana.push("mark_quote", quote_id=quote["id"], status="accepted", requested_delivery=wanted)
    assert result["status"] == "applied", result
    with open(_export(app, settings, tmp_path, "csv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["requested_delivery"], r["line_requested_delivery"], r["promised_delivery"]) for r in rows] == [
        (wanted, wanted, (issue + timedelta(days=2)).isoformat()),  # the order's day; promised from stock
        (wanted, (issue + timedelta(days=20)).isoformat(), ""),  # its own day; no date could be promised
    ]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_without_orders_is_valid_and_empty(app, settings, tmp_path, fmt, quoting):
    out = _export(app, settings, tmp_path, fmt)
    text = out.read_text(encoding="utf-8")
    if fmt == "csv":
        assert text.splitlines()[0].startswith("order_id,seq,accepted_at") and len(text.splitlines()) == 1
    else:
        assert json.loads(text)["orders"] == []


def test_the_documented_columns_are_the_exported_ones():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "order-export.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z_]+)` \|", doc, flags=re.MULTILINE)
    assert documented == [*ORDER_FIELDS, *LINE_FIELDS]
    csv_header = doc.split("```csv\n", 1)[1].splitlines()[0]
    assert csv_header.split(",") == [*ORDER_FIELDS, *LINE_FIELDS]
    example = json.loads(doc.split("```json\n", 1)[1].split("```", 1)[0])
    assert list(example["orders"][0]) == [*ORDER_FIELDS, "lines"]
    assert list(example["orders"][0]["lines"][0]) == list(LINE_FIELDS)


def test_a_formula_typed_on_a_tablet_is_exported_as_text_and_the_export_is_audited(
    app, settings, tmp_path, device, capsys
):
    ana = device(SELLER)
    quote = make_quote()
    assert ana.push("save_quote", quote=quote)["status"] == "applied"
    delivery = delivery_args(quote, ana.upload(quote_pdf(quote)))
    assert ana.push("send_quote", quote_id=quote["id"], delivery=delivery)["status"] == "applied"
    po = '=HYPERLINK("http://x.example")'
    assert ana.push("mark_quote", quote_id=quote["id"], status="accepted", customer_po=po)["status"] == "applied"
    out = _export(app, settings, tmp_path, "csv")
    with open(out, newline="", encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["customer_po"] == "'" + po
    assert row["quantity"] == "100"  # numbers stay numbers
    url = app.state.engine.url.render_as_string(hide_password=False)
    capsys.readouterr()
    assert (
        server_cli(["--data-dir", str(settings.data_dir), "--database-url", url, "audit", "--kind", "orders_exported"])
        == 0
    )
    [event] = capsys.readouterr().out.splitlines()
    assert "orders_exported" in event and "1 order(s), csv" in event
