"""Limits while a request streams in: size, JSON depth and headers, before authentication and
before parsing (SQLite and PostgreSQL)."""

import asyncio
import json

from sync_server.api.request_limits import MAX_BODY_BYTES, MAX_JSON_DEPTH
from tests.sync_server.factories import make_user, sign_in

CHUNK = 64 * 1024
HUGE = 256 * 1024 * 1024


def _drive(app, path: str, headers: list[tuple[bytes, bytes]], total: int) -> tuple[int, dict, int]:
    """Send a body of `total` bytes in chunks to the ASGI app; (status, problem, bytes it read)."""
    read = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal read
        if read >= total:
            return {"type": "http.disconnect"}
        read += CHUNK
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": read < total}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(body), read


def test_a_256_mib_sign_in_streamed_without_a_length_is_refused_after_the_limit(app):
    status, problem, read = _drive(app, "/v1/auth/login", [(b"content-type", b"application/json")], HUGE)
    assert (status, problem["code"], problem["key"]) == (413, "payload_too_large", "problem.request.too_large")
    assert read <= MAX_BODY_BYTES + CHUNK


def test_a_declared_length_over_the_limit_is_refused_before_reading_a_byte(app):
    headers = [(b"content-type", b"application/json"), (b"content-length", str(HUGE).encode())]
    status, problem, read = _drive(app, "/v1/sync/push", headers, HUGE)
    assert (status, problem["params"]["max_bytes"], read) == (413, 4 * 1024 * 1024, 0)


def test_a_deep_json_push_is_refused_as_it_streams_and_nothing_is_stored(client, seed, app):
    seed(lambda c: make_user(c, "ana.garcia"))
    session = sign_in(client, "ana.garcia")
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    envelope = '{"id": 1, "name": "record_visit", "args": {"visit": DEEP}}'.replace("DEEP", deep)
    body = json.dumps({"client_id": session["client_id"], "protocol_version": 3, "schema_version": 1})
    body = body[:-1] + ', "mutations": [' + envelope + "]}"
    response = client.post(
        "/v1/sync/push",
        content=body,
        headers={"Authorization": f"Bearer {session['token']}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413, response.text
    assert response.json()["key"] == "problem.request.too_deep"
    # Brackets inside strings are text, not nesting.
    text = json.dumps({"login": "[" * 100, "password": "secret-pass-1"})
    assert client.post("/v1/auth/login", content=text, headers={"Content-Type": "application/json"}).status_code == 422


def test_headers_over_the_bound_get_431(client):
    response = client.get("/v1/health", headers={"X-Filler": "a" * 9000})
    assert response.status_code == 431 and response.json()["code"] == "headers_too_large"
    many = {f"X-Filler-{n}": "a" * 4000 for n in range(10)}
    assert client.get("/v1/health", headers=many).status_code == 431
    assert client.get("/v1/health", headers={"X-Filler": "a" * 4000}).status_code == 200
