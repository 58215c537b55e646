"""A quote started on a visit or for an opportunity carries the link through its versions and
the sync; the visit and the opportunity list their quotes; a lost quote keeps the
competitor's price per line and the customer's page shows it beside ours."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from client.services.customer360 import customer_360
from client.services.opportunities import create_opportunity, list_opportunities, pipeline, win_opportunity
from client.services.quote_answers import mark_accepted, mark_lost
from client.services.quote_links import quote_origin, quotes_for_visit
from client.services.quote_sending import send_quote
from client.services.quoting import add_line, edit_quote, save_quote, start_quote
from client.services.synchronization import sync_now
from client.services.team_visits import team_visit
from client.services.visits import check_in
from shared.errors import ValidationFailed
from sync_server.repository.tables import ENTITY_TABLES
from tests.client.quoting.world import CUSTOMER_EMAIL

D = Decimal


def _quote(session, **links):
    priced = start_quote(session, "C1", **links)
    priced = add_line(session, priced, "GUA-NIT-09", D(10), D(0))
    priced = add_line(session, priced, "TAL-18V-BL", D(1), D(5))
    return save_quote(session, priced)


def test_a_quote_from_a_visit_and_an_opportunity_keeps_both_links_through_versions_and_sync(server, ana):
    visit = check_in(ana, "C1")
    opportunity = create_opportunity(ana, "C1", "Guantes 2027", D(5000), probability_percent=D(40))
    first = _quote(ana, visit_id=visit.id, opportunity_id=opportunity.id)
    send_quote(ana, first.id, [CUSTOMER_EMAIL])
    second = save_quote(ana, edit_quote(ana, first.id))  # version 2 of a sent quote
    assert (second.version, second.visit_id, second.opportunity_id) == (2, visit.id, opportunity.id)
    origin = quote_origin(ana, second)
    assert (origin.visit_id, origin.visit_day, origin.opportunity) == (
        visit.id,
        visit.checked_in_at.date(),
        opportunity,
    )
    # The visit and the opportunity show the number once, at its latest version.
    [on_visit] = quotes_for_visit(ana, visit.id)
    [item] = list_opportunities(ana)
    assert (on_visit.number, on_visit.version, on_visit.status) == (first.number, 2, "draft")
    assert [(q.number, q.version) for q in item.quotes] == [(first.number, 2)]
    assert not item.suggests_won
    # The manager's reading of the visit lists the same quote, at its latest version.
    assert [(q.number, q.version) for q in team_visit(ana, visit.id).quotes] == [(first.number, 2)]
    sync_now(ana)
    with server.app.state.engine.connect() as conn:
        table = ENTITY_TABLES["quote"]
        stored = {r.version: r for r in conn.execute(sa.select(table).where(table.c.number == first.number))}
    assert {v: (r.visit_id, r.opportunity_id) for v, r in stored.items()} == {
        1: (str(visit.id), str(opportunity.id)),
        2: (str(visit.id), str(opportunity.id)),
    }
    with ana.store.read() as db:
        refused = db.execute("SELECT count(*) FROM sync_issues").fetchone()[0]
    assert refused == 0


def test_an_accepted_quote_suggests_winning_its_opportunity(server, ana):
    opportunity = create_opportunity(ana, "C1", "Taladros", D(800), probability_percent=D(60))
    quote = _quote(ana, opportunity_id=opportunity.id)
    send_quote(ana, quote.id, [CUSTOMER_EMAIL])
    mark_accepted(ana, quote.id)
    [item] = list_opportunities(ana)
    assert item.suggests_won and quote_origin(ana, quote).suggests_won
    assert win_opportunity(ana, opportunity.id).stage == "won"
    [item] = list_opportunities(ana)
    assert not item.suggests_won
    won = {s.stage: s for s in pipeline(ana).stages}["won"]
    assert (won.count, won.value, won.weighted) == (1, D("800.00"), D("800.00"))


def test_a_quote_cannot_start_on_a_visit_it_does_not_know(ana):
    with pytest.raises(ValidationFailed) as caught:
        start_quote(ana, "C1", visit_id=create_opportunity(ana, "C1", "X", D(1)).id)  # an id, but no visit
    assert caught.value.key == "problem.quote.visit_unknown"


def test_a_lost_quote_keeps_the_competitors_line_prices_and_the_customer_sees_them(server, ana):
    quote = _quote(ana)
    send_quote(ana, quote.id, [CUSTOMER_EMAIL])
    with pytest.raises(ValidationFailed) as caught:
        mark_lost(ana, quote.id, "price", line_prices={3: D("1")})
    assert caught.value.key == "problem.quote.competitor_line_unknown"
    lost = mark_lost(ana, quote.id, "competitor", competitor="Würth", line_prices={2: D("171.50"), 1: D("2.10")})
    assert [(p.line_no, p.sku, p.unit_price) for p in lost.competitor_lines] == [
        (1, "GUA-NIT-09", D("2.10")),
        (2, "TAL-18V-BL", D("171.50")),
    ]
    gaps = customer_360(ana, "C1").lost_to_competitors
    ours = {line.line_no: line.unit_price for line in quote.lines}
    assert [(g.competitor, g.sku, g.theirs, g.ours) for g in gaps] == [
        ("Würth", "GUA-NIT-09", D("2.10"), ours[1]),
        ("Würth", "TAL-18V-BL", D("171.50"), (ours[2] * D("0.95")).quantize(D("0.0001"))),  # 5 % off
    ]
    sync_now(ana)
    with server.app.state.engine.connect() as conn:
        table = ENTITY_TABLES["quote"]
        stored = conn.execute(sa.select(table.c.competitor_lines).where(table.c.id == str(quote.id))).scalar_one()
    assert stored == [
        {"line_no": 1, "sku": "GUA-NIT-09", "unit_price": "2.10"},
        {"line_no": 2, "sku": "TAL-18V-BL", "unit_price": "171.50"},
    ]
    # After the pull the device still shows the server's copy the same way.
    assert customer_360(ana, "C1").lost_to_competitors == tuple(gaps)
