"""The kept snapshot (figures kept per seller, updated from the change log) equals the snapshot
computed from all the records at once, after any changes, on SQLite and PostgreSQL."""

import random
from datetime import timedelta

import sqlalchemy as sa

from shared.models import QuoteStatus
from shared.protocol import activity_bucket, portfolio_bucket
from shared.rules.metric_filters import MetricFilter
from sync_server.repository import metric_parts as store
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record
from sync_server.repository.tables import metric_parts
from sync_server.services.metric_filtered import filtered_snapshot
from sync_server.services.metric_kept import keep_up, kept_snapshot, update_kept
from sync_server.services.metrics import snapshot_for
from tests.shared.rules import metric_factories as f
from tests.sync_server.metrics_dataset import NOW, REGION, TEAM, seed_metrics, seed_region

SELLERS = ("ana", "bea", "omar")
CUSTOMERS = {"ana": ("C1", "C2"), "bea": ("C3", "C4"), "omar": ("C9",)}


def _kept(engine, sellers=TEAM, now=NOW):
    with write_transaction(engine) as conn:
        return kept_snapshot(conn, list(sellers), now, "EUR")


def _full(engine, sellers=TEAM, now=NOW):
    with engine.connect() as conn:
        return snapshot_for(conn, list(sellers), now, "EUR")


def _seeded(engine):
    with write_transaction(engine) as conn:
        seed_metrics(conn)


def test_the_kept_snapshot_is_the_computed_one(engine):
    _seeded(engine)
    for sellers in (TEAM, ["bea"], ["omar", "ana"]):
        assert _kept(engine, sellers) == _full(engine, sellers)
    # asked again, it adds up what it kept
    assert _kept(engine) == _full(engine)


def test_the_kept_teams_are_the_computed_ones(engine):
    _seeded(engine)
    with write_transaction(engine) as conn:
        seed_region(conn)
    kept = _kept(engine, REGION)
    assert kept == _full(engine, REGION)
    assert [t["code"] for t in kept["teams"]] == ["NORTE", "REGION", "SUR"]


def _random_changes(conn, rng: random.Random, round_no: int) -> None:
    """A handful of what devices push: quotes (new numbers, new versions, by another seller
    too), leads, visits, lost sales, opportunities, approval requests and decisions."""
    # a third of the rounds of the day itself (its own slice), the others of any earlier day
    day = NOW.date() - timedelta(days=rng.choice((0, rng.randrange(0, 80), rng.randrange(0, 80))))
    for n in range(rng.randrange(2, 6)):
        seller = rng.choice(SELLERS)
        # mostly her own customers, sometimes one another seller holds (her visit moves his dormancy)
        customer = rng.choice(CUSTOMERS[seller] if rng.random() < 0.6 else CUSTOMERS[rng.choice(SELLERS)])
        kind = rng.randrange(7 if round_no % 4 else 8)  # ERP data now and then: it remakes every part
        if kind == 0:
            status = rng.choice([s.value for s in QuoteStatus])
            q = f.quote(f"R{round_no}-{n}", 1, status, day.isoformat(), seller=seller, customer=customer,
                        net=str(rng.randrange(1, 500)), lines=(f.line(1, "GUA", "2", str(rng.randrange(5, 15))),),
                        fired=rng.choice([(), ("credit_warning",), ("credit_blocked",)]),
                        lost_reason=rng.choice(["delay", "stock"]) if status == "lost" else None)  # fmt: skip
            put_record(conn, q, activity_bucket(seller))
        elif kind == 1:  # a later version of a known number, maybe by another seller
            number = rng.choice(["A-1", "A-2", "A-3", "B-1"])
            status = rng.choice(["accepted", "lost", "sent", "withdrawn"])
            q = f.quote(number, 5 + round_no, status, NOW.date().isoformat(), seller=seller, customer="C1",
                        lines=(f.line(1, rng.choice(["GUA", "CAS"]), str(rng.randrange(1, 9)), "12.5"),),
                        lost_reason="stock" if status == "lost" else None)  # fmt: skip
            put_record(conn, q, activity_bucket(seller))
        elif kind == 2:
            lead = f.lead(rng.choice(["web_form", "phone", "fair"]), rng.choice(["new", "contacted", "converted"]),
                          day=day.isoformat(), seller=seller)  # fmt: skip
            put_record(conn, lead, activity_bucket(seller))
        elif kind == 3:
            put_record(conn, f.visit(day.isoformat(), customer, seller=seller), activity_bucket(seller))
        elif kind == 4:
            lost = f.lost_sale(rng.choice(["GUA", "CAS"]), "2", "7", rng.choice(["EUR", "USD", "CHF"]), seller=seller)
            put_record(conn, lost, activity_bucket(seller))  # recorded now: arrives in this month
        elif kind == 5:
            opportunity = f.opportunity(customer, rng.choice(["lead", "proposal", "won"]), "300", seller=seller)
            put_record(conn, opportunity, activity_bucket(seller))
        elif kind == 6:  # a request and, sometimes, its decision
            request = f.request(f.uid(), f.at(day.isoformat(), rng.randrange(8, 18)), ("credit_warning",))
            put_record(conn, request.model_copy(update={"requested_by": seller}), activity_bucket(seller))
            if rng.random() < 0.5:
                decision = f.decision(request.id, f.at(day.isoformat(), 19))
                put_record(conn, decision, activity_bucket(seller))
        else:  # ERP data: an invoice that makes a customer buy again
            number = f"FR-{round_no}-{n}"
            put_record(conn, f.invoice(number, day.isoformat(), customer, net="10"), portfolio_bucket(None))
            put_record(conn, f.invoice_line(number, 1, "CAS", "1", "10", "5"), portfolio_bucket(None))


