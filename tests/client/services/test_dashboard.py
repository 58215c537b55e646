"""The dashboard's service: the snapshot kept at each sync round (the real server, both
backends) and what the screen shows from it — tiles against the previous period, one seller,
the records behind a number and their CSV."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import httpx
import pytest

from client.i18n.families import DASHBOARD_COLUMNS, DASHBOARD_METRICS
from client.services.dashboard import (
    COLUMNS,
    METRICS,
    REFRESH_AFTER,
    TeamInView,
    choices_of,
    dashboard,
    drill,
    drill_csv,
    kept_snapshot,
    members_of,
    narrowed_snapshot,
    refresh_metrics,
    scopes_of,
    teams_of,
)
from client.services.session import Session, sign_in, sign_out
from client.services.synchronization import _refresh_dashboard, sync_now
from client.settings import ClientSettings
from client.sync import BadResponse, SyncApi
from shared.errors import NotFound
from shared.protocol import CATALOG_BUCKET
from sync_server.repository.database import make_engine, write_transaction
from sync_server.repository.records import put_record
from sync_server.services.metrics import snapshot_for
from tests.client.factories import make_product
from tests.client.servers import serve_in_process
from tests.servers import new_sqlite_database
from tests.sync_server.metrics_dataset import NOW, REGION, TEAM, seed_metrics, seed_region


@pytest.fixture
def metrics_server(database_url, tmp_path):
    with serve_in_process(database_url, tmp_path, seed_metrics) as client:
        yield client


def _device(server, tmp_path, login: str) -> Session:
    http = httpx.Client(base_url="http://testserver", transport=server._transport)
    session = sign_in(
        ClientSettings(data_dir=tmp_path / login), login, "secret-pass-1", api=SyncApi("", http_client=http)
    )
    sync_now(session)
    return session


@pytest.fixture
def marta(metrics_server, tmp_path) -> Iterator[Session]:
    session = _device(metrics_server, tmp_path, "marta")
    yield session
    sign_out(session)


def test_a_sync_round_keeps_the_managers_snapshot_for_the_dashboard_offline(marta, metrics_server):
    kept = kept_snapshot(marta)
    assert kept is not None
    assert scopes_of(kept) == ("all", "ana", "bea", "marta")
    marta.api.close()  # offline from here: the dashboard reads the device only
    shown = dashboard(kept, "month")
    assert [tile.metric for tile in shown.tiles] == list(METRICS)
    pipeline = next(tile for tile in shown.tiles if tile.metric == "pipeline")
    assert pipeline.is_now and pipeline.previous is None
    assert pipeline.value == D(kept["now"]["all"]["pipeline"]["value"])
    assert {s.login for s in shown.sellers} == {"ana", "bea", "marta"}
    assert next(s for s in shown.sellers if s.login == "marta").last_sync is not None
    assert drill(kept, "month", "bea", "pipeline").rows[0][-1] == "bea"


def test_a_fresh_snapshot_is_kept_and_a_failing_server_leaves_the_last_one(marta, monkeypatch):
    kept = kept_snapshot(marta)
    assert refresh_metrics(marta) is False  # fetched by the sync round a moment ago
    later = datetime.now(UTC) + REFRESH_AFTER + timedelta(seconds=1)

    def refuse():
        raise BadResponse("the server could not compute the figures")

    monkeypatch.setattr(marta.api, "metrics", refuse)
    with pytest.raises(BadResponse):
        refresh_metrics(marta, now=later)
    _refresh_dashboard(marta)  # inside a sync round: logged, the round goes on
    assert kept_snapshot(marta) == kept
    monkeypatch.undo()
    assert refresh_metrics(marta, now=later) is True


def test_a_sellers_device_keeps_her_own_figures_only(metrics_server, tmp_path):
    bea = _device(metrics_server, tmp_path, "bea")
    try:
        kept = kept_snapshot(bea)
        assert kept is not None and scopes_of(kept) == ("all",)
        assert [s.login for s in dashboard(kept, "quarter").sellers] == ["bea"]
        assert {row[-1] for row in drill(kept, "month", "all", "dormant").rows} == {"bea"}
    finally:
        sign_out(bea)


def _snapshot_of(tmp_path_factory, sellers: list[str], *, region: bool = False) -> dict:
    path = tmp_path_factory.mktemp("metrics") / "server.db"
    new_sqlite_database(path)
    engine = make_engine(f"sqlite:///{path.as_posix()}")
    with write_transaction(engine) as conn:
        seed_metrics(conn)
        if region:
            seed_region(conn)
    with engine.connect() as conn:
        found = snapshot_for(conn, sellers, NOW, "EUR")
    engine.dispose()
    return found


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> dict:
    """The hand-built dataset's snapshot at its fixed "now" (docs/metrics.md's known answers)."""
    return _snapshot_of(tmp_path_factory, TEAM)


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> dict:
    """A regional director's snapshot: NORTE (ana, bea, marta) and SUR (omar) under REGION (rosa)."""
    return _snapshot_of(tmp_path_factory, REGION, region=True)


