"""Authorization of quotes: nobody decides her own quote, a replaced version is neither
decided, sent nor accepted, a moved customer is read-only for its old seller, and a device issues
only its own quote numbers (SQLite and PostgreSQL)."""

from shared.models import Role
from tests.sync_server.factories import make_customer, make_user
from tests.sync_server.quotes.helpers import (
    ADMIN,
    CUSTOMER,
    MANAGER,
    OTHER_SELLER,
    SELLER,
    approval_args,
    delivery_args,
    make_quote,
    outbox_rows,
    quote_pdf,
    sent_quote,
    set_credit,
)

_DISCOUNTED = [("GUA-NIT-09", "100", "15"), ("TAL-18V-BL", "2", "5")]  # fires discount_above_band


def _pending(device, **kw):
    quote = make_quote(lines=_DISCOUNTED, **kw)
    assert device.push("save_quote", quote=quote)["status"] == "applied"
    request = approval_args(quote)
    assert device.push("request_approval", request=request)["status"] == "applied"
    return quote, request


def _decide(client, who, request_id):
    return client.post(f"/v1/approvals/{request_id}/decision", json={"decision": "approved"}, headers=who.headers)


def test_a_manager_never_approves_her_own_quote_but_another_manager_or_an_admin_may(client, seed, device):
    def own_customer(conn):
        make_user(conn, "pedro.jefe", role=Role.MANAGER, team="NORTE")
        make_customer(conn, "C9", MANAGER)
        set_credit(conn, "C9", MANAGER)

    seed(own_customer)
    marta = device(MANAGER)
    _quote, request = _pending(marta, seller=MANAGER, customer="C9")
    refused = _decide(client, marta, request["id"])
    assert refused.status_code == 403, refused.text
    assert refused.json()["key"] == "problem.approval.own_quote"
    assert _decide(client, device("pedro.jefe"), request["id"]).status_code == 200
    _quote, second = _pending(marta, seller=MANAGER, customer="C9")
    assert _decide(client, device(ADMIN), second["id"]).status_code == 200


def test_a_replaced_version_is_never_approved(client, device):
    ana, marta = device(SELLER), device(MANAGER)
    quote, request = _pending(ana)
    newer = make_quote(lines=_DISCOUNTED, number=quote["number"], version=2)
    assert ana.push("save_quote", quote=newer)["status"] == "applied"
    refused = _decide(client, marta, request["id"])
    assert refused.status_code == 409, refused.text
    assert (refused.json()["key"], refused.json()["params"]["newest"]) == ("problem.approval.superseded", 2)
    listed = client.get("/v1/approvals", headers=marta.headers).json()
    assert [item["quote"]["status"] for item in listed] == ["pending_approval"]  # nothing decided


def test_a_replaced_version_is_never_accepted(device):
    ana = device(SELLER)
    quote = sent_quote(ana)
    newer = make_quote(number=quote["number"], version=2)
    assert ana.push("save_quote", quote=newer)["status"] == "applied"
    answer = ana.push("mark_quote", quote_id=quote["id"], status="accepted", customer_po="PO-1")
    assert (answer["status"], answer["code"]) == ("rejected", "invalid_transition")
    assert ana.latest("order", quote["id"]) is None


def test_a_replaced_version_is_never_sent(client, device, app):
    ana, marta = device(SELLER), device(MANAGER)
    ana.protocol_version = 3
    quote, request = _pending(ana)
    assert _decide(client, marta, request["id"]).status_code == 200  # v1 approved, sendable
    newer = make_quote(lines=_DISCOUNTED, number=quote["number"], version=2)
    assert ana.push("save_quote", quote=newer)["status"] == "applied"
    delivery = delivery_args(quote, ana.upload(quote_pdf(quote)))
    sent = ana.push("send_quote", quote_id=quote["id"], delivery=delivery)
    assert (sent["status"], sent["code"], sent["key"]) == ("rejected", "invalid_transition", "problem.quote.replaced")
    assert sent["params"] == {"number": quote["number"], "version": 1, "newer": 2}
    assert ana.latest("quote", quote["id"])["status"] == "approved"  # nothing sent, nothing queued
    assert outbox_rows(app) == []


def test_a_customer_moved_to_a_colleague_is_read_only_for_its_old_seller(seed, device):
    ana = device(SELLER)
    draft = make_quote()
    assert ana.push("save_quote", quote=draft)["status"] == "applied"
    sent = sent_quote(ana)
    seed(lambda conn: make_customer(conn, CUSTOMER, OTHER_SELLER))  # moved to Carla
    ana.protocol_version = 3  # refusals with their message key
    for name, args in (
        ("save_quote", {"quote": make_quote()}),
        ("request_approval", {"request": approval_args(draft)}),
        ("send_quote", {"quote_id": draft["id"], "delivery": delivery_args(draft, ana.upload(quote_pdf(draft)))}),
        ("mark_quote", {"quote_id": sent["id"], "status": "accepted", "customer_po": "PO-9"}),
    ):
        result = ana.push(name, **args)
        assert (result["status"], result["key"]) == ("rejected", "problem.customer.moved"), (name, result)
    # Her own records stay readable: the quotes are still in what she pulls.
    assert ana.latest("quote", draft["id"])["status"] == "draft"
    assert ana.latest("quote", sent["id"])["status"] == "sent"


def test_a_device_issues_only_numbers_with_its_own_prefix(device):
    ana = device(SELLER)
    ana.protocol_version = 3
    assert ana.session["quote_prefix"] == "AG1"
    taken = ana.push("save_quote", quote=make_quote(number="AG2-2026-0001"))
    assert (taken["status"], taken["key"]) == ("rejected", "problem.quote.other_prefix")
    assert ana.push("save_quote", quote=make_quote(number="AG1-2026-0001"))["status"] == "applied"
    # A second device of the same seller takes the number further in a new version.
    phone = device(SELLER)
    first = make_quote(number="AG1-2026-0002")
    assert ana.push("save_quote", quote=first)["status"] == "applied"
    assert ana.push("request_approval", request=approval_args(first))["status"] == "applied"
    again = phone.push("save_quote", quote=make_quote(number="AG1-2026-0002", version=2))
    assert again["status"] == "applied", again
