"""Attachments through the HTTP API: resumable, verified, bounded, scoped (both backends)."""

import hashlib

import anyio
import pytest
import sqlalchemy as sa

from shared.errors import Conflict
from shared.models import Role
from sync_server.repository.tables import attachments
from sync_server.services.attachments import (
    ChunkOffer,
    StagedChunk,
    attachment_path,
    commit_chunk,
    partial_path,
    start_chunk,
)
from sync_server.services.auth import Principal
from tests.sync_server.factories import make_user, sign_in

PHOTO = bytes(range(256)) * 40 + b"competitor shelf, aisle 4"
SHA = hashlib.sha256(PHOTO).hexdigest()


USERS = {
    "ana.garcia": (Role.SELLER, "NORTE"),
    "bruno.diaz": (Role.SELLER, "NORTE"),
    "carla.sur": (Role.SELLER, "SUR"),
    "marta.jefa": (Role.MANAGER, "NORTE"),
    "sergio.jefe": (Role.MANAGER, "SUR"),
}


class _Tokens(dict):
    """Bearer tokens by login; a user is created and signed in on first use (argon2 is slow)."""

    def __init__(self, client, seed) -> None:
        super().__init__()
        self.client, self.seed = client, seed
        self.client_ids: dict[str, str] = {}

    def __missing__(self, login: str) -> str:
        role, team = USERS[login]
        self.seed(lambda conn: make_user(conn, login, role=role, team=team))
        signed = sign_in(self.client, login)
        self[login], self.client_ids[login] = signed["token"], signed["client_id"]
        return self[login]

    def another_device(self, login: str) -> str:
        """A second signed-in device of `login` (the user exists already); its token."""
        self[login]
        return sign_in(self.client, login)["token"]

    def principal(self, login: str) -> Principal:
        role, team = USERS[login]
        self[login]
        return Principal(login=login, role=role, client_id=self.client_ids[login], team_code=team)


@pytest.fixture
def tokens(client, seed) -> _Tokens:
    return _Tokens(client, seed)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _put(
    client,
    token,
    chunk: bytes,
    offset: int = 0,
    *,
    sha: str = SHA,
    total: int = len(PHOTO),
    content_type: str = "image/jpeg",
):
    headers = {**_auth(token), "Content-Type": content_type, "Upload-Length": str(total), "Upload-Offset": str(offset)}
    return client.put(f"/v1/attachments/{sha}", content=chunk, headers=headers)


def _row(app, sha: str = SHA):
    with app.state.engine.connect() as conn:
        return conn.execute(sa.select(attachments).where(attachments.c.sha256 == sha)).first()


def _stored_files(settings) -> list[str]:
    return sorted(p.name for p in (settings.data_dir / "attachments").rglob("*") if p.is_file())


def test_an_attachment_sent_in_one_go_is_stored_under_its_digest(client, tokens, app, settings):
    response = _put(client, tokens["ana.garcia"], PHOTO)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "sha256": SHA,
        "size": len(PHOTO),
        "content_type": "image/jpeg",
        "received_bytes": len(PHOTO),
        "is_complete": True,
    }
    assert response.headers["Upload-Offset"] == response.headers["Upload-Length"] == str(len(PHOTO))
    assert attachment_path(settings, SHA) == settings.data_dir / "attachments" / SHA[:2] / SHA
    assert attachment_path(settings, SHA).read_bytes() == PHOTO
    assert _stored_files(settings) == [SHA]  # no partial file, no scratch chunk left behind
    row = _row(app)
    assert row.is_complete and row.uploaded_by == "ana.garcia" and row.bucket == "activity:ana.garcia"
    assert row.completed_at is not None


@pytest.mark.parametrize("chunk_size", [1000, 4096, len(PHOTO) - 1])
def test_an_attachment_sent_in_chunks_grows_until_the_last_byte(client, tokens, settings, chunk_size):
    token = tokens["ana.garcia"]
    for offset in range(0, len(PHOTO), chunk_size):
        response = _put(client, token, PHOTO[offset : offset + chunk_size], offset)
        assert response.status_code == 200, response.text
        reached = min(offset + chunk_size, len(PHOTO))
        assert response.json()["received_bytes"] == reached
        assert response.json()["is_complete"] is (reached == len(PHOTO))
        assert attachment_path(settings, SHA).exists() is (reached == len(PHOTO))

    assert client.get(f"/v1/attachments/{SHA}", headers=_auth(token)).content == PHOTO