def test_tiles_carry_the_previous_period_beside(snapshot):
    shown = dashboard(snapshot, "month")
    tiles = {tile.metric: tile for tile in shown.tiles}
    assert (tiles["conversion"].value, tiles["conversion"].previous) == (D("33.3"), D("100.0"))
    assert (tiles["lost_stock"].value, tiles["lost_stock"].previous) == (D("115.75"), D("40.00"))
    assert tiles["lost_stock"].detail["unconverted"] == [["CHF", "80.00"]]
    assert tiles["margin"].value == D("5.26")
    assert shown.period == ("2026-03-01", "2026-03-31") and shown.as_of == NOW
    assert shown.channels == (("phone", 1, 1), ("web_form", 2, 1))
    assert shown.conversion_by_seller == (("Ana", D("33.3")), ("Bea", None), ("Marta", None))


def test_one_sellers_dashboard(snapshot):
    shown = dashboard(snapshot, "month", "bea")
    tiles = {tile.metric: tile for tile in shown.tiles}
    assert tiles["quotes"].value == D(1) and tiles["conversion"].value is None
    assert [s.login for s in shown.sellers] == ["bea"] and shown.conversion_by_seller == ()


@pytest.mark.parametrize(("period", "scope"), [("week", "all"), ("month", "omar")])
def test_a_period_or_seller_the_snapshot_lacks_is_refused(snapshot, period, scope):
    with pytest.raises(ValueError, match="no "):
        dashboard(snapshot, period, scope)


def test_the_records_behind_a_number(snapshot):
    records = drill(snapshot, "month", "ana", "conversion")
    assert records.columns == COLUMNS["conversion"] and records.total == 3
    assert [row[0] for row in records.rows] == ["A-1", "A-2", "A-3"]
    assert drill(snapshot, "quarter", "all", "dormant").rows[0][:2] == ("C2", "Cliente C2")


def test_the_csv_keeps_every_cell_text_never_a_formula():
    data = drill_csv(["Cliente", "Neto"], [['=HYPERLINK("http://x")', "-12.50"], ["Peñalara, S.L.", "@sum"]])
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    assert text.splitlines()[1:] == ['"\'=HYPERLINK(""http://x"")",-12.50', '"Peñalara, S.L.",\'@sum']


def test_every_tile_and_column_has_its_words_declared():
    assert set(METRICS) == set(DASHBOARD_METRICS)
    assert {c for columns in COLUMNS.values() for c in columns} == set(DASHBOARD_COLUMNS)


def test_an_empty_snapshot_has_no_scopes():
    empty = {"as_of": datetime.now(UTC).isoformat(), "figures": {}, "now": {}, "sellers": [], "periods": {}}
    with pytest.raises(ValueError, match="no period"):
        dashboard(empty, "month")


