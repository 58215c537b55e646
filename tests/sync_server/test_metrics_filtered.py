"""The dashboard narrowed to a segment or a top-level category: the hand-built team's known
answers (tests/sync_server/metrics_dataset.py), on SQLite and PostgreSQL.

Segments: C1, C2, C3 and C9 are "oem", C4 "retail". Categories: GUA is a nitrile glove
(GLV-NIT, under GLOVES), CAS a cable (CABLE). In March NORTE offered A-1 (C1, gloves), A-2
(C3, no lines), A-3 (C1, gloves, lost) and B-1 (C4, no lines, waiting for approval)."""

import pytest

from shared.errors import NotFound
from shared.models import Role
from shared.protocol import activity_bucket
from shared.rules.metric_filters import EVERYTHING, MetricFilter
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record
from sync_server.services.auth import Principal
from sync_server.services.metric_filtered import build_filtered_snapshot, filtered_snapshot
from sync_server.services.metric_kept import build_kept_snapshot, kept_snapshot
from sync_server.services.metrics import snapshot_for
from tests.shared.rules import metric_factories as f
from tests.sync_server.metrics_dataset import NOW, TEAM, seed_metrics

MARTA = Principal(login="marta", role=Role.MANAGER, client_id="d1", team_code="NORTE")


@pytest.fixture
def seeded(engine):
    with write_transaction(engine) as conn:
        seed_metrics(conn)
    return engine


def _narrowed(engine, segment=None, category=None):
    with engine.connect() as conn:
        return filtered_snapshot(conn, TEAM, NOW, "EUR", MetricFilter(segment, category))


def _march(snapshot, scope="all"):
    return snapshot["figures"]["month"]["current"][scope]


def test_no_filter_is_the_whole_snapshot(seeded):
    with seeded.connect() as conn:
        assert _narrowed(seeded) == snapshot_for(conn, TEAM, NOW, "EUR")


FILTERS = [MetricFilter("oem"), MetricFilter("retail"), MetricFilter(category="GLOVES"), MetricFilter("oem", "CABLE")]


@pytest.mark.parametrize("where", FILTERS)
def test_the_kept_narrowed_snapshot_is_the_computed_one(seeded, where):
    with write_transaction(seeded) as conn:
        assert kept_snapshot(conn, TEAM, NOW, "EUR", where) == filtered_snapshot(conn, TEAM, NOW, "EUR", where)
    with write_transaction(seeded) as conn:  # asked again: added up from what it kept
        assert kept_snapshot(conn, TEAM, NOW, "EUR", where) == filtered_snapshot(conn, TEAM, NOW, "EUR", where)


@pytest.mark.parametrize(
    ("segment", "category", "quotes", "leads", "decided", "pending", "accepted", "lost", "lost_stock_lines"),
    [
        (None, None, 4, 3, 1, 1, 1, 1, 3),
        ("oem", None, 3, 0, 1, 0, 1, 1, 3),  # every lost sale is C1's (oem)
        ("retail", None, 1, 0, 0, 1, 0, 0, 0),
        (None, "GLOVES", 2, 0, 1, 0, 1, 1, 1),  # the GUA lost sale of March
        (None, "CABLE", 0, 0, 0, 0, 0, 0, 2),  # no quote has a cable; two cables lost to stock
        ("retail", "GLOVES", 0, 0, 0, 0, 0, 0, 0),
    ],
)
def test_a_filter_keeps_the_records_of_its_segment_or_category(
    seeded, segment, category, quotes, leads, decided, pending, accepted, lost, lost_stock_lines
):
    march = _march(_narrowed(seeded, segment, category))
    assert march["quotes"]["quotes"] == quotes
    assert march["leads"]["leads"] == leads  # a lead has no customer and no product
    assert (march["approval"]["decided"], march["approval"]["pending"]) == (decided, pending)
    assert march["conversion"]["accepted"] == accepted
    assert march["lost_reasons"]["lost"] == lost
    assert march["lost_stock"]["lines"] == lost_stock_lines
    assert march["rows"]["quotes"]["total"] == quotes  # the drill-down follows the filter


