"""Pull through the HTTP API: scope from the token, paging, versions (both backends)."""

import pytest

from shared.models import Role
from tests.sync_server.factories import make_customer, make_user, sign_in


def _pull_all(client, token: str, limit: int = 2) -> list[dict]:
    changes, cursor = [], 0
    while True:
        page = client.get(
            "/v1/sync/pull", params={"cursor": cursor, "limit": limit}, headers={"Authorization": f"Bearer {token}"}
        ).json()
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
    for code, seller in [
        ("C1", "ana.garcia"),
        ("C2", "ana.garcia"),
        ("C3", "bruno.diaz"),
        ("C4", "carla.sur"),
        ("C5", None),
    ]:
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
    page = client.get(
        "/v1/sync/pull", params={"limit": 1, "with_total": "true"}, headers={"Authorization": f"Bearer {token}"}
    ).json()
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
    response = client.get(
        "/v1/sync/pull", params={"protocol_version": 99}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 426 and response.json()["code"] == "unsupported_version"


def test_a_cursor_from_another_epoch_is_stale(client, seed):
    seed(_seed_two_sellers)
    token = sign_in(client, "ana.garcia")["token"]
    response = client.get(
        "/v1/sync/pull", params={"cursor": 1, "epoch": "not-this-server"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 410 and response.json()["code"] == "stale_cursor"


@pytest.mark.parametrize("accept, coding", [("gzip", "gzip"), ("gzip, deflate, zstd", "zstd"), ("identity", None)])
def test_pull_pages_are_compressed_as_the_device_accepts(client, seed, accept, coding):
    seed(_seed_two_sellers)
    token = sign_in(client, "ana.garcia")["token"]
    headers = {"Authorization": f"Bearer {token}"}
    plain = client.get("/v1/sync/pull", headers={**headers, "Accept-Encoding": "identity"}).json()
    response = client.get("/v1/sync/pull", headers={**headers, "Accept-Encoding": accept})
    assert response.headers.get("content-encoding") == coding
    assert response.json() == plain  # httpx decoded it: the same page whatever the coding


def _replay(changes: list[dict]) -> dict[str, dict[tuple[str, str], int]]:
    """What a device holds after applying `changes`: per bucket, (entity, id) → version."""
    held: dict[tuple[str, str], tuple[str, int]] = {}
    for c in changes:
        key = (c["entity"], c["id"])
        if c["op"] == "put":
            held[key] = (c["bucket"], c["version"])
        elif key in held and held[key][0] == c["bucket"]:
            del held[key]
    by_bucket: dict[str, dict[tuple[str, str], int]] = {}
    for key, (bucket, version) in held.items():
        by_bucket.setdefault(bucket, {})[key] = version
    return by_bucket


def _last_page(client, token: str) -> dict:
    cursor = 0
    while True:
        page = client.get(
            "/v1/sync/pull", params={"cursor": cursor, "limit": 3}, headers={"Authorization": f"Bearer {token}"}
        ).json()
        cursor = page["cursor"]
        if not page["has_more"]:
            return page


def test_the_checkpoint_matches_what_the_device_holds(client, seed):
    from shared.protocol import combine_checksums, record_checksum

    seed(_seed_two_sellers)
    seed(lambda c: (make_customer(c, "C2", "bruno.diaz"), make_customer(c, "C1", "ana.garcia", city="Léon")))
    token = sign_in(client, "ana.garcia")["token"]
    held = _replay(_pull_all(client, token))
    checkpoint = _last_page(client, token)["checkpoint"]
    assert checkpoint is not None
    for bucket in checkpoint["buckets"]:
        records = held.get(bucket["bucket"], {})
        assert bucket["count"] == len(records), bucket
        assert bucket["checksum"] == combine_checksums(record_checksum(e, i, v) for (e, i), v in records.items())
    ana = {b["bucket"]: b for b in checkpoint["buckets"]}["portfolio:ana.garcia"]
    assert ana["count"] == 1  # C2 moved away, C1 updated in place


def test_a_page_with_more_to_come_has_no_checkpoint(client, seed):
    seed(_seed_two_sellers)
    token = sign_in(client, "ana.garcia")["token"]
    page = client.get("/v1/sync/pull", params={"limit": 1}, headers={"Authorization": f"Bearer {token}"}).json()
    assert page["has_more"] is True and "checkpoint" not in page


def test_a_bucket_snapshot_pages_the_live_records(client, seed):
    seed(_seed_two_sellers)
    seed(lambda c: make_customer(c, "C2", "bruno.diaz"))
    token = sign_in(client, "ana.garcia")["token"]
    headers = {"Authorization": f"Bearer {token}"}
    got, after = [], None
    while True:
        params = {"name": "portfolio:ana.garcia", "limit": 1, **({"after": after} if after else {})}
        page = client.get("/v1/sync/bucket", params=params, headers=headers).json()
        got += [(r["entity"], r["id"], r["version"]) for r in page["records"]]
        after = page.get("next_after")
        if not page["has_more"]:
            break
    assert got == [("customer", "C1", 1)]
    other = client.get("/v1/sync/bucket", params={"name": "portfolio:bruno.diaz"}, headers=headers)
    assert other.status_code == 403 and other.json()["code"] == "out_of_scope"


def test_the_spliced_json_page_is_a_valid_pull_response_with_awkward_text(client, seed):
    from shared.protocol import PullResponse

    awkward = 'Ferretería "El Ñandú" \\ Güell\nS.L. 🛠'
    seed(lambda c: (make_user(c, "ana.garcia"), make_customer(c, 'C"9', "ana.garcia", legal_name=awkward[:200])))
    token = sign_in(client, "ana.garcia")["token"]
    raw = client.get("/v1/sync/pull", params={"limit": 1000}, headers={"Authorization": f"Bearer {token}"})
    page = PullResponse.model_validate_json(raw.content)
    customer = next(c for c in page.changes if c.entity == "customer")
    assert customer.id == 'C"9' and customer.data["legal_name"] == awkward
    assert page.has_more is False and page.checkpoint is not None and page.cursor == page.changes[-1].seq
