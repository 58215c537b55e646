"""GET /v1/metrics: each caller gets the figures of her scope, with "as of" and last syncs."""

from shared.models import Role
from tests.sync_server.factories import Device, make_user
from tests.sync_server.metrics_dataset import seed_metrics


def _seeded(seed) -> None:
    seed(seed_metrics)
    seed(lambda conn: make_user(conn, "rosa", Role.MANAGER, team="SUR"))


def test_a_seller_gets_her_own_figures_only(client, seed):
    _seeded(seed)
    bea = Device(client, "bea")
    snap = client.get("/v1/metrics", headers=bea.headers).json()
    assert [s["login"] for s in snap["sellers"]] == ["bea"]
    assert snap["sellers"][0]["last_sync"] is not None  # her device was seen signing in
    assert set(snap["figures"]["month"]["current"]) == {"all"}
    assert snap["as_of"] and snap["currency"] == "EUR"


def test_a_manager_gets_her_team_and_each_seller_never_another_team(client, seed):
    _seeded(seed)
    ana, marta = Device(client, "ana"), Device(client, "marta")
    snap = client.get("/v1/metrics", headers=marta.headers).json()
    sellers = {s["login"]: s["last_sync"] for s in snap["sellers"]}
    assert set(sellers) == {"ana", "bea", "marta"}
    assert sellers["ana"] is not None and sellers["bea"] is None  # bea never synced
    figures = snap["figures"]["month"]["current"]
    assert set(figures) == {"all", "ana", "bea", "marta"}
    # the readings of now: C9 is omar's (team SUR), never in NORTE's portfolios
    holders = [row[0] for row in snap["now"]["all"]["pipeline"]["sellers"]]
    assert holders == ["ana", "bea"]
    rosa = Device(client, "rosa")
    theirs = client.get("/v1/metrics", headers=rosa.headers).json()
    assert {s["login"] for s in theirs["sellers"]} == {"omar", "rosa"}
    assert [row[0] for row in theirs["now"]["all"]["pipeline"]["sellers"]] == ["omar"]
    assert ana  # signed in above so that her last sync is known


def test_without_a_token_there_are_no_figures(client, seed):
    _seeded(seed)
    assert client.get("/v1/metrics").status_code == 401


def test_a_manager_narrows_her_figures_to_a_segment_or_category(client, seed):
    _seeded(seed)
    marta = Device(client, "marta")
    whole = client.get("/v1/metrics", headers=marta.headers).json()
    assert whole["choices"]["segments"] == ["oem", "retail"]
    retail = client.get("/v1/metrics", params={"segment": "retail"}, headers=marta.headers).json()
    assert retail["filter"] == {"segment": "retail", "category": None}
    # the dataset's activity is of March 2026; its opportunities are open now: C4's is retail
    assert retail["now"]["all"]["pipeline"]["customers"] == 1
    assert whole["now"]["all"]["pipeline"]["customers"] > 1
    refused = client.get("/v1/metrics", params={"category": "GLV-NIT"}, headers=marta.headers)
    assert refused.status_code == 404  # none such in view
    assert refused.json()["key"] == "problem.metrics.unknown_category"
    assert client.get("/v1/metrics", params={"segment": ""}, headers=marta.headers).status_code == 422
