"""Quote mutations through push: the server re-checks totals, rules, approvals and the state
machine (SQLite and PostgreSQL)."""

from decimal import Decimal

import sqlalchemy as sa

from shared.models import PriceFloor
from shared.models.field import ApprovalRequest
from shared.protocol import CATALOG_BUCKET
from sync_server.repository.records import put_record
from sync_server.repository.tables import ENTITY_TABLES
from tests.sync_server.quotes.helpers import (
    CUSTOMER,
    MANAGER,
    OTHER_CUSTOMER,
    SELLER,
    approval_args,
    delivery_args,
    make_quote,
    outbox_rows,
    quote_pdf,
    set_credit,
)

_quotes = ENTITY_TABLES["quote"]


def _stored(app, quote_id: str):
    with app.state.engine.connect() as conn:
        return conn.execute(sa.select(_quotes).where(_quotes.c.id == quote_id)).first()


def _send(ana, quote, **delivery):
    sha = ana.upload(quote_pdf(quote))
    return ana.push("send_quote", quote_id=quote["id"], delivery=delivery_args(quote, sha, **delivery))


def test_a_draft_within_the_rules_is_saved_and_sent(device, app):
    ana = device()
    quote = make_quote()
    assert ana.push("save_quote", quote=quote)["status"] == "applied"
    result = _send(ana, quote)
    assert result["status"] == "applied", result
    assert _stored(app, quote["id"]).status == "sent"
    [row] = outbox_rows(app)
    assert row.status == "queued" and row.recipients == ["compras@penalara.example"]


def test_tampered_totals_are_rejected_naming_the_difference(device, app):
    ana = device()
    quote = make_quote(net_total="200.00", gross_total="242.00")  # the lines give 237.50 / 287.38
    result = ana.push("save_quote", quote=quote)
    assert result["status"] == "rejected" and result["code"] == "validation_failed"
    assert "net_total 200.00 (the lines give 237.50)" in result["detail"]
    assert "gross_total 242.00 (the lines give 287.38)" in result["detail"]
    assert "tax_total" not in result["detail"]
    assert _stored(app, quote["id"]) is None


def test_the_server_stores_the_rules_it_sees_firing(device, app):
    ana = device()
    quote = make_quote(lines=[("GUA-NIT-09", "100", "15")])  # 15 % > the standard band's 10 %
    assert quote["fired_rules"] == []  # a device that "forgot" to fire the rule
    result = ana.push("save_quote", quote=quote)
    assert result["status"] == "applied" and result["conflicts"] == ["fired_rules"]
    assert "discount_above_band" in result["detail"]
    assert _stored(app, quote["id"]).fired_rules == ["discount_above_band"]


def test_a_discount_hidden_in_a_lower_unit_price_still_fires(device, app):
    ana = device()
    quote = make_quote()
    quote["lines"][0]["unit_price"] = "2.0000"  # list price 2.3750: 15.8 % off
    quote.update(net_total="200.00", tax_total="42.00", gross_total="242.00")
    assert ana.push("save_quote", quote=quote)["status"] == "applied"
    assert _stored(app, quote["id"]).fired_rules == ["discount_above_band"]


def test_a_forged_send_of_an_unapproved_quote_is_refused(device, app):
    ana = device()
    quote = make_quote(lines=[("GUA-NIT-09", "100", "15")], fired_rules=["discount_above_band"])
    ana.push("save_quote", quote=quote)
    result = _send(ana, quote)  # the device skipped request_approval
    assert result["status"] == "rejected" and result["code"] == "approval_required"
    assert "discount_above_band" in result["detail"]
    assert _stored(app, quote["id"]).status == "draft" and outbox_rows(app) == []


def test_a_send_while_the_approval_is_pending_is_refused(device, app):
    ana = device()
    quote = make_quote(lines=[("GUA-NIT-09", "100", "15")])
    ana.push("save_quote", quote=quote)
    assert ana.push("request_approval", request=approval_args(quote))["status"] == "applied"
    result = _send(ana, quote)
    assert result["code"] == "approval_required" and "waiting for a manager" in result["detail"]
    assert _stored(app, quote["id"]).status == "pending_approval"