def test_after_a_cut_the_device_asks_where_to_resume_and_finishes(client, tokens, settings):
    token = tokens["ana.garcia"]
    half = len(PHOTO) // 2
    assert _put(client, token, PHOTO[:half]).status_code == 200
    assert partial_path(settings, SHA, tokens.client_ids["ana.garcia"]).read_bytes() == PHOTO[:half]

    head = client.head(f"/v1/attachments/{SHA}", headers=_auth(token))
    assert head.status_code == 200
    assert (head.headers["Upload-Offset"], head.headers["Upload-Length"]) == (str(half), str(len(PHOTO)))
    assert client.get(f"/v1/attachments/{SHA}", headers=_auth(token)).status_code == 404  # not complete yet

    resumed = _put(client, token, PHOTO[int(head.headers["Upload-Offset"]) :], half)
    assert resumed.status_code == 200 and resumed.json()["is_complete"] is True
    assert client.get(f"/v1/attachments/{SHA}", headers=_auth(token)).content == PHOTO
    assert not partial_path(settings, SHA, tokens.client_ids["ana.garcia"]).exists()


@pytest.mark.parametrize("offset", [0, 999, 1001, 5000])
def test_a_chunk_at_another_offset_than_the_stored_end_is_a_conflict_naming_the_expected_one(
    client, tokens, settings, offset
):
    token = tokens["ana.garcia"]
    _put(client, token, PHOTO[:1000])

    response = _put(client, token, PHOTO[offset : offset + 100], offset)

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "conflict" and response.json()["offset"] == 1000
    assert partial_path(settings, SHA, tokens.client_ids["ana.garcia"]).read_bytes() == PHOTO[:1000]


def test_the_first_chunk_of_an_unknown_attachment_must_start_at_zero(client, tokens, app):
    response = _put(client, tokens["ana.garcia"], PHOTO[500:], 500)
    assert response.status_code == 409 and response.json()["offset"] == 0
    assert _row(app) is None


@pytest.mark.parametrize("chunk_size", [len(PHOTO), 3000])
def test_bytes_that_do_not_hash_to_the_name_are_refused_and_nothing_is_kept(client, tokens, app, settings, chunk_size):
    token = tokens["ana.garcia"]
    forged = PHOTO[:-1] + b"?"
    responses = [_put(client, token, forged[o : o + chunk_size], o) for o in range(0, len(forged), chunk_size)]

    assert [r.status_code for r in responses[:-1]] == [200] * (len(responses) - 1)
    assert responses[-1].status_code == 422
    assert responses[-1].json()["code"] == "validation_failed" and "SHA-256" in responses[-1].json()["detail"]
    assert _row(app) is None and _stored_files(settings) == []
    assert client.head(f"/v1/attachments/{SHA}", headers=_auth(token)).status_code == 404
    # The right bytes can still be uploaded afterwards.
    assert _put(client, token, PHOTO).json()["is_complete"] is True


def test_an_attachment_over_the_size_bound_is_refused_before_its_body_is_read(client, tokens, app, settings):
    assert settings.max_attachment_bytes == 20 * 1024 * 1024
    response = _put(client, tokens["ana.garcia"], PHOTO, total=settings.max_attachment_bytes + 1)

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert response.json()["max_bytes"] == settings.max_attachment_bytes
    assert _row(app) is None and _stored_files(settings) == []


def test_a_chunk_longer_than_the_declared_rest_is_refused(client, tokens, settings):
    token = tokens["ana.garcia"]
    _put(client, token, PHOTO[:1000])
    response = _put(client, token, PHOTO[1000:] + b"extra", 1000)
    assert response.status_code == 413
    assert partial_path(settings, SHA, tokens.client_ids["ana.garcia"]).read_bytes() == PHOTO[:1000]


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/octet-stream", ""])
def test_a_content_type_that_is_not_allowed_is_refused(client, tokens, app, content_type):
    response = _put(client, tokens["ana.garcia"], PHOTO, content_type=content_type)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed" and "not accepted" in body["detail"]
    assert body["allowed"] == ["application/pdf", "image/jpeg", "image/png", "image/webp"]
    assert _row(app) is None


