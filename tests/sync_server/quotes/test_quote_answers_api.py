"""The customer's answer as the server records it (`mark_quote`): what an acceptance and a
loss carry, what is refused with a reason, and that only the latest version is answered
(SQLite and PostgreSQL)."""

from datetime import date, timedelta

from tests.sync_server.quotes.helpers import make_quote, sent_quote


def test_an_acceptance_carries_the_po_and_wanted_day_onto_the_quote_and_its_order(device):
    ana = device()
    quote = sent_quote(ana)
    wanted = (date.fromisoformat(quote["issue_date"]) + timedelta(days=7)).isoformat()
    result = ana.push(
        "mark_quote", quote_id=quote["id"], status="accepted", customer_po="PO 77", requested_delivery=wanted
    )
    assert result["status"] == "applied", result
    accepted = ana.latest("quote", quote["id"])
    [order] = [c["data"] for c in ana.pull_all() if c["entity"] == "order"]
    assert (accepted["customer_po"], accepted["requested_delivery"]) == ("PO 77", wanted)
    assert (order["customer_po"], order["requested_delivery"], order["quote_id"]) == ("PO 77", wanted, quote["id"])


def test_a_bad_answer_is_refused_by_name_and_the_next_one_applies(device):
    ana = device()
    quote = sent_quote(ana)
    day_before = (date.fromisoformat(quote["issue_date"]) - timedelta(days=1)).isoformat()
    refusals = [
        ({"status": "accepted", "requested_delivery": day_before}, f"is before {quote['issue_date']}"),
        ({"status": "accepted", "customer_po": "X" * 36}, "customer_po: String should have at most 35 characters"),
        ({"status": "lost", "lost_reason": "other"}, "needs a note saying what happened"),
        ({"status": "accepted", "lost_reason": "price"}, "lost_reason do not go with status accepted"),
        ({"status": "withdrawn", "customer_po": "PO 1"}, "customer_po do not go with status withdrawn"),
    ]
    for args, said in refusals:
        result = ana.push("mark_quote", quote_id=quote["id"], **args)
        assert (result["status"], result["code"]) == ("rejected", "validation_failed"), (args, result)
        assert said in result["detail"], (args, result)
    assert ana.latest("quote", quote["id"])["status"] == "sent"  # nothing half-written
    result = ana.push("mark_quote", quote_id=quote["id"], status="lost", lost_reason="other", lost_note="Went bust")
    assert result["status"] == "applied", result
    assert ana.latest("quote", quote["id"])["lost_note"] == "Went bust"


def test_only_the_latest_version_is_answered(device):
    ana = device()
    first = sent_quote(ana)
    second = make_quote(number=first["number"], version=2)
    assert ana.push("save_quote", quote=second)["status"] == "applied"
    result = ana.push("mark_quote", quote_id=first["id"], status="accepted")
    assert result["code"] == "invalid_transition" and "was replaced by v2" in result["detail"]
    assert ana.latest("quote", first["id"])["status"] == "sent"
