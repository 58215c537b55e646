"""A quote's visit and opportunity, and the competitor's price per line of a lost quote, as
the server checks and keeps them (SQLite and PostgreSQL)."""

import uuid
from datetime import UTC, datetime

from tests.sync_server.factories import make_customer
from tests.sync_server.quotes.helpers import CUSTOMER, OTHER_CUSTOMER, OTHER_SELLER, SELLER, make_quote, sent_quote


def _visit(customer: str = CUSTOMER, seller: str = SELLER) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "customer_code": customer,
        "seller_login": seller,
        "checked_in_at": datetime.now(UTC).isoformat(),
    }


def _opportunity(customer: str = CUSTOMER, seller: str = SELLER) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "customer_code": customer,
        "seller_login": seller,
        "title": "Guantes 2027",
        "currency": "EUR",
        "value": "5000",
        "probability_percent": "40",
    }


def test_a_quote_keeps_its_visit_and_opportunity_in_every_version(device):
    ana = device()
    visit, opportunity = _visit(), _opportunity()
    assert ana.push("record_visit", visit=visit)["status"] == "applied"
    assert ana.push("save_opportunity", opportunity=opportunity)["status"] == "applied"
    first = sent_quote(ana, visit_id=visit["id"], opportunity_id=opportunity["id"])
    second = make_quote(number=first["number"], version=2, visit_id=visit["id"], opportunity_id=opportunity["id"])
    assert ana.push("save_quote", quote=second)["status"] == "applied"
    for quote in (first, second):
        stored = ana.latest("quote", quote["id"])
        assert (stored["visit_id"], stored["opportunity_id"]) == (visit["id"], opportunity["id"])


def test_links_to_another_customer_or_seller_or_nothing_are_refused_by_name(device, seed):
    seed(lambda conn: make_customer(conn, "C9", SELLER))
    ana, carla = device(), device(OTHER_SELLER)
    ana.protocol_version = 2  # an app that reads the refusal's words
    colleagues = _opportunity(customer=OTHER_CUSTOMER, seller=OTHER_SELLER)
    assert carla.push("save_opportunity", opportunity=colleagues)["status"] == "applied"
    visit_to_c9, mine_with_c9 = _visit(customer="C9"), _opportunity(customer="C9")
    assert ana.push("record_visit", visit=visit_to_c9)["status"] == "applied"
    assert ana.push("save_opportunity", opportunity=mine_with_c9)["status"] == "applied"
    refusals = [
        ({"visit_id": str(uuid.uuid4())}, "validation_failed", "problem.quote.visit_unknown"),
        ({"visit_id": visit_to_c9["id"]}, "validation_failed", "problem.quote.visit_other_customer"),
        ({"opportunity_id": str(uuid.uuid4())}, "validation_failed", "problem.quote.opportunity_unknown"),
        ({"opportunity_id": colleagues["id"]}, "out_of_scope", "problem.quote.opportunity_not_yours"),
        ({"opportunity_id": mine_with_c9["id"]}, "validation_failed", "problem.quote.opportunity_other_customer"),
    ]
    for links, code, key in refusals:
        quote = make_quote(**links)
        result = ana.push("save_quote", quote=quote)
        assert (result["status"], result["code"], result.get("key")) == ("rejected", code, key), (links, result)
        assert ana.latest("quote", quote["id"]) is None  # nothing half-written


def test_a_lost_quote_keeps_the_competitors_price_per_line(device):
    ana = device()
    ana.protocol_version = 2
    quote = sent_quote(ana, lines=[("GUA-NIT-09", "100", "0"), ("TAL-18V-BL", "2", "5")])
    bad = [
        ([{"line_no": 3, "sku": "GUA-NIT-09", "unit_price": "2"}], "problem.quote.competitor_line_unknown"),
        ([{"line_no": 1, "sku": "GUA-NIT-09", "unit_price": "-2"}], "problem.quote.competitor_line_negative"),
        ([{"line_no": "one", "sku": "GUA-NIT-09", "unit_price": "2"}], "problem.quote.competitor_lines_shape"),
        ([{"line_no": 1, "sku": "GUA-NIT-09", "unit_price": "NaN"}], "problem.quote.competitor_lines_shape"),
    ]
    for lines, key in bad:
        result = ana.push(
            "mark_quote", quote_id=quote["id"], status="lost", lost_reason="price", competitor_lines=lines
        )
        assert (result["status"], result.get("key")) == ("rejected", key), (lines, result)
    assert ana.latest("quote", quote["id"])["status"] == "sent"
    result = ana.push(
        "mark_quote",
        quote_id=quote["id"],
        status="lost",
        lost_reason="competitor",
        competitor="Würth",
        competitor_lines=[
            {"line_no": 2, "sku": "TAL-18V-BL", "unit_price": "171.50"},
            {"line_no": 1, "sku": "GUA-NIT-09", "unit_price": "2.10"},
        ],
    )
    assert result["status"] == "applied", result
    lost = ana.latest("quote", quote["id"])
    assert lost["competitor_lines"] == [
        {"line_no": 1, "sku": "GUA-NIT-09", "unit_price": "2.10"},
        {"line_no": 2, "sku": "TAL-18V-BL", "unit_price": "171.50"},
    ]


def test_a_lost_opportunity_keeps_who_won_it_at_what_price(device):
    ana = device()
    opportunity = _opportunity()
    assert ana.push("save_opportunity", opportunity=opportunity)["status"] == "applied"
    lost = {
        **opportunity,
        "stage": "lost",
        "lost_reason": "competitor",
        "competitor": "Würth",
        "competitor_price": "4200",
    }
    assert ana.push("save_opportunity", opportunity=lost, base_version=1)["status"] == "applied"
    stored = ana.latest("opportunity", opportunity["id"])
    assert (stored["competitor"], stored["competitor_price"]) == ("Würth", "4200")
