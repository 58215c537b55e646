"""Signing in and out: one database per user, client_id kept, resume without network."""

from datetime import UTC, datetime, timedelta

import pytest

from client.services.session import (
    remembered_login,
    resume_session,
    sign_in,
    sign_out,
    unsynced_count,
)
from client.services.synchronization import sync_now, sync_status
from client.store import enqueue, read_state, save_state, user_db_path
from client.store.secrets import token_name
from client.sync import Offline, SyncApi
from shared.errors import AuthError, DeviceRevoked, ValidationFailed
from shared.models import Role
from tests.client.factories import make_customer, put
from tests.client.fakes import FakeSyncServer


@pytest.fixture
def server() -> FakeSyncServer:
    return FakeSyncServer([put(make_customer("C1"), 1), put(make_customer("C2"), 2)])


def api_for(server: FakeSyncServer) -> SyncApi:
    return SyncApi("http://terreno.test", transport=server.transport())


def test_sign_in_opens_the_users_database_and_saves_the_token(client_settings, server):
    session = sign_in(client_settings, "Ana.Garcia ", "secret-pass-1", "Tablet 7", api=api_for(server))
    try:
        assert (session.login, session.role, session.home_warehouse) == ("ana.garcia", Role.SELLER, "MAD")
        assert session.store.path == user_db_path(client_settings.data_dir, "ana.garcia")
        with session.store.read() as db:
            state = read_state(db)
        assert (state.client_id, state.login) == (session.client_id, "ana.garcia")
        # The token is kept in the secret store, never in the database.
        assert state.token is None and session.secrets.get(token_name("ana.garcia")) == "tok-1"
        assert server.logins[0]["client_id"] is None and server.logins[0]["device_name"] == "Tablet 7"
        assert remembered_login(client_settings) == "ana.garcia"
    finally:
        sign_out(session)


def test_the_client_id_is_kept_across_sign_ins_of_the_same_user(client_settings, server):
    first = sign_in(client_settings, "ana.garcia", "secret-pass-1", api=api_for(server))
    sign_out(first)
    second = sign_in(client_settings, "ana.garcia", "secret-pass-1", api=api_for(server))
    sign_out(second)
    assert server.logins[1]["client_id"] == str(first.client_id)
    assert second.client_id == first.client_id


def test_wrong_password_creates_no_database(client_settings, server):
    with pytest.raises(AuthError):
        sign_in(client_settings, "mallory", "guess", api=api_for(server))
    assert not user_db_path(client_settings.data_dir, "mallory").exists()
    assert remembered_login(client_settings) is None


def test_an_invalid_login_is_a_validation_error(client_settings, server):
    with pytest.raises(ValidationFailed):
        sign_in(client_settings, "ana garcia/..", "secret-pass-1", api=api_for(server))
    assert server.logins == []


def test_signing_in_without_network_is_offline(client_settings):
    settings = client_settings.model_copy(update={"server_url": "http://127.0.0.1:9", "connect_timeout_seconds": 2})
    with pytest.raises(Offline):
        sign_in(settings, "ana.garcia", "secret-pass-1")


def test_resume_reopens_the_session_without_network_until_the_token_expires(client_settings, server):
    session = sign_in(client_settings, "ana.garcia", "secret-pass-1", api=api_for(server))
    sync_now(session)
    session.store.close()
    session.api.close()

    resumed = resume_session(client_settings)  # no transport: nothing may be sent
    assert resumed is not None
    assert (resumed.login, resumed.client_id, resumed.name, resumed.role) == (
        "ana.garcia",
        session.client_id,
        "Ana García",
        Role.SELLER,
    )
    assert resumed.api.token == "tok-1"
    resumed.store.close()
    resumed.api.close()

    later = datetime.now(UTC) + timedelta(days=15)
    assert resume_session(client_settings, now=later) is None


def test_sign_out_reports_unsynced_changes_and_keeps_them(client_settings, server):
    session = sign_in(client_settings, "ana.garcia", "secret-pass-1", api=api_for(server))
    sync_now(session)
    with session.store.write() as db:
        enqueue(db, "record_visit", {"id": "v1"})
        enqueue(db, "record_visit", {"id": "v2"})
    assert unsynced_count(session) == 2
    assert sign_out(session) == 2
    assert resume_session(client_settings) is None  # the token is gone
    assert remembered_login(client_settings) is None

    again = sign_in(client_settings, "ana.garcia", "secret-pass-1", api=api_for(server))
    assert unsynced_count(again) == 2  # still there, to be pushed
    sign_out(again)


def test_each_user_has_their_own_database(client_settings, server):
    ana = sign_in(client_settings, "ana.garcia", "secret-pass-1", api=api_for(server))
    sync_now(ana)
    sign_out(ana)
    bruno = sign_in(client_settings, "bruno.diaz", "secret-pass-1", api=api_for(server))
    with bruno.store.read() as db:
        assert db.execute("SELECT count(*) FROM customers").fetchone()[0] == 0
    assert bruno.store.path != ana.store.path
    sign_out(bruno)


def test_a_revoked_device_wipes_the_users_data(client_settings, server):
    session = sign_in(client_settings, "ana.garcia", "secret-pass-1", api=api_for(server))
    sync_now(session)
    server.failure = DeviceRevoked("revoked by an administrator")
    server.fail_after_pages = len(server.pull_requests)
    with pytest.raises(DeviceRevoked):
        sync_now(session)
    assert not user_db_path(client_settings.data_dir, "ana.garcia").exists()
    assert remembered_login(client_settings) is None


def test_sync_status_reads_the_local_store_only(client_settings, server):
    session = sign_in(client_settings, "ana.garcia", "secret-pass-1", api=api_for(server))
    before = sync_status(session)
    assert (before.has_data, before.last_success_at, before.unsynced) == (False, None, 0)
    sync_now(session)
    with session.store.write() as db:
        enqueue(db, "record_visit", {"id": "v1"})
    after = sync_status(session)
    assert after.has_data and after.last_success_at is not None and after.unsynced == 1
    assert after.last_success_at.tzinfo is not None
    sign_out(session)


def test_a_token_kept_in_the_database_by_an_older_app_moves_to_the_secret_store(client_settings, server):
    session = sign_in(client_settings, "ana.garcia", "secret-pass-1", api=api_for(server))
    with session.store.write() as db:
        save_state(db, token="tok-1")  # where the app kept it before the secret store
    session.secrets.delete(token_name("ana.garcia"))
    session.store.close()
    session.api.close()

    resumed = resume_session(client_settings)
    assert resumed is not None and resumed.api.token == "tok-1"
    with resumed.store.read() as db:
        assert read_state(db).token is None
    assert resumed.secrets.get(token_name("ana.garcia")) == "tok-1"
    sign_out(resumed)