def test_the_kept_snapshot_equals_a_full_recompute_after_random_changes(engine):
    _seeded(engine)
    assert _kept(engine) == _full(engine)
    rng = random.Random(16)
    for round_no in range(12):
        with write_transaction(engine) as conn:
            _random_changes(conn, rng, round_no)
        now = NOW + timedelta(hours=round_no)
        assert _kept(engine, now=now) == _full(engine, now=now), f"round {round_no}"
        assert _kept(engine, ["bea"], now=now) == _full(engine, ["bea"], now=now), f"round {round_no}"
        for where in (MetricFilter("oem"), MetricFilter(category="GLOVES")):  # the parts kept per filter
            with write_transaction(engine) as conn:
                kept = kept_snapshot(conn, list(TEAM), now, "EUR", where)
            with engine.connect() as conn:
                assert kept == filtered_snapshot(conn, list(TEAM), now, "EUR", where), f"round {round_no} {where}"


BEFORE_TODAY, TODAY = "2026-03-01/2026-03-19", "2026-03-20/2026-03-20"
"""The slices of NOW's month: its days before NOW's and NOW's day."""


def _made(conn, name):
    return {(login, at) for (login, _), (_, at) in store.read_parts(conn, ["ana", "bea"], [name]).items()}


def test_a_push_remakes_only_its_sellers_parts(engine):
    _seeded(engine)
    _kept(engine)
    with write_transaction(engine) as conn:
        put_record(conn, f.lead("phone", day="2026-03-19", seller="bea"), activity_bucket("bea"))
    later = NOW + timedelta(minutes=5)
    with write_transaction(engine) as conn:
        assert update_kept(conn, later, "EUR") == {"bea"}
        assert _made(conn, BEFORE_TODAY) == {("ana", NOW), ("bea", later)}
        # nothing new: nothing to do
        assert update_kept(conn, later, "EUR") == set()
    assert _kept(engine, now=later) == _full(engine, now=later)


def test_a_push_of_the_day_remakes_only_the_days_slice(engine):
    _seeded(engine)
    _kept(engine)
    with write_transaction(engine) as conn:
        put_record(conn, f.lead("phone", day="2026-03-20", seller="bea"), activity_bucket("bea"))
    later = NOW + timedelta(minutes=5)
    with write_transaction(engine) as conn:
        assert update_kept(conn, later, "EUR") == {"bea"}
        assert _made(conn, TODAY) == {("ana", NOW), ("bea", later)}
        assert _made(conn, BEFORE_TODAY) == {("ana", NOW), ("bea", NOW)}
    assert _kept(engine, now=later) == _full(engine, now=later)


def test_the_job_forgets_the_slices_of_days_gone(engine):
    _seeded(engine)
    _kept(engine)
    with write_transaction(engine) as conn:  # a filter's parts too
        kept_snapshot(conn, list(TEAM), NOW, "EUR", MetricFilter("oem"))
        names = conn.execute(sa.select(metric_parts.c.part).where(metric_parts.c.seller_login == "ana")).scalars()
        assert any(name.startswith(TODAY + store.FILTERED) for name in names)
    tomorrow = NOW + timedelta(days=1)
    keep_up(engine, tomorrow, "EUR")
    with engine.connect() as conn:
        names = list(conn.execute(sa.select(metric_parts.c.part)).scalars())
    assert not [name for name in names if name.startswith((BEFORE_TODAY, TODAY))]
    with write_transaction(engine) as conn:
        names = {name for (_, name) in store.read_parts(conn, ["ana"], [BEFORE_TODAY, TODAY, "2026-03-01/2026-03-20",
                                                                          "2026-03-21/2026-03-21"])}  # fmt: skip
    assert names == {"2026-03-01/2026-03-20", "2026-03-21/2026-03-21"}
    assert _kept(engine, now=tomorrow) == _full(engine, now=tomorrow)


def test_the_readings_of_now_are_made_again_on_a_new_day(engine):
    _seeded(engine)
    _kept(engine)
    # C4 last bought on 2025-08-01: dormant on the 20th of March; a day later the figures of
    # the day before would still be right, but dormancy and the year of purchases are a day's
    tomorrow = NOW + timedelta(days=1)
    assert _kept(engine, now=tomorrow) == _full(engine, now=tomorrow)
    with write_transaction(engine) as conn:
        kept = store.read_parts(conn, ["bea"], ["now", "gaps"])
    assert {at for _, at in kept.values()} == {tomorrow}


def test_the_job_remakes_every_part_after_erp_data_changed(engine):
    _seeded(engine)
    _kept(engine)
    with write_transaction(engine) as conn:  # an import: C2 bought again, it is no longer dormant
        put_record(conn, f.invoice("F-9", "2026-03-18", "C2", net="10"), portfolio_bucket(None))
    later = NOW + timedelta(minutes=1)
    keep_up(engine, later, "EUR")
    with write_transaction(engine) as conn:
        kept = store.read_parts(conn, ["ana", "bea", "marta"], [BEFORE_TODAY, "now", "gaps"])
        assert len(kept) == 9 and {at for _, at in kept.values()} == {later}
    snapshot = _kept(engine, now=later + timedelta(minutes=1))
    assert snapshot == _full(engine, now=later + timedelta(minutes=1))
    assert snapshot["now"]["all"]["dormant"]["customers"] == 1
