"""Sign-in, devices and tokens through the HTTP API (SQLite and PostgreSQL)."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from shared.models import Role
from sync_server.repository.tables import devices, tokens
from tests.sync_server.factories import make_user, sign_in


def test_sign_in_returns_a_token_bound_to_a_new_device(client, seed):
    seed(lambda c: make_user(c, "ana.garcia"))
    body = sign_in(client, "ana.garcia", device_name="Tablet Ana")
    assert body["login"] == "ana.garcia" and body["role"] == "seller" and body["home_warehouse"] == "MAD"
    assert datetime.fromisoformat(body["expires_at"]) > datetime.now(UTC) + timedelta(days=13)
    pull = client.get("/v1/sync/pull", headers={"Authorization": f"Bearer {body['token']}"})
    assert pull.status_code == 200


def test_signing_in_again_with_the_device_id_keeps_the_device(client, seed, app):
    seed(lambda c: make_user(c, "ana.garcia"))
    first = sign_in(client, "ana.garcia")
    second = sign_in(client, "ana.garcia", client_id=first["client_id"])
    assert second["client_id"] == first["client_id"] and second["token"] != first["token"]
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(devices)).scalar() == 1


def test_tokens_are_stored_hashed(client, seed, app):
    seed(lambda c: make_user(c, "ana.garcia"))
    token = sign_in(client, "ana.garcia")["token"]
    with app.state.engine.connect() as conn:
        stored = conn.execute(sa.select(tokens.c.token_hash)).scalars().all()
    assert stored and token not in stored


def test_wrong_password_and_unknown_login_get_the_same_problem(client, seed):
    seed(lambda c: make_user(c, "ana.garcia"))
    wrong = client.post("/v1/auth/login", json={"login": "ana.garcia", "password": "nope"})
    unknown = client.post("/v1/auth/login", json={"login": "nobody", "password": "nope"})
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "unauthorized"
        assert response.json()["detail"] == "wrong login or password"


def test_a_device_id_of_another_user_is_refused(client, seed):
    seed(lambda c: (make_user(c, "ana.garcia"), make_user(c, "bruno.diaz")))
    ana = sign_in(client, "ana.garcia")
    response = client.post(
        "/v1/auth/login", json={"login": "bruno.diaz", "password": "secret-pass-1", "client_id": ana["client_id"]}
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_expired_token_is_refused(client, seed, app):
    seed(lambda c: make_user(c, "ana.garcia"))
    token = sign_in(client, "ana.garcia")["token"]
    with app.state.engine.begin() as conn:
        conn.execute(sa.update(tokens).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    response = client.get("/v1/sync/pull", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and response.json()["detail"] == "session expired; sign in again"


def test_revoked_device_is_told_to_wipe(client, seed):
    seed(lambda c: (make_user(c, "ana.garcia"), make_user(c, "root", role=Role.ADMIN)))
    ana = sign_in(client, "ana.garcia")
    admin = sign_in(client, "root")
    forbidden = client.post(
        f"/v1/admin/devices/{ana['client_id']}/revoke", headers={"Authorization": f"Bearer {ana['token']}"}
    )
    assert forbidden.status_code == 403
    done = client.post(
        f"/v1/admin/devices/{ana['client_id']}/revoke", headers={"Authorization": f"Bearer {admin['token']}"}
    )
    assert done.status_code == 204
    pull = client.get("/v1/sync/pull", headers={"Authorization": f"Bearer {ana['token']}"})
    assert pull.status_code == 401 and pull.json()["code"] == "device_revoked"
    again = client.post(
        "/v1/auth/login", json={"login": "ana.garcia", "password": "secret-pass-1", "client_id": ana["client_id"]}
    )
    assert again.json()["code"] == "device_revoked"


def test_malformed_login_names_the_field(client):
    response = client.post("/v1/auth/login", json={"login": "ana garcía", "password": ""})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e.startswith("login:") for e in errors) and any(e.startswith("password:") for e in errors)


def test_each_device_of_a_user_gets_its_own_number_kept_across_sign_ins(client, seed):
    seed(lambda c: (make_user(c, "ana.garcia"), make_user(c, "john.smith")))
    first = sign_in(client, "ana.garcia")
    second = sign_in(client, "ana.garcia")
    again = sign_in(client, "ana.garcia", client_id=first["client_id"])
    other_user = sign_in(client, "john.smith")
    assert (first["device_number"], second["device_number"], again["device_number"]) == (1, 2, 1)
    assert other_user["device_number"] == 1
    # Ana Garcia → AG, John Smith → JS (make_user titles the login as the name).
    assert (first["quote_prefix"], second["quote_prefix"], again["quote_prefix"]) == ("AG1", "AG2", "AG1")
    assert other_user["quote_prefix"] == "JS1"


def test_two_users_with_the_same_initials_never_share_a_quote_prefix(client, seed):
    seed(lambda c: (make_user(c, "ana.garcia"), make_user(c, "alberto.gil")))
    ana, alberto = sign_in(client, "ana.garcia"), sign_in(client, "alberto.gil")
    assert (ana["quote_prefix"], alberto["quote_prefix"]) == ("AG1", "AG2")
    assert (ana["device_number"], alberto["device_number"]) == (1, 2)  # Alberto's first device skips AG1
    assert sign_in(client, "ana.garcia")["quote_prefix"] == "AG3"


def test_a_revoked_devices_number_is_never_given_again(client, seed, app):
    seed(lambda c: make_user(c, "ana.garcia"))
    first = sign_in(client, "ana.garcia")
    with app.state.engine.begin() as conn:
        conn.execute(sa.update(devices).values(revoked_at=datetime.now(UTC)))
    assert sign_in(client, "ana.garcia")["device_number"] == 2
    assert first["device_number"] == 1


def test_the_server_gives_blocking_work_the_threads_its_settings_say(database_url, tmp_path):
    import anyio.to_thread
    from starlette.testclient import TestClient

    from sync_server.app import create_app
    from sync_server.settings import ServerSettings

    app = create_app(ServerSettings(data_dir=tmp_path, database_url=database_url, worker_threads=7))
    with TestClient(app) as client:
        assert client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens) == 7
    app.state.engine.dispose()