def test_content_type_parameters_and_case_do_not_matter(client, tokens, app):
    response = _put(client, tokens["ana.garcia"], PHOTO, content_type="Image/JPEG; q=1")
    assert response.status_code == 200 and response.json()["content_type"] == "image/jpeg"
    assert (
        client.get(f"/v1/attachments/{SHA}", headers=_auth(tokens["ana.garcia"])).headers["content-type"]
        == "image/jpeg"
    )


@pytest.mark.parametrize(
    "data",
    [b"<html><script>alert(1)</script></html>", b"%PDF-1.7\n<html>not really</html>"],
    ids=["html", "pdf-magic-only"],
)
def test_a_pdf_that_is_not_one_is_refused_on_its_last_byte_and_not_kept(client, tokens, app, settings, data):
    sha = hashlib.sha256(data).hexdigest()
    response = client.put(
        f"/v1/attachments/{sha}",
        content=data,
        headers={
            **_auth(tokens["ana.garcia"]),
            "Content-Type": "application/pdf",
            "Upload-Length": str(len(data)),
            "Upload-Offset": "0",
        },
    )
    assert response.status_code == 422, response.text
    assert response.json()["key"] == "problem.attachment.not_its_type", response.text
    assert not attachment_path(settings, sha).exists()


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("ana.garcia", 200),  # the uploader
        ("marta.jefa", 200),  # the uploader's manager: team scope
        ("bruno.diaz", 403),  # a seller of the same team: not his activity
        ("carla.sur", 403),  # a seller of another team
        ("sergio.jefe", 403),  # the manager of another team
    ],
)
def test_an_attachment_is_readable_only_inside_the_uploaders_scope(client, tokens, reader, status):
    _put(client, tokens["ana.garcia"], PHOTO)

    response = client.get(f"/v1/attachments/{SHA}", headers=_auth(tokens[reader]))

    assert response.status_code == status
    if status == 200:
        assert response.content == PHOTO
        assert response.headers["content-type"] == "image/jpeg"
        assert response.headers["etag"] == f'"{SHA}"'
    else:
        assert response.json()["code"] == "out_of_scope"


def test_sending_bytes_already_stored_is_a_no_op(client, tokens, app, settings):
    _put(client, tokens["ana.garcia"], PHOTO)
    first = _row(app)
    stored_at = attachment_path(settings, SHA).stat().st_mtime_ns

    again = _put(client, tokens["ana.garcia"], PHOTO)
    chunk_again = _put(client, tokens["ana.garcia"], PHOTO[:10], 0)
    by_other = _put(client, tokens["bruno.diaz"], PHOTO)

    assert [r.status_code for r in (again, chunk_again, by_other)] == [200, 200, 200]
    assert all(r.json()["is_complete"] for r in (again, chunk_again, by_other))
    assert _row(app) == first  # still Ana's, in Ana's bucket
    assert attachment_path(settings, SHA).stat().st_mtime_ns == stored_at
    # The documented rule: reading follows the bucket of the first upload, not who sent the bytes.
    assert client.get(f"/v1/attachments/{SHA}", headers=_auth(tokens["bruno.diaz"])).status_code == 403


def test_unknown_attachments_are_not_found(client, tokens):
    unknown = "ab" * 32
    assert client.head(f"/v1/attachments/{unknown}", headers=_auth(tokens["ana.garcia"])).status_code == 404
    response = client.get(f"/v1/attachments/{unknown}", headers=_auth(tokens["ana.garcia"]))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("name", ["not-a-digest", SHA[:-1], SHA + "0", "../" + SHA[3:]])
def test_a_name_that_is_not_a_sha256_is_refused(client, tokens, name):
    response = _put(client, tokens["ana.garcia"], PHOTO, sha=name)
    assert response.status_code in (404, 422)  # a slash never reaches the route
    if response.status_code == 422:
        assert response.json()["code"] == "validation_failed"


