"""Pull through the HTTP API: scope from the token, paging, versions (both backends)."""

from shared.models import Role
from tests.sync_server.factories import make_customer, make_user, sign_in


def _pull_all(client, token: str, limit: int = 2) -> list[dict]:
    changes, cursor = [], 0
    while True:
        page = client.get("/v1/sync/pull", params={"cursor": cursor, "limit": limit},
                          headers={"Authorization": f"Bearer {token}"}).json()
        changes += page["changes"]
        assert page["cursor"] >= cursor
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes


def _seed_two_sellers(conn):
    make_user(conn, "ana.garcia", team="NORTE")
    make_user(conn, "bruno.diaz", team="NORTE")
    make_user(conn, "carla.sur", team="SUR")
    make_user(conn, "marta.jefa", role=Role.MANAGER, team="NORTE")
    for code, seller in [("C1", "ana.garcia"), ("C2", "ana.garcia"), ("C3", "bruno.diaz"), ("C4", "carla.sur"),
                         ("C5", None)]:
        make_customer(conn, code, seller)


def _customers(changes: list[dict]) -> set[str]:
    return {c["id"] for c in changes if c["entity"] == "customer" and c["op"] == "put"}


def test_a_seller_pulls_only_their_own_portfolio(client, seed):
    seed(_seed_two_sellers)
    token = sign_in(client, "ana.garcia")["token"]
    changes = _pull_all(client, token)
    assert _customers(changes) == {"C1", "C2"}
    assert {c["bucket"] for c in changes} <= {"catalog", "directory", "stock:MAD", "portfolio:ana.garcia"}


def test_a_manager_pulls_the_team_portfolios(client, seed):
    seed(_seed_two_sellers)
    token = sign_in(client, "marta.jefa")["token"]
    assert _customers(_pull_all(client, token)) == {"C1", "C2", "C3"}


def test_paging_returns_every_change_once_in_seq_order(client, seed):
    seed(_seed_two_sellers)
    token = sign_in(client, "ana.garcia")["token"]
    changes = _pull_all(client, token, limit=1)
    seqs = [c["seq"] for c in changes]
    assert seqs == sorted(set(seqs))
    assert _pull_all(client, token, limit=1000) == changes


def test_with_total_counts_what_remains(client, seed):
    seed(_seed_two_sellers)
    token = sign_in(client, "ana.garcia")["token"]
    everything = _pull_all(client, token, limit=1000)
    page = client.get("/v1/sync/pull", params={"limit": 1, "with_total": "true"},
                      headers={"Authorization": f"Bearer {token}"}).json()
    assert page["total_changes"] == len(everything) and page["has_more"] is True


def test_a_reassigned_customer_leaves_the_old_seller(client, seed):
    seed(_seed_two_sellers)
    ana = sign_in(client, "ana.garcia")["token"]
    bruno = sign_in(client, "bruno.diaz")["token"]
    seed(lambda c: make_customer(c, "C2", "bruno.diaz"))
    ana_changes = _pull_all(client, ana)
    assert [c["op"] for c in ana_changes if c["id"] == "C2"] == ["put", "delete"]
    assert "C2" in _customers(_pull_all(client, bruno))


def test_unsupported_protocol_version_is_a_clear_problem(client, seed):
    seed(_seed_two_sellers)
    token = sign_in(client, "ana.garcia")["token"]
    response = client.get("/v1/sync/pull", params={"protocol_version": 99},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 426 and response.json()["code"] == "unsupported_version"


def test_a_cursor_from_another_epoch_is_stale(client, seed):
    seed(_seed_two_sellers)
    token = sign_in(client, "ana.garcia")["token"]
    response = client.get("/v1/sync/pull", params={"cursor": 1, "epoch": "not-this-server"},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 410 and response.json()["code"] == "stale_cursor"


def test_pull_pages_are_gzipped(client, seed):
    seed(_seed_two_sellers)
    token = sign_in(client, "ana.garcia")["token"]
    response = client.get("/v1/sync/pull", headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"
