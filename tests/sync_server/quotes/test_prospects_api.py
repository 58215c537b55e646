"""Prospects as the server takes them (SQLite and PostgreSQL): made by a seller's device under
its own prefix, hers alone, quotable on prepaid terms only, exported for the ERP to create,
and their orders name them."""

import csv
import io
import json
import uuid
from datetime import UTC, datetime

from sync_server.cli import main as server_cli
from sync_server.services.prospect_export import PROSPECT_FIELDS, prospects_csv
from tests.sync_server.factories import make_customer
from tests.sync_server.quotes.helpers import OTHER_SELLER, SELLER, delivery_args, make_quote, quote_pdf

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _prospect(device, counter=1, **fields):
    return {
        "code": f"P-{device.session['quote_prefix']}-{counter:05d}",
        "seller_login": device.login,
        "name": "Talleres Ruiz",
        "contact": "Luis Ruiz",
        "email": "compras@ruiz.example",
        "phone": "600 123 456",
        "city": "Braga",
        "country": "PT",
        "currency": "EUR",
        "created_at": T0.isoformat(),
        **fields,
    }


def _refusal(result):
    return result["status"], result["key"]


def _opportunity(customer, seller=SELLER):
    return {
        "id": str(uuid.uuid4()),
        "customer_code": customer,
        "seller_login": seller,
        "title": "Anchors 2027",
        "currency": "EUR",
        "value": "900",
        "probability_percent": "10",
    }


def test_a_seller_makes_a_prospect_from_her_device_and_gets_it_back(device):
    ana = device(SELLER)
    ana.protocol_version = 3
    prospect = _prospect(ana)
    assert ana.push("save_prospect", prospect=prospect)["status"] == "applied"
    assert ana.latest("prospect", prospect["code"])["name"] == "Talleres Ruiz"
    edited = {**prospect, "phone": "600 999 999", "created_at": "2026-12-24T09:00:00+00:00"}
    assert ana.push("save_prospect", prospect=edited)["status"] == "applied"
    stored = ana.latest("prospect", prospect["code"])
    assert (stored["phone"], stored["created_at"]) == ("600 999 999", "2026-12-01T09:00:00Z")  # made once


def test_codes_bad_input_and_other_sellers_are_refused_with_the_reason(device, seed):
    ana, carla = device(SELLER), device(OTHER_SELLER)
    ana.protocol_version = carla.protocol_version = 3
    other_prefix = _prospect(ana, code=f"P-{carla.session['quote_prefix']}-00001")
    assert _refusal(ana.push("save_prospect", prospect=other_prefix)) == ("rejected", "problem.prospect.bad_code")
    not_a_code = _prospect(ana, code="C77")
    assert _refusal(ana.push("save_prospect", prospect=not_a_code)) == ("rejected", "problem.prospect.bad_code")
    bad_country = ana.push("save_prospect", prospect=_prospect(ana, country="XX"))
    assert _refusal(bad_country) == ("rejected", "problem.sync.invalid_record")
    assert "country" in bad_country["detail"]
    nameless = ana.push("save_prospect", prospect=_prospect(ana, name="  "))
    assert _refusal(nameless) == ("rejected", "problem.sync.invalid_record")
    for_ana = _prospect(carla)  # Carla's device, saying it is Ana's
    assert _refusal(carla.push("save_prospect", prospect={**for_ana, "seller_login": SELLER})) == (
        "rejected",
        "problem.record.owner_only",
    )
    mine = _prospect(ana)
    assert ana.push("save_prospect", prospect=mine)["status"] == "applied"
    taken = _prospect(carla, code=mine["code"], seller_login=OTHER_SELLER)
    assert _refusal(carla.push("save_prospect", prospect=taken)) == ("rejected", "problem.record.other_seller")
    seed(lambda conn: make_customer(conn, f"P-{ana.session['quote_prefix']}-00002", SELLER))
    erp = _prospect(ana, counter=2)
    assert _refusal(ana.push("save_prospect", prospect=erp)) == ("rejected", "problem.prospect.code_taken")