def test_quotes_by_segment_add_up_to_every_quote(seeded):
    every = {scope: figures["quotes"]["quotes"] for scope, figures in _narrowed(seeded)["figures"]["month"]["current"].items()}  # fmt: skip
    oem, retail = (_narrowed(seeded, s)["figures"]["month"]["current"] for s in ("oem", "retail"))
    assert {scope: oem[scope]["quotes"]["quotes"] + retail[scope]["quotes"]["quotes"] for scope in every} == every


def test_the_readings_of_now_follow_the_segment_and_have_no_category(seeded):
    whole, retail, gloves = _narrowed(seeded), _narrowed(seeded, "retail"), _narrowed(seeded, None, "GLOVES")
    assert whole["now"]["all"]["pipeline"]["customers"] == 4
    assert retail["now"]["all"]["pipeline"]["customers"] == 1  # C4's
    assert gloves["now"]["all"]["pipeline"]["customers"] == 0  # an opportunity has no product
    assert gloves["now"]["all"]["dormant"]["customers"] == 0
    # the oem customers of NORTE do not buy gloves while their peers all do: gaps in GLOVES only
    gaps = _narrowed(seeded, None, "CABLE")["now"]["all"]["unpenetrated"]
    assert gaps["gaps"] == 0
    assert gloves["now"]["all"]["unpenetrated"]["gaps"] == whole["now"]["all"]["unpenetrated"]["gaps"] > 0


def test_the_snapshot_offers_the_segments_and_top_level_categories_in_view(seeded):
    with write_transaction(seeded) as conn:
        choices = build_kept_snapshot(conn, MARTA, NOW, "EUR")["choices"]
    assert choices == {"segments": ["oem", "retail"], "categories": [["CABLE", "Cable"], ["GLOVES", "Gloves"]]}


@pytest.mark.parametrize(
    ("where", "key"),
    [
        (MetricFilter(segment="wholesale"), "problem.metrics.unknown_segment"),
        (MetricFilter(category="GLV-NIT"), "problem.metrics.unknown_category"),  # not a top-level one
    ],
)
def test_a_filter_outside_the_choices_is_refused_by_name(seeded, where, key):
    with seeded.connect() as conn, pytest.raises(NotFound) as refused:
        build_filtered_snapshot(conn, MARTA, NOW, "EUR", where)
    assert refused.value.key == key
    assert (where.segment or where.category) in refused.value.detail


def test_the_filtered_snapshot_names_its_filter_and_choices(seeded):
    with seeded.connect() as conn:
        snapshot = build_filtered_snapshot(conn, MARTA, NOW, "EUR", MetricFilter("oem", "GLOVES"))
    assert snapshot["filter"] == {"segment": "oem", "category": "GLOVES"}
    assert snapshot["choices"]["segments"] == ["oem", "retail"]
    assert EVERYTHING.is_any is False


@pytest.mark.parametrize(
    ("category", "lines", "value"),
    [
        (None, 5, "215.75"),  # the dataset's 3 (115.75 EUR) and A-4's glove and cable lines
        ("GLOVES", 2, "53.75"),  # the March GUA lost sale (23.75) and A-4's gloves (30)
        ("CABLE", 3, "162.00"),  # the two cables recorded (100 USD at 0.92 = 92; CHF apart) and A-4's 70
    ],
)
def test_a_quote_lost_for_stock_is_narrowed_line_by_line_by_category(seeded, category, lines, value):
    lost = f.quote(
        "A-4", 1, "lost", "2026-03-16", customer="C1", net="100", lost_reason="stock",
        lines=(f.line(1, "GUA", "4", "7.50"), f.line(2, "CAS", "1", "70")),
    )  # fmt: skip
    with write_transaction(seeded) as conn:
        put_record(conn, lost, activity_bucket("ana"))
        kept = kept_snapshot(conn, TEAM, NOW, "EUR", MetricFilter(category=category))
    march = _march(_narrowed(seeded, None, category))
    assert (march["lost_stock"]["lines"], march["lost_stock"]["value"]) == (lines, value)
    assert _march(kept)["lost_stock"] == march["lost_stock"]  # kept parts agree
