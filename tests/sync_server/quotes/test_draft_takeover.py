"""A customer moved to a colleague: her new seller takes over the old seller's drafts
(SQLite and PostgreSQL)."""

from sync_server.services.audit import AuditKind, list_events
from sync_server.services.transactions import read_transaction
from tests.sync_server.factories import make_customer
from tests.sync_server.quotes.helpers import CUSTOMER, OTHER_SELLER, SELLER, make_quote, sent_quote


def _moved(seed, device):
    """Ana's draft and sent quote for C1, then C1 moved to Carla; returns (ana, carla, draft)."""
    ana = device(SELLER)
    draft = make_quote(lines=[("GUA-NIT-09", "40", "5"), ("TAL-18V-BL", "1", "0")])
    assert ana.push("save_quote", quote=draft)["status"] == "applied"
    sent_quote(ana)  # not a draft: never offered
    seed(lambda conn: make_customer(conn, CUSTOMER, OTHER_SELLER))
    carla = device(OTHER_SELLER)
    carla.protocol_version = 3
    return ana, carla, draft


def _drafts(client, who, customer=CUSTOMER):
    return client.get(f"/v1/customers/{customer}/drafts", headers=who.headers)


def _copy(carla, draft, **kw):
    prefix = carla.session["quote_prefix"]
    return make_quote(
        lines=[("GUA-NIT-09", "40", "5"), ("TAL-18V-BL", "1", "0")],
        seller=OTHER_SELLER,
        number=kw.pop("number", f"{prefix}-2026-0001"),
        **kw,
    )


def test_the_new_seller_lists_the_old_sellers_drafts_and_takes_one_over(client, seed, device, app):
    ana, carla, draft = _moved(seed, device)
    listed = _drafts(client, carla)
    assert listed.status_code == 200, listed.text
    assert [(q["id"], q["seller_login"], q["status"]) for q in listed.json()] == [(draft["id"], SELLER, "draft")]
    copy = _copy(carla, draft)
    taken = carla.push("take_over_draft", source_quote_id=draft["id"], quote=copy)
    assert taken["status"] == "applied", taken
    stored = carla.latest("quote", copy["id"])
    assert (stored["seller_login"], stored["number"], stored["version"]) == (OTHER_SELLER, copy["number"], 1)
    assert ana.latest("quote", draft["id"])["status"] == "draft"  # Ana's record stays as it was
    assert _drafts(client, carla).json() == []  # taken over once
    with read_transaction(app.state.engine) as conn:
        [event] = list_events(conn, kinds=[AuditKind.DRAFT_TAKEN_OVER])
    assert (event.login, event.subject) == (OTHER_SELLER, draft["id"])
    assert event.detail == f"{draft['number']} v1 of {SELLER} → {copy['number']} for {CUSTOMER}"
    again = carla.push("take_over_draft", source_quote_id=draft["id"], quote=_copy(carla, draft, number=None))
    assert (again["status"], again["key"]) == ("rejected", "problem.takeover.already")


def test_the_old_seller_cannot_list_or_take_over_and_a_copy_is_the_new_sellers_own(client, seed, device):
    ana, carla, draft = _moved(seed, device)
    ana.protocol_version = 3
    refused = _drafts(client, ana)
    assert (refused.status_code, refused.json()["key"]) == (403, "problem.customer.moved")
    own = ana.push("take_over_draft", source_quote_id=draft["id"], quote=make_quote())
    assert (own["status"], own["key"]) == ("rejected", "problem.takeover.own_draft")
    prefix = carla.session["quote_prefix"]
    cases = [
        (_copy(carla, draft, number="AG1-2026-0099"), "problem.quote.other_prefix"),  # Ana's numbers stay Ana's
        (_copy(carla, draft, number=f"{prefix}-2026-0002", version=2), "problem.takeover.not_a_copy"),
        (_copy(carla, draft, number=f"{prefix}-2026-0003", id=draft["id"]), "problem.takeover.not_a_copy"),
    ]
    for copy, key in cases:
        result = carla.push("take_over_draft", source_quote_id=draft["id"], quote=copy)
        assert (result["status"], result["key"]) == ("rejected", key), (copy["number"], result)
    assert _drafts(client, carla).json()[0]["id"] == draft["id"]  # still there to take over


def test_only_a_draft_is_taken_over(client, seed, device):
    ana = device(SELLER)
    sent = sent_quote(ana)
    seed(lambda conn: make_customer(conn, CUSTOMER, OTHER_SELLER))
    carla = device(OTHER_SELLER)
    carla.protocol_version = 3
    result = carla.push("take_over_draft", source_quote_id=sent["id"], quote=_copy(carla, sent))
    assert (result["status"], result["key"]) == ("rejected", "problem.takeover.not_a_draft")
    assert _drafts(client, carla, "NO-SUCH").status_code == 404