def test_a_prospect_is_quoted_on_prepaid_terms_by_its_seller_only(device):
    ana, carla = device(SELLER), device(OTHER_SELLER)
    ana.protocol_version = carla.protocol_version = 3
    code = _prospect(ana)["code"]
    early = ana.push("save_quote", quote=make_quote(customer=code, payment_terms="PREPAID"))
    assert _refusal(early) == ("rejected", "problem.customer.unknown")  # push the prospect first
    assert ana.push("save_prospect", prospect=_prospect(ana))["status"] == "applied"
    on_credit = ana.push("save_quote", quote=make_quote(customer=code))  # NET30
    assert _refusal(on_credit) == ("rejected", "problem.prospect.prepaid_only")
    assert ana.push("save_quote", quote=make_quote(customer=code, payment_terms="PREPAID"))["status"] == "applied"
    theirs = carla.push("save_quote", quote=make_quote(customer=code, seller=OTHER_SELLER, payment_terms="PREPAID"))
    assert _refusal(theirs) == ("rejected", "problem.prospect.other_seller")
    assert ana.push("save_opportunity", opportunity=_opportunity(code), base_version=None, base={})["status"] == (
        "applied"
    )
    other = carla.push("save_opportunity", opportunity=_opportunity(code, OTHER_SELLER), base_version=None, base={})
    assert _refusal(other) == ("rejected", "problem.prospect.other_seller")


def _cli(app, settings, tmp_path, command, fmt, since=None):
    out = tmp_path / f"{command}.{fmt}"
    url = app.state.engine.url.render_as_string(hide_password=False)
    args = ["--data-dir", str(settings.data_dir), "--database-url", url, command, "--format", fmt, "--out", str(out)]
    if since is not None:
        args += ["--since", str(since)]
    assert server_cli(args) == 0
    return out


def test_prospects_and_their_orders_are_exported_for_the_erp(device, seed, app, settings, tmp_path, capsys):
    ana = device(SELLER)
    prospect = _prospect(ana, tax_id="PT501234567")
    assert ana.push("save_prospect", prospect=prospect)["status"] == "applied"
    quote = make_quote(customer=prospect["code"], payment_terms="PREPAID")
    assert ana.push("save_quote", quote=quote)["status"] == "applied"
    delivery = delivery_args(quote, ana.upload(quote_pdf(quote)))
    assert ana.push("send_quote", quote_id=quote["id"], delivery=delivery)["status"] == "applied"
    order_id = str(uuid.uuid4())
    assert ana.push("mark_quote", quote_id=quote["id"], status="accepted", order_id=order_id)["status"] == "applied"

    with open(_cli(app, settings, tmp_path, "export-orders", "csv"), encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["customer_code"], row["prospect_code"], row["customer_name"], row["customer_tax_id"]) == (
        prospect["code"], prospect["code"], "Talleres Ruiz", "PT501234567",
    )  # fmt: skip
    assert row["payment_terms"] == "PREPAID"

    capsys.readouterr()
    out = _cli(app, settings, tmp_path, "export-prospects", "csv")
    assert "Exported 1 prospect(s)" in capsys.readouterr().out
    with open(out, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == PROSPECT_FIELDS
    [exported] = rows
    assert {k: exported[k] for k in ("code", "seller_login", "name", "tax_id", "country", "currency", "payment_terms")} == {
        "code": prospect["code"], "seller_login": SELLER, "name": "Talleres Ruiz", "tax_id": "PT501234567",
        "country": "PT", "currency": "EUR", "payment_terms": "PREPAID",
    }  # fmt: skip
    document = json.loads(_cli(app, settings, tmp_path, "export-prospects", "json").read_text(encoding="utf-8"))
    assert (document["format"], document["version"], len(document["prospects"])) == ("terreno-prospects", 1, 1)
    last = document["last_seq"]
    again = json.loads(_cli(app, settings, tmp_path, "export-prospects", "json", since=last).read_text("utf-8"))
    assert (again["prospects"], again["last_seq"]) == ([], last)

    # The ERP creates the customer under the prospect's code: no longer exported, orders name no prospect.
    seed(lambda conn: make_customer(conn, prospect["code"], SELLER))
    assert json.loads(_cli(app, settings, tmp_path, "export-prospects", "json").read_text("utf-8"))["prospects"] == []
    with open(_cli(app, settings, tmp_path, "export-orders", "csv"), encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["customer_code"], row["prospect_code"]) == (prospect["code"], "")


def test_a_prospect_named_like_a_formula_is_written_as_text():
    row = {field: "" for field in PROSPECT_FIELDS} | {"code": "P-AG1-00001", "name": '=HYPERLINK("http://x.example")'}
    [exported] = list(csv.DictReader(io.StringIO(prospects_csv([row]))))
    assert (exported["code"], exported["name"]) == ("P-AG1-00001", '\'=HYPERLINK("http://x.example")')
