"""A revoked tablet wipes itself at its next contact, whichever request learns it first.

The real server in-process: an administrator revokes ana's device, and the next sync round
(its attachment HEAD, a push, a pull) or sign-in finds out. Everything of hers on the device
goes: database, kept files, device record, secrets.
"""

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from client.services.files import pending_uploads, upload_kept_files
from client.services.observations import record_competitor_observation
from client.services.session import Session, remembered_login, resume_session, sign_in, sign_out
from client.services.synchronization import sync_now
from client.settings import ClientSettings
from client.store import files_dir, read_state, user_db_path
from client.store.secrets import FileSecretStore, database_key_name, pin_name, token_name
from client.sync import SyncApi
from shared.errors import DeviceRevoked
from shared.models import Presence
from sync_server.repository.database import write_transaction
from sync_server.services.auth import revoke_device

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def vault(tmp_path) -> FileSecretStore:
    """Ana's secrets, in a folder of their own so the test can look inside."""
    return FileSecretStore(tmp_path / "vault")


@pytest.fixture
def device(tmp_path) -> ClientSettings:
    return ClientSettings(data_dir=tmp_path / "tablet")


def _api(server) -> SyncApi:
    return SyncApi("", http_client=httpx.Client(base_url="http://testserver", transport=server._transport))


@pytest.fixture
def signed_in(server, device, vault) -> Iterator[Session]:
    session = sign_in(device, "ana.garcia", "secret-pass-1", api=_api(server), secrets=vault)
    sync_now(session)
    yield session
    if session.store.path.exists():
        sign_out(session)


def _revoke(server, session: Session) -> None:
    with write_transaction(server.app.state.engine) as conn:
        revoke_device(conn, str(session.client_id))


def _photo_pending(session: Session) -> str:
    observation = record_competitor_observation(
        session, "C1", "Würth", observed_price=Decimal("1.19"), currency="EUR", presence=Presence.HIGH, photos=(PNG,)
    )
    assert pending_uploads(session.store) == [(observation.photo_sha256[0], "image/png")]
    return observation.photo_sha256[0]


def _assert_wiped(device: ClientSettings, vault: FileSecretStore) -> None:
    database = user_db_path(device.data_dir, "ana.garcia")
    assert [p.name for p in database.parent.glob("ana.garcia.db*")] == []
    assert not files_dir(device.data_dir, "ana.garcia").exists()
    assert not (Path(device.data_dir) / "device.json").exists()
    assert [vault.get(n("ana.garcia")) for n in (token_name, database_key_name, pin_name)] == [None, None, None]
    assert remembered_login(device) is None


def test_the_secrets_are_in_the_secret_store_not_in_the_database(signed_in, device, vault):
    with signed_in.store.read() as db:
        assert read_state(db).token is None
    assert vault.get(token_name("ana.garcia")) == signed_in.api.token
    assert signed_in.api.token and signed_in.api.token.encode() not in signed_in.store.path.read_bytes()


def test_a_revocation_seen_on_the_upload_head_wipes_the_device(server, signed_in, device, vault):
    sha256 = _photo_pending(signed_in)
    assert (files_dir(device.data_dir, "ana.garcia") / sha256).exists()
    _revoke(server, signed_in)

    # The upload's HEAD is the first request of the round: its answer has no body, only
    # the Terreno-Problem header, and that is enough to know.
    with pytest.raises(DeviceRevoked):
        upload_kept_files(signed_in)
    with pytest.raises(DeviceRevoked):
        sync_now(signed_in)
    _assert_wiped(device, vault)


def test_a_revocation_while_a_photo_waits_wipes_everything_at_the_next_round(server, signed_in, device, vault):
    _photo_pending(signed_in)
    _revoke(server, signed_in)
    with pytest.raises(DeviceRevoked):
        sync_now(signed_in)
    _assert_wiped(device, vault)
    assert resume_session(device, secrets=vault) is None  # nothing to reopen, even offline


def test_a_revocation_seen_by_a_pull_wipes_the_device_too(server, signed_in, device, vault):
    _revoke(server, signed_in)  # nothing to upload or push: the pull is the first to hear it
    with pytest.raises(DeviceRevoked):
        sync_now(signed_in)
    _assert_wiped(device, vault)


def test_a_revoked_device_signing_in_again_is_wiped_and_refused(server, signed_in, device, vault):
    _photo_pending(signed_in)
    sign_out(signed_in)
    _revoke(server, signed_in)
    with pytest.raises(DeviceRevoked):
        sign_in(device, "ana.garcia", "secret-pass-1", api=_api(server), secrets=vault)
    _assert_wiped(device, vault)


def test_another_users_data_on_the_same_tablet_stays(server, signed_in, device, vault):
    bruno = sign_in(device, "bruno.diaz", "secret-pass-1", api=_api(server), secrets=vault)
    sync_now(bruno)
    bruno_token = bruno.api.token
    sign_out(bruno)
    _revoke(server, signed_in)
    with pytest.raises(DeviceRevoked):
        sync_now(signed_in)
    assert user_db_path(device.data_dir, "bruno.diaz").exists()
    assert vault.get(token_name("bruno.diaz")) is None  # signed out: his token went then
    assert bruno_token
