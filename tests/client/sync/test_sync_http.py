"""SyncApi: problem+json → DomainError, unreachable server → Offline, garbage → BadResponse."""

import gzip
import json
import socket
import threading
from uuid import uuid4

import httpx
import pytest

from client.sync import BadResponse, Offline, ServerBusy, SyncApi
from client.sync.http import push_body
from shared.errors import (
    AuthError,
    DeviceRevoked,
    DomainError,
    MutationGap,
    PayloadTooLarge,
    RetryLater,
    StaleCursor,
    UnsupportedVersion,
    ValidationFailed,
)
from shared.protocol import PROTOCOL_VERSION, LoginRequest, Mutation, PullResponse, PushRequest
from tests.client.factories import make_customer, page, put
from tests.ports import free_port


def api_answering(status: int, body: bytes | dict | str, content_type: str = "application/json", **kw) -> SyncApi:
    def handler(_request):
        content = json.dumps(body).encode() if isinstance(body, dict) else body
        return httpx.Response(status, content=content, headers={"content-type": content_type})

    return SyncApi("http://terreno.test", token="tok", transport=httpx.MockTransport(handler), **kw)


@pytest.mark.parametrize(
    "error",
    [
        AuthError("wrong login or password"),
        DeviceRevoked("wipe"),
        StaleCursor("too old", epoch="e2"),
        UnsupportedVersion("update the app", supported=[1]),
        ValidationFailed("bad limit", errors=["limit: too big"]),
    ],
)
def test_problem_json_becomes_the_same_domain_error(error):
    api = api_answering(error.status, error.to_problem(), "application/problem+json")
    with pytest.raises(type(error)) as raised:
        api.pull(0, 10)
    assert type(raised.value) is type(error)
    assert raised.value.detail == error.detail
    assert raised.value.extra == error.extra


def _answering_with_header(status: int, code: str | None, body: bytes = b"") -> SyncApi:
    def handler(_request):
        headers = {"Terreno-Problem": code} if code else {}
        return httpx.Response(status, content=body, headers=headers)

    return SyncApi("http://terreno.test", token="tok", transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("status", "code", "raised"),
    [
        (401, "device_revoked", DeviceRevoked),
        (401, "unauthorized", AuthError),
        (401, None, AuthError),  # a server that names nothing: still not signed in
        (409, "mutation_gap", MutationGap),
    ],
)
def test_an_answer_without_a_body_is_read_from_its_problem_header(status, code, raised):
    with pytest.raises(raised) as caught:
        _answering_with_header(status, code).pull(0, 10)
    assert type(caught.value) is raised


def test_a_revocation_in_the_header_wins_over_a_body_that_is_not_a_problem():
    api = _answering_with_header(401, "device_revoked", body=b"<html>Unauthorized</html>")
    with pytest.raises(DeviceRevoked):
        api.pull(0, 10)


def test_an_unknown_problem_code_is_still_a_domain_error():
    api = api_answering(
        409, {"code": "brand_new_rule", "detail": "later server", "status": 409}, "application/problem+json"
    )
    with pytest.raises(DomainError, match="later server"):
        api.pull(0, 10)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_a_server_failure_or_a_busy_proxy_means_offline(status):
    with pytest.raises(Offline):
        api_answering(status, "<html>Bad gateway</html>", "text/html").pull(0, 10)
    with pytest.raises(Offline):
        api_answering(status, {"code": "internal_error", "detail": "retry"}, "application/problem+json").pull(0, 10)


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (404, "<html>Not the Terreno server</html>", "text/html"),
        (200, "<html>Captive portal: accept terms</html>", "text/html"),
        (200, {"changes": "not a list"}, "application/json"),
    ],
)
def test_something_that_is_not_the_protocol_is_a_bad_response(status, body, content_type):
    with pytest.raises(BadResponse):
        api_answering(status, body, content_type).pull(0, 10)


def test_connection_refused_is_offline():
    # A real closed port on loopback: what the tablet meets when the server is down.
    api = SyncApi(f"http://127.0.0.1:{free_port()}", token="tok", connect_timeout=2)
    with pytest.raises(Offline):
        api.pull(0, 10)
    with pytest.raises(Offline):
        api.login(LoginRequest(login="ana.garcia", password="x"))


class RawServer:
    """A loopback TCP server that answers each connection with `behaviour(conn)`."""

    def __init__(self, behaviour):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.stop = threading.Event()
        self.behaviour = behaviour
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self):
        conn, _ = self.listener.accept()
        with conn:
            conn.recv(65536)
            self.behaviour(conn, self.stop)

    def close(self):
        self.stop.set()
        self.thread.join(5)
        self.listener.close()


def test_a_server_that_never_answers_times_out_as_offline():
    server = RawServer(lambda conn, stop: stop.wait(5))
    try:
        with pytest.raises(Offline, match="Timeout"):
            SyncApi(server.url, token="tok", request_timeout=0.3).pull(0, 10)
    finally:
        server.close()


