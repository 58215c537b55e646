"""Every metric of the snapshot against a hand-built dataset with known answers, on SQLite and
PostgreSQL (one suite: the `engine` fixture runs each test on both)."""

from shared.protocol import activity_bucket
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record
from sync_server.services.metrics import snapshot_for
from tests.shared.rules import metric_factories as f
from tests.sync_server.metrics_dataset import NOW, REGION, TEAM, seed_metrics, seed_region


def _snapshot(engine, sellers=TEAM):
    with write_transaction(engine) as conn:
        seed_metrics(conn)
    with engine.connect() as conn:
        return snapshot_for(conn, sellers, NOW, "EUR")


def test_the_team_figures_of_the_month_are_the_known_answers(engine):
    snap = _snapshot(engine)
    assert snap["as_of"] == "2026-03-20T12:00:00+00:00"
    assert snap["periods"]["month"] == {
        "current": ["2026-03-01", "2026-03-31"],
        "previous": ["2026-02-01", "2026-02-28"],
    }
    assert snap["periods"]["quarter"]["previous"] == ["2025-10-01", "2025-12-31"]
    march = snap["figures"]["month"]["current"]["all"]
    assert march["leads"] == {
        "leads": 3, "managed": 2, "rate": "66.7",
        "channels": [["phone", 1, 1, "100.0"], ["web_form", 2, 1, "50.0"]],
    }  # fmt: skip
    # A-1 waited 1 day (lead on the 1st), A-2 4 days (visit on the 6th); A-3 and B-1 unmeasured
    assert march["first_quote"] == {"count": 2, "median": "2.5", "average": "2.5", "unmeasured": 2}
    # A-1 v1 decided in 4 h; bea's request waits since the 15th 10:00 (122 h by the 20th 12:00)
    assert march["approval"] == {
        "decided": 1, "median": "4.0", "average": "4.0", "pending": 1, "oldest_pending": "122.0",
        "rules": [["credit_blocked", 1, "4.0"]],
    }  # fmt: skip
    # A-1 (two versions), A-2, A-3, B-1: A-0 is February's, omar's S-1 another team's
    assert march["quotes"] == {
        "quotes": 4, "versions": 5, "offered": 3, "sellers": [["ana", 3, 4, 3], ["bea", 1, 1, 0]],
    }  # fmt: skip
    # offered: A-1 accepted, A-2 never answered, A-3 lost
    assert march["conversion"] == {
        "offered": 3, "accepted": 1, "lost": 1, "expired": 0, "withdrawn": 0, "unanswered": 1, "rate": "33.3",
    }  # fmt: skip
    assert march["prices"] == {"products": 1}
    # quoted 100 with 40 margin; invoiced 95 − 9.5 credit note = 85.5 with 29.7 margin
    assert march["margin"] == {"currencies": [["EUR", 1, "100.00", "40.00", "85.5", "34.74", "5.26"]], "leak": "5.26"}
    # 23.75 EUR + 100 USD × 0.92; 80 CHF had only a stale rate: apart
    assert march["lost_stock"] == {"lines": 3, "value": "115.75", "unconverted": [["CHF", "80.00"]], "products": 2}
    assert march["credit"] == {
        "quotes": 1, "customers": 1, "blocked": 1, "warning": 0, "went_on": 1, "accepted": 1,
    }  # fmt: skip
    assert march["lost_reasons"] == {"lost": 1, "reasons": [["price", 1]]}


def test_the_previous_month_holds_what_was_first_offered_then(engine):
    february = _snapshot(engine)["figures"]["month"]["previous"]["all"]
    # A-0 first offered on 20 February, accepted on its v2 in March: February's conversion
    assert february["conversion"]["offered"] == 1 and february["conversion"]["rate"] == "100.0"
    assert february["leads"]["leads"] == 1 and february["leads"]["rate"] == "100.0"
    assert february["lost_stock"]["value"] == "40.00"
    assert "rows" not in february


def test_each_sellers_figures_count_her_own_work(engine):
    current = _snapshot(engine)["figures"]["month"]["current"]
    assert set(current) == {"all", "ana", "bea", "marta"}
    assert current["ana"]["quotes"]["quotes"] == 3 and current["bea"]["quotes"]["quotes"] == 1
    # A-2 on C3 stays ana's work although bea holds C3 now
    assert [row[0] for row in current["ana"]["rows"]["conversion"]["rows"]] == ["A-1", "A-2", "A-3"]
    assert current["bea"]["lost_stock"]["unconverted"] == [["CHF", "80.00"]]
    assert current["marta"]["quotes"]["quotes"] == 0