def test_request_approval_records_the_servers_reasons(device, app):
    ana = device()
    quote = make_quote(lines=[("GUA-NIT-09", "100", "15")])
    ana.push("save_quote", quote=quote)
    request = approval_args(quote, reasons=["please"])
    assert ana.push("request_approval", request=request)["status"] == "applied"
    stored = ana.latest("approval_request", request["id"])
    assert len(stored["reasons"]) == 1 and stored["reasons"][0].startswith("Line 1 (GUA-NIT-09): discount 15")
    # The same reason as a message, for the manager's language; a device's own is not kept.
    [said] = stored["reason_messages"]
    assert said["$message"] == "rule.discount_above_band"
    assert said["params"]["sku"] == "GUA-NIT-09" and said["params"]["discount"] == {"$percent": "15.00"}
    assert ana.latest("quote", quote["id"])["status"] == "pending_approval"


def test_a_request_with_many_reasons_keeps_every_one_as_a_message(device, app):
    """25 lines over the seller's band: 25 reasons, each with its message, readable back."""
    ana = device()
    quote = make_quote(lines=[("GUA-NIT-09", "10", "15")] * 25)
    ana.push("save_quote", quote=quote)
    request = approval_args(quote, reasons=["please"])
    assert ana.push("request_approval", request=request)["status"] == "applied"
    stored = ana.latest("approval_request", request["id"])
    assert len(stored["reasons"]) == len(stored["reason_messages"]) == 25
    ApprovalRequest.model_validate(stored)  # what a device does with it


def test_a_devices_own_reason_messages_are_not_kept(device, app):
    """Nothing fires: the seller's own words are kept as reasons, and no message (one a device
    made up would be said to the manager as the server's)."""
    ana = device()
    quote = make_quote()
    ana.push("save_quote", quote=quote)
    made_up = {"$message": "rule.credit_blocked", "params": {"reasons": "none"}}
    request = {**approval_args(quote, reasons=["please"]), "reason_messages": [made_up]}
    assert ana.push("request_approval", request=request)["status"] == "applied"
    stored = ana.latest("approval_request", request["id"])
    assert stored["reasons"] == ["please"] and stored["reason_messages"] == []


def test_a_blocked_customer_is_rechecked_before_sending(device, app, seed):
    ana = device()
    quote = make_quote()
    ana.push("save_quote", quote=quote)  # nothing fired when saved
    seed(lambda conn: set_credit(conn, CUSTOMER, SELLER, blocked=True, block_reason="Impagado factura F-881"))
    result = _send(ana, quote)
    assert result["code"] == "approval_required" and "credit_blocked" in result["detail"]
    assert _stored(app, quote["id"]).status == "draft"


def test_sending_needs_the_uploaded_pdf(device, app):
    ana = device()
    quote = make_quote()
    ana.push("save_quote", quote=quote)
    result = ana.push("send_quote", quote_id=quote["id"], delivery=delivery_args(quote, "ab" * 32))
    assert result["status"] == "rejected" and result["code"] == "attachment_missing"
    assert _stored(app, quote["id"]).status == "draft" and outbox_rows(app) == []


def test_a_sent_quote_is_never_edited_in_place_but_revised(device, app):
    ana = device()
    quote = make_quote()
    ana.push("save_quote", quote=quote)
    _send(ana, quote)
    edited = make_quote(lines=[("GUA-NIT-09", "120", "0")], number=quote["number"], quote_id=quote["id"])
    result = ana.push("save_quote", quote=edited)
    assert result["status"] == "rejected" and result["code"] == "invalid_transition"
    assert "never edited in place" in result["detail"]
    revised = make_quote(lines=[("GUA-NIT-09", "120", "0")], number=quote["number"], version=2)
    assert ana.push("save_quote", quote=revised)["status"] == "applied"
    assert _stored(app, quote["id"]).status == "sent" and _stored(app, quote["id"]).net_total == Decimal("237.50")
    assert _stored(app, revised["id"]).version == 2


def test_a_version_number_is_taken_once(device):
    ana = device()
    quote = make_quote()
    ana.push("save_quote", quote=quote)
    twin = make_quote(number=quote["number"])  # same number and version, another id
    assert ana.push("save_quote", quote=twin)["code"] == "conflict"
    draft_revision = make_quote(number=quote["number"], version=2)  # v1 is still a draft: edit it instead
    assert ana.push("save_quote", quote=draft_revision)["code"] == "invalid_transition"


