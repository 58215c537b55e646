"""The pull stream: the same pages as /pull, one response, each page authorised (both backends)."""

import json

import pytest

from shared.protocol import PullResponse
from shared.pull_stream import MEDIA_TYPE, FrameReader
from sync_server.api.routes import sync as sync_routes
from sync_server.repository.database import write_transaction
from sync_server.services.auth import revoke_device
from tests.sync_server.factories import make_customer, make_user, sign_in


def _seed(conn):
    make_user(conn, "ana.garcia", team="NORTE")
    for i in range(11):
        make_customer(conn, f"C{i:02d}", "ana.garcia")


def _pages_one_by_one(client, token: str, limit: int) -> list[dict]:
    pages, cursor = [], 0
    while True:
        page = client.get(
            "/v1/sync/pull",
            params={"cursor": cursor, "limit": limit},
            headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
        ).json()
        pages.append(page)
        cursor = page["cursor"]
        if not page["has_more"]:
            return pages


def _stream(client, token: str, limit: int, accept: str = "identity", **params):
    response = client.get(
        "/v1/sync/pull/stream",
        params={"limit": limit, **params},
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": accept},
    )
    reader = FrameReader()
    pages = [json.loads(body) for body in reader.feed(response.content)]
    assert not reader.has_partial_frame
    return response, pages


@pytest.mark.parametrize("accept, coding", [("gzip, deflate, zstd", "zstd"), ("gzip", "gzip"), ("identity", None)])
def test_the_stream_carries_the_pages_pull_gives_one_by_one(client, seed, accept, coding):
    seed(_seed)
    token = sign_in(client, "ana.garcia")["token"]
    response, streamed = _stream(client, token, limit=4, accept=accept)
    assert response.status_code == 200 and response.headers["content-type"] == MEDIA_TYPE
    assert response.headers.get("content-encoding") == coding
    assert streamed == _pages_one_by_one(client, token, limit=4)
    assert len(streamed) >= 3 and [p["has_more"] for p in streamed][-1] is False
    assert all(PullResponse.model_validate(p) for p in streamed)


def test_the_stream_starts_at_the_cursor_and_asks_for_the_total_once(client, seed):
    seed(_seed)
    token = sign_in(client, "ana.garcia")["token"]
    everything = _pages_one_by_one(client, token, limit=100)[0]["changes"]
    _, pages = _stream(client, token, limit=5, cursor=everything[3]["seq"], with_total="true")
    assert pages[0]["changes"][0]["seq"] == everything[4]["seq"]
    assert pages[0]["total_changes"] == len(everything) - 4
    assert all("total_changes" not in p for p in pages[1:])


def test_a_problem_with_the_first_page_is_the_status_of_the_response(client, seed):
    seed(_seed)
    token = sign_in(client, "ana.garcia")["token"]
    headers = {"Authorization": f"Bearer {token}"}
    stale = client.get("/v1/sync/pull/stream", params={"cursor": 10**9}, headers=headers)
    old = client.get("/v1/sync/pull/stream", params={"protocol_version": 99}, headers=headers)
    anonymous = client.get("/v1/sync/pull/stream")
    assert (stale.status_code, stale.json()["code"]) == (410, "stale_cursor")
    assert (old.status_code, old.json()["code"]) == (426, "unsupported_version")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "unauthorized")


def test_a_device_revoked_mid_stream_gets_no_page_after_the_one_in_hand(client, seed, app, monkeypatch):
    seed(_seed)
    signed = sign_in(client, "ana.garcia")
    read_page = sync_routes.read_page
    calls = []

    def read_then_revoke(conn, principal, *args, **kwargs):
        page = read_page(conn, principal, *args, **kwargs)
        calls.append(page.cursor)
        if len(calls) == 2:  # the admin revokes the device while page 2 travels
            with write_transaction(app.state.engine) as admin:
                revoke_device(admin, signed["client_id"])
        return page

    monkeypatch.setattr(sync_routes, "read_page", read_then_revoke)
    response, pages = _stream(client, signed["token"], limit=2)
    assert response.status_code == 200
    assert len(pages) == 2 and pages[-1]["has_more"] is True  # page 3 was not read for a revoked device
    again = client.get(
        "/v1/sync/pull/stream",
        params={"cursor": pages[-1]["cursor"]},
        headers={"Authorization": f"Bearer {signed['token']}"},
    )
    assert again.status_code == 401


def test_a_page_stops_at_its_byte_bound_and_the_rest_follows(client, seed, monkeypatch):
    from sync_server.services import pull as pull_service

    seed(_seed)
    token = sign_in(client, "ana.garcia")["token"]
    whole = _pages_one_by_one(client, token, limit=1000)
    everything = [c for p in whole for c in p["changes"]]
    monkeypatch.setattr(pull_service, "MAX_PAGE_BYTES", 900)  # a few changes a page
    _, pages = _stream(client, token, limit=1000)
    assert [c for p in pages for c in p["changes"]] == everything
    assert len(pages) > 3 and all(p["has_more"] for p in pages[:-1]) and not pages[-1]["has_more"]
    for p in pages:
        sizes = [len(json.dumps(c, separators=(",", ":"))) for c in p["changes"]]
        assert len(sizes) == 1 or sum(sizes) <= 900 * 1.1  # JSON spacing aside, within the bound
    monkeypatch.setattr(pull_service, "MAX_PAGE_BYTES", 10)  # smaller than any change: one a page
    _, single = _stream(client, token, limit=1000)
    assert [len(p["changes"]) for p in single] == [1] * len(everything)