def test_a_managers_snapshot_of_one_team_has_no_team_to_pick(snapshot):
    assert teams_of(snapshot) == () and scopes_of(snapshot) == ("all", "ana", "bea", "marta")
    assert teams_of({k: v for k, v in snapshot.items() if k != "teams"}) == ()  # a snapshot kept before teams


def test_a_regional_director_picks_a_team(region, snapshot):
    assert teams_of(region) == (
        TeamInView("NORTE", "Equipo NORTE", "team:NORTE", ("ana", "bea", "marta")),
        TeamInView("REGION", "Equipo REGION", "team:REGION", ("ana", "bea", "marta", "omar", "rosa")),
        TeamInView("SUR", "Equipo SUR", "team:SUR", ("omar",)),
    )
    assert scopes_of(region) == ("all", *REGION)  # sellers only: teams are picked apart
    assert members_of(region, "team:SUR") == ("omar",) and members_of(region, "bea") == ("bea",)
    norte = dashboard(region, "month", "team:NORTE")
    # NORTE's figures in the region's snapshot are those NORTE's manager sees
    assert norte.tiles == dashboard(snapshot, "month").tiles
    assert norte.conversion_by_seller == dashboard(snapshot, "month").conversion_by_seller
    assert [s.login for s in norte.sellers] == ["ana", "bea", "marta"]
    sur = dashboard(region, "quarter", "team:SUR")
    assert {t.metric: t.value for t in sur.tiles}["quotes"] == D(1)
    assert [s.login for s in sur.sellers] == ["omar"] and [n for n, _ in sur.conversion_by_seller] == ["Omar"]
    assert [n for n, _ in dashboard(region, "month").conversion_by_seller] == ["Ana", "Bea", "Marta", "Omar", "Rosa"]
    # the records behind a team's number are its sellers' only
    assert [r[0] for r in drill(region, "month", "team:SUR", "quotes").rows] == ["S-1"]
    assert drill(region, "month", "team:NORTE", "quotes") == drill(snapshot, "month", "all", "quotes")


def test_a_round_that_moved_records_fetches_the_figures_again_however_young(marta, database_url):
    kept = kept_snapshot(marta)
    assert kept is not None
    sync_now(marta)  # nothing moved: the young snapshot stays
    assert kept_snapshot(marta) == kept
    engine = make_engine(database_url)
    try:
        with write_transaction(engine) as conn:
            put_record(conn, make_product("P-NEW-1"), CATALOG_BUCKET)
    finally:
        engine.dispose()

    round_ = sync_now(marta)

    assert round_.pulled.changes == 1
    assert kept_snapshot(marta)["as_of"] > kept["as_of"]


def test_a_manager_narrows_her_figures_and_the_narrowed_ones_open_offline(marta):
    kept = kept_snapshot(marta)
    assert kept is not None
    assert choices_of(kept) == (("oem", "retail"), (("CABLE", "Cable"), ("GLOVES", "Gloves")))
    retail = narrowed_snapshot(marta, "retail", None)
    assert retail.fresh and retail.snapshot is not None
    assert retail.snapshot["filter"] == {"segment": "retail", "category": None}
    assert retail.snapshot["now"]["all"]["pipeline"]["customers"] == 1  # C4's opportunity
    # the same screens read it: tiles, one seller, the records behind a number
    assert dashboard(retail.snapshot, "month", "bea").tiles

    def refuse(request):
        raise httpx.ConnectError("no route to host", request=request)

    marta.api = SyncApi("http://terreno.test", token="t", transport=httpx.MockTransport(refuse))
    offline = narrowed_snapshot(marta, "retail", None)
    assert not offline.fresh and offline.snapshot == retail.snapshot
    never = narrowed_snapshot(marta, None, "GLOVES")  # never looked at online: nothing to show
    assert not never.fresh and never.snapshot is None


def test_a_segment_the_server_does_not_offer_is_refused_by_name(marta):
    with pytest.raises(NotFound) as refused:
        narrowed_snapshot(marta, "wholesale", None)
    assert refused.value.key == "problem.metrics.unknown_segment"