def test_the_readings_of_now_count_customers_with_who_holds_them(engine):
    now = _snapshot(engine)["now"]
    # open: ana's opportunity on C3 (bea's now, 500 EUR at 80 %), C4's 100 USD at 50 %, C2's 200 CHF (no rate)
    assert {k: v for k, v in now["all"]["pipeline"].items() if k != "sellers"} == {
        "customers": 4, "with_open": 3, "open": 3, "value": "592.00", "weighted": "446.00",
        "unconverted": [["CHF", "200"]],
    }  # fmt: skip
    assert now["all"]["pipeline"]["sellers"] == [["ana", 2, 1, "0.00", 1], ["bea", 2, 2, "592.00", 0]]
    # C2 last bought in June 2025 and nobody went back; C4 (August) was visited in March;
    # C3's only invoice is a credit note: never bought, not dormant
    assert now["all"]["dormant"] == {"customers": 2, "followed_up": 1}
    assert [row[0] for row in now["all"]["rows"]["dormant"]["rows"]] == ["C2", "C4"]
    # six of the nine oem customers buy gloves: C2 and C3 do not (75 % of their peers do)
    assert now["all"]["unpenetrated"] == {"gaps": 2, "customers": 2, "categories": [["GLOVES", 2]]}
    assert now["bea"]["unpenetrated"]["gaps"] == 1 and now["bea"]["dormant"]["customers"] == 1


def test_the_records_behind_each_number(engine):
    rows = _snapshot(engine)["figures"]["month"]["current"]["all"]["rows"]
    assert rows["prices"]["rows"] == [["GUA", "oem", "EUR", 1, "10.0000", 1, "11.0000", 1, "9.5000"]]
    assert rows["first_quote"]["rows"][0][:4] == ["A-1", "C1", "Cliente C1", 1]
    assert rows["margin"]["rows"] == [["A-1", "C1", "EUR", "40.00", "34.74", "5.26", "ana"]]
    assert rows["lost_reasons"]["rows"] == [["A-3", "C1", "Cliente C1", "price", "EUR", "55", "ana"]]
    assert rows["credit"]["rows"] == [["A-1", "C1", "Cliente C1", "credit_blocked", "accepted", "ana"]]
    assert [r[0] for r in rows["lost_stock"]["rows"]] == ["GUA", "CAS", "CAS"]
    assert {r[0] for r in rows["leads"]["rows"]} == {"Talleres Ruiz"} and rows["leads"]["total"] == 3


def test_a_seller_alone_sees_one_scope(engine):
    snap = _snapshot(engine, ["bea"])
    assert set(snap["figures"]["month"]["current"]) == {"all"}
    assert snap["figures"]["month"]["current"]["all"]["quotes"]["quotes"] == 1
    assert snap["sellers"] == [{"login": "bea", "name": "Bea", "last_sync": None}]


def test_each_team_in_view_is_its_sellers_added_up(engine):
    with write_transaction(engine) as conn:
        seed_metrics(conn)
        seed_region(conn)
    with engine.connect() as conn:
        region = snapshot_for(conn, REGION, NOW, "EUR")
        alone = {code: snapshot_for(conn, sellers, NOW, "EUR") for code, sellers in
                 (("NORTE", TEAM), ("SUR", ["omar"]), ("REGION", REGION))}  # fmt: skip
    assert region["teams"] == [
        {"code": "NORTE", "name": "Equipo NORTE", "parent_code": "REGION", "sellers": ["ana", "bea", "marta"]},
        {"code": "REGION", "name": "Equipo REGION", "parent_code": None, "sellers": REGION},
        {"code": "SUR", "name": "Equipo SUR", "parent_code": "REGION", "sellers": ["omar"]},
    ]
    assert set(region["figures"]["month"]["current"]) == {"all", *REGION, "team:NORTE", "team:REGION", "team:SUR"}
    # a team's figures are those of a snapshot of its sellers alone: every period, both sides, now
    for code, snap in alone.items():
        for period in ("month", "quarter"):
            for side in ("current", "previous"):
                assert region["figures"][period][side][f"team:{code}"] == snap["figures"][period][side]["all"]
        assert region["now"][f"team:{code}"] == snap["now"]["all"]
    march = region["figures"]["month"]["current"]
    assert march["team:NORTE"]["quotes"]["quotes"] == 4 and march["team:SUR"]["quotes"]["quotes"] == 1
    assert march["team:REGION"] == march["all"]
    # NORTE's manager sees one team: no team scopes
    assert alone["NORTE"]["teams"] == [] and not any(k.startswith("team:") for k in alone["NORTE"]["now"])


def test_a_quote_lost_for_stock_counts_in_the_sales_lost_for_stock(engine):
    lost = f.quote(
        "A-4", 1, "lost", "2026-03-16", customer="C1", net="30", lost_reason="stock",
        lines=(f.line(1, "GUA", "4", "10", discount="25"),),
    )  # fmt: skip
    with write_transaction(engine) as conn:
        seed_metrics(conn)
        put_record(conn, lost, activity_bucket("ana"))
    with engine.connect() as conn:
        march = snapshot_for(conn, TEAM, NOW, "EUR")["figures"]["month"]["current"]["all"]
    # the dataset's 115.75 EUR, and A-4's 4 gloves at 7.50
    assert march["lost_stock"] == {"lines": 4, "value": "145.75", "unconverted": [["CHF", "80.00"]], "products": 2}
    assert ["GUA", "C1", "Cliente C1", "4", "EUR", "30.00", "2026-03-16", "ana"] in march["rows"]["lost_stock"]["rows"]
    assert ["stock", 1] in march["lost_reasons"]["reasons"]
