"""Accounts: sign-in throttling, logout, password changes and the login rule (SQLite and PostgreSQL)."""

import sqlalchemy as sa

from sync_server.repository.tables import audit_log, tokens
from sync_server.services.accounts import reset_password
from tests.sync_server.factories import make_user, sign_in

_WRONG = {"login": "ana.garcia", "password": "not-her-password"}


def _kinds(app) -> list[tuple[str, str | None]]:
    with app.state.engine.connect() as conn:
        return [(r.kind, r.login) for r in conn.execute(sa.select(audit_log).order_by(audit_log.c.id))]


def _pull(client, token: str) -> int:
    return client.get("/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_login_that_failed_too_often_gets_429_with_retry_after_even_with_the_right_password(client, seed, app):
    seed(lambda c: make_user(c, "ana.garcia"))
    for _ in range(app.state.settings.sign_in_failures_per_login):
        assert client.post("/v1/auth/login", json=_WRONG).status_code == 401
    throttled = client.post("/v1/auth/login", json={"login": "ana.garcia", "password": "secret-pass-1"})
    assert throttled.status_code == 429, throttled.text
    assert throttled.json()["code"] == "too_many_requests" and throttled.json()["key"] == "problem.sign_in.too_many"
    assert 0 < int(throttled.headers["Retry-After"]) <= 15 * 60
    kinds = [kind for kind, _ in _kinds(app)]
    assert kinds == ["sign_in_failed"] * 5 + ["sign_in_throttled"]


def test_a_successful_sign_in_starts_the_logins_count_again(client, seed, app):
    seed(lambda c: make_user(c, "ana.garcia"))
    for _ in range(4):
        assert client.post("/v1/auth/login", json=_WRONG).status_code == 401
    sign_in(client, "ana.garcia")
    for _ in range(4):
        assert client.post("/v1/auth/login", json=_WRONG).status_code == 401
    sign_in(client, "ana.garcia")


def test_an_address_that_failed_too_often_is_throttled_for_every_login(client, seed, app):
    app.state.settings = app.state.settings.model_copy(update={"sign_in_failures_per_address": 3})
    seed(lambda c: (make_user(c, "ana.garcia"), make_user(c, "bruno.diaz")))
    for login in ("nadie.uno", "nadie.dos", "nadie.tres"):
        assert client.post("/v1/auth/login", json={"login": login, "password": "x"}).status_code == 401
    refused = client.post("/v1/auth/login", json={"login": "bruno.diaz", "password": "secret-pass-1"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_logout_ends_only_this_tokens_session(client, seed, app):
    seed(lambda c: make_user(c, "ana.garcia"))
    tablet, phone = sign_in(client, "ana.garcia"), sign_in(client, "ana.garcia")
    out = client.post("/v1/auth/logout", headers={"Authorization": f"Bearer {tablet['token']}"})
    assert out.status_code == 204
    assert (_pull(client, tablet["token"]), _pull(client, phone["token"])) == (401, 200)
    assert ("logout", "ana.garcia") in _kinds(app)


def test_changing_ones_password_ends_every_session_and_the_new_one_signs_in(client, seed, app):
    seed(lambda c: make_user(c, "ana.garcia"))
    tablet, phone = sign_in(client, "ana.garcia"), sign_in(client, "ana.garcia")
    auth = {"Authorization": f"Bearer {tablet['token']}"}
    weak = client.post(
        "/v1/auth/password", json={"current_password": "secret-pass-1", "new_password": "1234567890"}, headers=auth
    )
    assert (weak.status_code, weak.json()["key"]) == (422, "problem.password.common")
    wrong = client.post(
        "/v1/auth/password", json={"current_password": "nope", "new_password": "tortilla-2026"}, headers=auth
    )
    assert wrong.status_code == 401
    done = client.post(
        "/v1/auth/password", json={"current_password": "secret-pass-1", "new_password": "tortilla-2026"}, headers=auth
    )
    assert done.status_code == 204, done.text
    assert (_pull(client, tablet["token"]), _pull(client, phone["token"])) == (401, 401)
    assert client.post("/v1/auth/login", json={"login": "ana.garcia", "password": "secret-pass-1"}).status_code == 401
    sign_in(client, "ana.garcia", "tortilla-2026")
    assert ("password_changed", "ana.garcia") in _kinds(app)


def test_an_administrators_reset_ends_every_session(client, seed, app):
    seed(lambda c: make_user(c, "ana.garcia"))
    session = sign_in(client, "ana.garcia")
    seed(lambda c: reset_password(c, "ana.garcia", "nuevo-acceso-77"))
    assert _pull(client, session["token"]) == 401
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(tokens)).scalar() == 0
    sign_in(client, "ana.garcia", "nuevo-acceso-77")


def test_a_login_outside_the_rule_is_refused_before_any_password_is_checked(client, seed):
    seed(lambda c: make_user(c, "ana.garcia"))
    for login in ("..", "../ana.garcia", "ana/garcia", "ana..garcia", ".ana", "ana\u202egarcia", "ana\x00"):
        response = client.post("/v1/auth/login", json={"login": login, "password": "secret-pass-1"})
        assert response.status_code == 422, (login, response.text)
    assert sign_in(client, " Ana.Garcia ")["login"] == "ana.garcia"  # typed loosely, signed in as written