def test_every_attachment_call_needs_a_token(client, tokens):
    url = f"/v1/attachments/{SHA}"
    headers = {"Content-Type": "image/jpeg", "Upload-Length": str(len(PHOTO)), "Upload-Offset": "0"}
    assert client.put(url, content=PHOTO, headers=headers).status_code == 401
    assert client.head(url).status_code == 401
    assert client.get(url).status_code == 401


def test_missing_upload_headers_are_a_validation_problem(client, tokens):
    headers = {**_auth(tokens["ana.garcia"]), "Content-Type": "image/jpeg"}
    response = client.put(f"/v1/attachments/{SHA}", content=PHOTO, headers=headers)
    assert response.status_code == 422 and response.json()["code"] == "validation_failed"


def test_a_connection_cut_mid_chunk_keeps_the_bytes_that_arrived(client, tokens, app, settings):
    """Driven at the ASGI level: the body stops after 3000 bytes and the client disconnects."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "PUT",
        "scheme": "http",
        "path": f"/v1/attachments/{SHA}",
        "raw_path": f"/v1/attachments/{SHA}".encode(),
        "query_string": b"",
        "root_path": "",
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", f"Bearer {tokens['ana.garcia']}".encode()),
            (b"content-type", b"image/jpeg"),
            (b"content-length", str(len(PHOTO)).encode()),
            (b"upload-length", str(len(PHOTO)).encode()),
            (b"upload-offset", b"0"),
        ],
    }
    messages = [
        {"type": "http.request", "body": PHOTO[:2000], "more_body": True},
        {"type": "http.request", "body": PHOTO[2000:3000], "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(_message):
        pass

    anyio.run(app, scope, receive, send)

    head = client.head(f"/v1/attachments/{SHA}", headers=_auth(tokens["ana.garcia"]))
    assert head.headers["Upload-Offset"] == "3000"
    assert partial_path(settings, SHA, tokens.client_ids["ana.garcia"]).read_bytes() == PHOTO[:3000]
    assert _put(client, tokens["ana.garcia"], PHOTO[3000:], 3000).json()["is_complete"] is True


def test_a_late_request_for_an_offset_already_filled_gets_the_conflict(app, settings, tokens, client):
    """A request still running after its device gave up and resumed must not write twice."""
    ana = tokens.principal("ana.garcia")
    engine = app.state.engine
    _put(client, tokens["ana.garcia"], PHOTO[:1000])
    offer = ChunkOffer(SHA, "image/jpeg", len(PHOTO), 1000)
    start_chunk(engine, settings, ana, offer)  # the first request is accepted ...
    late = StagedChunk(settings, limit=len(PHOTO) - 1000)
    late.write(PHOTO[1000:2000])
    assert _put(client, tokens["ana.garcia"], PHOTO[1000:4000], 1000).status_code == 200  # ... the retry lands first

    with pytest.raises(Conflict) as raised:
        commit_chunk(engine, settings, ana, offer, late)
    late.discard()

    assert raised.value.extra["offset"] == 4000
    assert partial_path(settings, SHA, tokens.client_ids["ana.garcia"]).read_bytes() == PHOTO[:4000]


def test_an_upload_declared_with_another_length_starts_over(client, tokens, app, settings):
    token = tokens["ana.garcia"]
    _put(client, token, b"x" * 1000, total=len(PHOTO) + 7)  # a buggy device's wrong length

    midway = _put(client, token, PHOTO[1000:2000], 1000)
    assert midway.status_code == 409 and midway.json()["offset"] == 0
    assert _put(client, token, PHOTO).json()["is_complete"] is True
    assert attachment_path(settings, SHA).read_bytes() == PHOTO


def test_lost_partial_bytes_make_the_upload_start_over(client, tokens, settings):
    token = tokens["ana.garcia"]
    _put(client, token, PHOTO[:1000])
    partial_path(settings, SHA, tokens.client_ids["ana.garcia"]).unlink()

    response = _put(client, token, PHOTO[1000:], 1000)
    assert response.status_code == 409 and response.json()["offset"] == 0
    assert _put(client, token, PHOTO).json()["is_complete"] is True


# --- uploads in progress belong to the device that started them -------------------------


def _head(client, token, sha: str = SHA):
    return client.head(f"/v1/attachments/{sha}", headers=_auth(token))


def test_another_sellers_head_of_an_upload_in_progress_is_a_plain_404(client, tokens):
    _put(client, tokens["ana.garcia"], PHOTO[:1000])
    theirs = _head(client, tokens["bruno.diaz"])
    unknown = _head(client, tokens["bruno.diaz"], "cd" * 32)
    assert theirs.status_code == unknown.status_code == 404
    assert "upload-offset" not in theirs.headers and "upload-length" not in theirs.headers
    assert set(theirs.headers) == set(unknown.headers)
    assert _head(client, tokens["ana.garcia"]).headers["Upload-Offset"] == "1000"


def test_another_sellers_chunks_never_touch_an_upload_in_progress(client, tokens, settings):
    _put(client, tokens["ana.garcia"], PHOTO[:1000])
    # Bruno sends garbage where Ana's upload stands, then restarts "it" with another declaration.
    spoiled = _put(client, tokens["bruno.diaz"], b"\x00" * 500, 1000)
    restarted = _put(client, tokens["bruno.diaz"], b"x" * 10, 0, total=10, content_type="image/png")
    assert spoiled.status_code == 409 and spoiled.json()["offset"] == 0  # Bruno's own: nothing yet
    assert restarted.status_code == 422 and restarted.json()["code"] == "validation_failed"  # his bytes: wrong
    assert partial_path(settings, SHA, tokens.client_ids["ana.garcia"]).read_bytes() == PHOTO[:1000]
    finished = _put(client, tokens["ana.garcia"], PHOTO[1000:], 1000)
    assert finished.status_code == 200 and finished.json()["is_complete"] is True
    assert attachment_path(settings, SHA).read_bytes() == PHOTO


def test_two_sellers_sending_the_same_bytes_both_finish_and_the_first_keeps_it(client, tokens, app):
    _put(client, tokens["ana.garcia"], PHOTO[:1000])
    _put(client, tokens["bruno.diaz"], PHOTO[:2000])
    assert _put(client, tokens["bruno.diaz"], PHOTO[2000:], 2000).json()["is_complete"] is True
    assert _put(client, tokens["ana.garcia"], PHOTO[1000:], 1000).json()["is_complete"] is True
    assert _row(app).bucket == "activity:bruno.diaz"


def test_a_second_tablet_of_the_same_seller_does_not_see_the_first_ones_upload(client, tokens, settings):
    _put(client, tokens["ana.garcia"], PHOTO[:1000])
    second = tokens.another_device("ana.garcia")
    assert _head(client, second).status_code == 404
    assert _put(client, second, PHOTO[:10], 1000).status_code == 409
    assert _head(client, tokens["ana.garcia"]).headers["Upload-Offset"] == "1000"


@pytest.mark.parametrize(
    "asker, status", [("bruno.diaz", 200), ("carla.sur", 404), ("marta.jefa", 200), ("sergio.jefe", 404)]
)
def test_head_of_a_complete_attachment_answers_only_inside_its_scope(client, tokens, asker, status):
    _put(client, tokens["ana.garcia"], PHOTO)
    if asker == "bruno.diaz":  # same team, but another seller's activity: not in his scope
        status = 404
    response = _head(client, tokens[asker])
    assert response.status_code == status
    if status == 200:
        assert response.headers["Upload-Offset"] == response.headers["Upload-Length"] == str(len(PHOTO))


def test_bytes_stored_outside_the_callers_scope_are_told_complete_only_after_all_of_them_arrived(client, tokens):
    _put(client, tokens["ana.garcia"], PHOTO)
    first = _put(client, tokens["carla.sur"], PHOTO[:1000])
    assert first.status_code == 200 and first.json()["is_complete"] is False
    assert _put(client, tokens["carla.sur"], PHOTO[1000:], 1000).json()["is_complete"] is True
