"""upload_attachment against the real server in-process: chunks, resume after cuts, Offline.

Runs on both server backends (the shared `database_url` fixture: SQLite and PostgreSQL).
Connections are cut by wrapping the TestClient's transport, never by patching the network.
"""

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pypdf import PdfWriter
from starlette.testclient import TestClient

from client.sync import Offline, SyncApi
from client.sync.attachments import sha256_of, upload_attachment
from shared.errors import AuthError, DeviceRevoked, PayloadTooLarge, ValidationFailed
from sync_server.app import create_app
from sync_server.repository.database import write_transaction
from sync_server.services.auth import revoke_device
from sync_server.settings import ServerSettings
from tests.sync_server.factories import make_user, sign_in

PHOTO = bytes(range(251)) * 400  # 100,400 bytes: seven chunks of 16 KiB
CHUNK = 16 * 1024


class Wire(httpx.BaseTransport):
    """The in-process server's transport, recording requests and cutting chosen ones.

    `cut(request)` returns None to pass the request, "before" to drop it before the server
    sees it, or "after" to lose the answer after the server handled it.
    """

    def __init__(self, inner: httpx.BaseTransport, cut=lambda _request: None) -> None:
        self.inner, self.cut = inner, cut
        self.sent: list[tuple[str, int | None, int]] = []
        """(method, Upload-Offset, body bytes) of every request that reached the server."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        where = self.cut(request)
        if where == "before":
            raise httpx.ConnectError("connection reset by peer", request=request)
        offset = request.headers.get("Upload-Offset")
        self.sent.append((request.method, int(offset) if offset else None, len(request.content)))
        response = self.inner.handle_request(request)
        if where == "after":
            response.read()
            raise httpx.ReadError("connection reset by peer", request=request)
        return response

    def puts(self) -> list[int]:
        return [offset for method, offset, _size in self.sent if method == "PUT"]


def nth_put(n: int, where: str):
    """Cut only the n-th PUT (1-based)."""
    seen = []

    def cut(request):
        if request.method == "PUT":
            seen.append(request)
            return where if len(seen) == n else None
        return None

    return cut


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[TestClient]:
    app = create_app(ServerSettings(data_dir=Path(tmp_path) / "server", database_url=database_url))
    with write_transaction(app.state.engine) as conn:
        make_user(conn, "ana.garcia")
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def token(server) -> str:
    return sign_in(server, "ana.garcia")["token"]


def api_over(server: TestClient, token: str, wire: Wire) -> SyncApi:
    return SyncApi("", token=token, http_client=httpx.Client(base_url=server.base_url, transport=wire))


def wire_of(server: TestClient, cut=lambda _request: None) -> Wire:
    # TestClient keeps its in-process transport private; wrapping it is the seam tests have.
    return Wire(server._transport, cut)


def stored(server: TestClient, token: str, sha: str) -> bytes:
    response = server.get(f"/v1/attachments/{sha}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.content


def test_bytes_go_up_in_chunks_and_come_back_identical(server, token):
    wire = wire_of(server)
    sha = upload_attachment(api_over(server, token, wire), PHOTO, "image/jpeg", chunk_size=CHUNK, retry_delay=0)

    assert sha == hashlib.sha256(PHOTO).hexdigest() == sha256_of(PHOTO)
    assert stored(server, token, sha) == PHOTO
    assert [m for m, _o, _s in wire.sent] == ["HEAD"] + ["PUT"] * 7
    assert wire.puts() == list(range(0, len(PHOTO), CHUNK))


def test_a_file_uploads_through_a_plain_httpx_client_with_a_token(server, token, tmp_path):
    pdf = tmp_path / "quote.pdf"
    pdf.write_bytes(_blank_pdf())

    sha = upload_attachment(
        httpx.Client(base_url=server.base_url, transport=wire_of(server)),
        pdf,
        "application/pdf",
        token=token,
        retry_delay=0,
    )

    assert sha == sha256_of(pdf) == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert stored(server, token, sha) == pdf.read_bytes()


def test_a_connection_cut_before_a_chunk_arrives_is_resumed_from_the_servers_offset(server, token):
    wire = wire_of(server, nth_put(3, "before"))
    sha = upload_attachment(api_over(server, token, wire), PHOTO, "image/png", chunk_size=CHUNK, retry_delay=0)

    assert stored(server, token, sha) == PHOTO
    # The third chunk never reached the server: HEAD says 2 chunks are there, and it is sent again.
    assert [m for m, _o, _s in wire.sent].count("HEAD") == 2
    assert wire.puts() == list(range(0, len(PHOTO), CHUNK))


def test_an_answer_lost_after_the_server_stored_the_chunk_does_not_resend_it(server, token):
    wire = wire_of(server, nth_put(4, "after"))
    sha = upload_attachment(api_over(server, token, wire), PHOTO, "image/png", chunk_size=CHUNK, retry_delay=0)

    assert stored(server, token, sha) == PHOTO
    assert wire.puts() == list(range(0, len(PHOTO), CHUNK))  # each offset exactly once
    assert sum(size for method, _o, size in wire.sent if method == "PUT") == len(PHOTO)


def test_a_conflict_names_the_offset_to_go_on_from(server, token):
    half = 3 * CHUNK
    upload_head = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "image/png",
        "Upload-Length": str(len(PHOTO)),
        "Upload-Offset": "0",
    }
    sha = hashlib.sha256(PHOTO).hexdigest()
    assert server.put(f"/v1/attachments/{sha}", content=PHOTO[:half], headers=upload_head).status_code == 200

    class ForgetsFirstHead(Wire):
        """A proxy answers the first HEAD with 404: the client starts from 0 and is told better."""

        def handle_request(self, request):
            if request.method == "HEAD" and not self.sent:
                self.sent.append(("HEAD", None, 0))
                return httpx.Response(404, request=request)
            return super().handle_request(request)

    wire = ForgetsFirstHead(server._transport)
    upload_attachment(api_over(server, token, wire), PHOTO, "image/png", chunk_size=CHUNK, retry_delay=0)

    assert wire.puts() == [0, *range(half, len(PHOTO), CHUNK)]  # 0 refused with 409, then from `half`
    assert stored(server, token, sha) == PHOTO


def test_an_unreachable_server_is_offline_at_once(server, token):
    wire = wire_of(server, lambda _request: "before")
    with pytest.raises(Offline):
        upload_attachment(api_over(server, token, wire), PHOTO, "image/png", chunk_size=CHUNK, retry_delay=0)
    assert wire.sent == []


def test_a_connection_that_keeps_breaking_gives_up_after_bounded_attempts_then_resumes_later(server, token):
    failing = wire_of(server, lambda r: "before" if r.method == "PUT" and r.headers["Upload-Offset"] != "0" else None)
    with pytest.raises(Offline, match="3 failed attempts"):
        upload_attachment(
            api_over(server, token, failing), PHOTO, "image/png", chunk_size=CHUNK, max_attempts=3, retry_delay=0
        )
    assert [m for m, _o, _s in failing.sent] == ["HEAD", "PUT", "HEAD", "HEAD"]

    later = wire_of(server)
    sha = upload_attachment(api_over(server, token, later), PHOTO, "image/png", chunk_size=CHUNK, retry_delay=0)
    assert later.puts() == list(range(CHUNK, len(PHOTO), CHUNK))  # the first chunk is not sent again
    assert stored(server, token, sha) == PHOTO


def test_bytes_already_on_the_server_are_not_sent_again(server, token):
    upload_attachment(api_over(server, token, wire_of(server)), PHOTO, "image/webp", retry_delay=0)
    wire = wire_of(server)
    sha = upload_attachment(api_over(server, token, wire), PHOTO, "image/webp", retry_delay=0)
    assert sha == hashlib.sha256(PHOTO).hexdigest()
    assert [m for m, _o, _s in wire.sent] == ["HEAD"]


@pytest.mark.parametrize(
    ("content_type", "data", "error"),
    [
        ("text/html", PHOTO, ValidationFailed),
        ("image/png", b"", ValidationFailed),
    ],
)
def test_what_the_server_refuses_is_raised_without_retrying(server, token, content_type, data, error):
    wire = wire_of(server)
    with pytest.raises(error):
        upload_attachment(api_over(server, token, wire), data, content_type, retry_delay=0)
    assert len(wire.puts()) <= 1


def test_an_attachment_over_the_bound_is_payload_too_large(database_url, tmp_path):
    app = create_app(
        ServerSettings(data_dir=tmp_path / "server", database_url=database_url, max_attachment_bytes=len(PHOTO) - 1)
    )
    with write_transaction(app.state.engine) as conn:
        make_user(conn, "ana.garcia")
    with TestClient(app) as server:
        wire = wire_of(server)
        with pytest.raises(PayloadTooLarge):
            upload_attachment(
                api_over(server, sign_in(server, "ana.garcia")["token"], wire), PHOTO, "image/png", retry_delay=0
            )
        assert wire.puts() == [0]
    app.state.engine.dispose()


def test_an_unknown_token_is_an_auth_error(server):
    with pytest.raises(AuthError):
        upload_attachment(api_over(server, "not-a-token", wire_of(server)), PHOTO, "image/png", retry_delay=0)


def test_a_revoked_device_learns_it_from_the_head_that_has_no_body(server):
    signed = sign_in(server, "ana.garcia")
    with write_transaction(server.app.state.engine) as conn:
        revoke_device(conn, signed["client_id"])
    wire = wire_of(server)
    with pytest.raises(DeviceRevoked):
        upload_attachment(api_over(server, signed["token"], wire), PHOTO, "image/png", retry_delay=0)
    assert [method for method, _offset, _size in wire.sent] == ["HEAD"]  # nothing went up


def _blank_pdf() -> bytes:
    """A real one-page PDF (the server keeps only PDFs that open as one)."""
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.write(out)
    return out.getvalue()