def test_another_sellers_customer_is_out_of_scope(device):
    ana = device()
    result = ana.push("save_quote", quote=make_quote(customer=OTHER_CUSTOMER))
    assert result["status"] == "rejected" and result["code"] == "out_of_scope"


def test_marking_lost_needs_a_reason(device, app):
    ana = device()
    quote = make_quote()
    ana.push("save_quote", quote=quote)
    _send(ana, quote)
    result = ana.push("mark_quote", quote_id=quote["id"], status="lost")
    assert (result["status"], result["code"]) == ("rejected", "validation_failed")
    assert "lost_reason" in result["detail"]
    assert _stored(app, quote["id"]).status == "sent"
    result = ana.push(
        "mark_quote",
        quote_id=quote["id"],
        status="lost",
        lost_reason="competitor",
        competitor="Würth",
        competitor_price="2.1000",
    )
    assert result["status"] == "applied", result
    lost = ana.latest("quote", quote["id"])
    assert (lost["status"], lost["lost_reason"], lost["competitor"], lost["competitor_price"]) == (
        "lost",
        "competitor",
        "Würth",
        "2.1000",
    )


def test_a_draft_cannot_be_marked_accepted(device, app):
    ana = device()
    quote = make_quote()
    ana.push("save_quote", quote=quote)
    result = ana.push("mark_quote", quote_id=quote["id"], status="accepted")
    assert result["code"] == "invalid_transition"
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(ENTITY_TABLES["order"])).scalar() == 0


def _approve(client, manager, request_id):
    response = client.post(
        f"/v1/approvals/{request_id}/decision", json={"decision": "approved"}, headers=manager.headers
    )
    assert response.status_code == 200, response.text


def test_an_approval_overrides_a_blocked_customer_but_not_a_rule_fired_since(client, device, app, seed):
    ana, marta = device(SELLER), device(MANAGER)
    seed(lambda conn: set_credit(conn, CUSTOMER, SELLER, blocked=True, block_reason="Impagado factura F-881"))
    blocked = make_quote()
    ana.push("save_quote", quote=blocked)
    assert _stored(app, blocked["id"]).fired_rules == ["credit_blocked"]
    request = approval_args(blocked)
    ana.push("request_approval", request=request)
    _approve(client, marta, request["id"])
    assert _send(ana, blocked)["status"] == "applied"  # the manager's approval is the override

    seed(lambda conn: set_credit(conn, CUSTOMER, SELLER))  # healthy again
    discounted = make_quote(lines=[("GUA-NIT-09", "100", "15")])
    ana.push("save_quote", quote=discounted)
    request = approval_args(discounted)
    ana.push("request_approval", request=request)
    _approve(client, marta, request["id"])
    seed(
        lambda conn: set_credit(
            conn, CUSTOMER, SELLER, overdue_amount=Decimal(900), overdue_invoices=1, oldest_overdue_days=75
        )
    )  # blocked after the approval
    result = _send(ana, discounted)
    assert (
        result["code"] == "approval_required"
        and "since the approval, new rules fired: credit_blocked" in result["detail"]
    )
    assert _stored(app, discounted["id"]).status == "approved"


def test_floors_are_checked_with_the_servers_catalogue_and_costs(device, app, seed):
    ana = device()
    seed(
        lambda conn: put_record(
            conn,
            PriceFloor(scope="category", code="FERR", currency="EUR", min_margin_percent=Decimal(45)),
            CATALOG_BUCKET,
        )
    )
    within = make_quote(lines=[("GUA-NIT-09", "100", "8")])  # gloves at 2.1850 on cost 1.20: margin 45.08 %
    assert ana.push("save_quote", quote=within)["conflicts"] == []
    thin = make_quote(lines=[("GUA-NIT-09", "100", "9")])  # at 2.1613: margin 44.48 % < 45 %
    thin["lines"][0]["unit_cost"] = "1.0000"  # a forged cost would show 53.7 %
    result = ana.push("save_quote", quote=thin)
    assert result["status"] == "applied" and result["conflicts"] == ["fired_rules"]
    assert _stored(app, thin["id"]).fired_rules == ["margin_below_floor"]