def test_a_connection_cut_mid_body_is_offline():
    body = page([put(make_customer(f"C{i}"), i) for i in range(1, 50)]).model_dump_json().encode()

    def cut_after_40_bytes(conn, _stop):
        conn.sendall(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body) + body[:40]
        )

    server = RawServer(cut_after_40_bytes)
    try:
        with pytest.raises(Offline):
            SyncApi(server.url, token="tok").pull(0, 10)
    finally:
        server.close()


def test_pull_sends_token_versions_and_reads_a_gzipped_page():
    expected = page([put(make_customer("C1"), 5)], total=1)
    seen = {}

    def handler(request):
        seen["auth"] = request.headers["authorization"]
        seen["params"] = dict(request.url.params)
        body = gzip.compress(expected.model_dump_json().encode())
        return httpx.Response(
            200, content=body, headers={"content-type": "application/json", "content-encoding": "gzip"}
        )

    api = SyncApi("http://terreno.test", token="tok-9", transport=httpx.MockTransport(handler))
    got = api.pull(4, 100, epoch="epoch-1", with_total=True)
    assert (
        PullResponse(
            changes=[_change_fields(c) for c in got.changes],
            cursor=got.cursor,
            has_more=got.has_more,
            last_mutation_id=got.last_mutation_id,
            epoch=got.epoch,
            total_changes=got.total_changes,
            checkpoint=got.checkpoint,
        )
        == expected
    )
    assert seen["auth"] == "Bearer tok-9"
    assert seen["params"] == {
        "cursor": "4",
        "limit": "100",
        "protocol_version": str(PROTOCOL_VERSION),
        "schema_version": "1",
        "epoch": "epoch-1",
        "with_total": "true",
    }


def test_pull_without_a_token_is_refused_locally():
    calls = []
    api = SyncApi("http://terreno.test", transport=httpx.MockTransport(lambda r: calls.append(r)))
    with pytest.raises(AuthError):
        api.pull(0, 10)
    assert calls == []


def test_login_posts_the_request_and_parses_the_response():
    client_id = uuid4()

    def handler(request):
        body = json.loads(request.content)
        assert body["client_id"] == str(client_id) and body["protocol_version"] == PROTOCOL_VERSION
        assert "authorization" not in request.headers
        return httpx.Response(
            200,
            json={
                "token": "tok",
                "client_id": str(client_id),
                "expires_at": "2026-12-01T00:00:00Z",
                "login": body["login"],
                "name": "Ana",
                "role": "seller",
                "team_code": "NORTE",
                "home_warehouse": "MAD",
            },
        )

    api = SyncApi("http://terreno.test", transport=httpx.MockTransport(handler))
    response = api.login(LoginRequest(login="ana.garcia", password="pw", client_id=client_id))
    assert (response.login, response.client_id, response.expires_at.tzinfo is not None) == (
        "ana.garcia",
        client_id,
        True,
    )


def _push_request() -> PushRequest:
    return PushRequest(
        client_id=uuid4(),
        protocol_version=1,
        schema_version=1,
        mutations=[Mutation(id=1, name="record_visit", args={"visit": {"notes": "ñandú"}})],
    )


def test_push_posts_the_exact_body_with_the_token():
    request, seen = _push_request(), {}

    def handler(http_request):
        seen.update(
            auth=http_request.headers["authorization"],
            type=http_request.headers["content-type"],
            body=http_request.content,
        )
        return httpx.Response(200, json={"last_mutation_id": 1, "results": [{"id": 1, "status": "applied"}]})

    api = SyncApi("http://terreno.test", token="tok-3", transport=httpx.MockTransport(handler))
    response = api.push(request)
    assert response.last_mutation_id == 1 and response.results[0].status == "applied"
    assert (seen["auth"], seen["type"]) == ("Bearer tok-3", "application/json")
    assert seen["body"] == push_body(request)  # what the pusher measured is what was sent


@pytest.mark.parametrize(
    ("error", "raised"),
    [
        (MutationGap("expected 4", expected=4), MutationGap),
        (PayloadTooLarge("too big", max_bytes=10), PayloadTooLarge),
        (RetryLater("busy"), ServerBusy),
    ],
)
def test_push_failures_keep_their_meaning(error, raised):
    api = api_answering(error.status, error.to_problem(), "application/problem+json")
    with pytest.raises(raised) as caught:
        api.push(_push_request())
    if isinstance(caught.value, DomainError):
        assert caught.value.extra == error.extra


def _change_fields(change) -> dict:
    """A pulled change's fields, whichever decoder made it (client.sync.pull_wire)."""
    return {name: getattr(change, name) for name in ("seq", "bucket", "entity", "id", "op", "version", "data")}
