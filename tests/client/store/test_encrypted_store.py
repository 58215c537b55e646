"""The device database encrypted with SQLCipher (desktop): unreadable as plain SQLite, and
opened again only with its key, which lives in the secret store."""

import sqlite3

import pytest

from client.services.session import resume_session, sign_in, sign_out
from client.services.synchronization import sync_now
from client.store import driver, open_user_store, user_db_path
from client.store.secrets import FileSecretStore, MemorySecretStore, database_key_name
from client.sync import SyncApi
from tests.client.factories import make_customer, put
from tests.client.fakes import FakeSyncServer


def test_this_build_can_encrypt():
    # The desktop build pins sqlcipher3-binary: without it the rest of this file means nothing.
    assert driver.HAS_ENCRYPTION


def _customers(store) -> int:
    with store.read() as db:
        return db.execute("SELECT count(*) FROM customers").fetchone()[0]


def test_an_encrypted_store_is_not_readable_as_plain_sqlite(tmp_path):
    key = driver.new_key()
    with open_user_store(tmp_path, "ana.garcia", key=key) as store:
        assert store.is_encrypted
        with store.write() as db:
            db.execute("INSERT INTO sync_state (key, value) VALUES ('note', 'Würth costs 1.19')")
    path = user_db_path(tmp_path, "ana.garcia")
    assert not driver.is_plain_file(path)
    assert b"W\xc3\xbcrth" not in path.read_bytes()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()

    with open_user_store(tmp_path, "ana.garcia", key=key) as again, again.read() as db:
        assert db.execute("SELECT value FROM sync_state WHERE key = 'note'").fetchone()[0] == "Würth costs 1.19"
    with pytest.raises(driver.DatabaseError):
        open_user_store(tmp_path, "ana.garcia", key=driver.new_key())


def test_a_second_connection_with_the_key_reads_the_file_too(tmp_path):
    # The upkeep after a first sync checkpoints the WAL on a connection of its own.
    with open_user_store(tmp_path, "ana.garcia", key=driver.new_key()) as store:
        with store.write() as db:
            db.execute("INSERT INTO sync_state (key, value) VALUES ('note', 'x')")
        side = store._open_side_connection()
        try:
            assert side.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[0] == 0
            assert side.execute("SELECT value FROM sync_state WHERE key = 'note'").fetchone()[0] == "x"
        finally:
            side.close()


def test_a_plain_store_stays_plain_sqlite(tmp_path):
    open_user_store(tmp_path, "ana.garcia").close()
    path = user_db_path(tmp_path, "ana.garcia")
    assert driver.is_plain_file(path)
    assert sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0


@pytest.mark.parametrize("key", ["short", "G" * 64, "A" * 64])
def test_a_malformed_key_is_refused_before_touching_the_file(tmp_path, key):
    with pytest.raises(ValueError, match="64 lower-case hex"):
        driver.connect(tmp_path / "x.db", key=key, timeout=1)
    assert not (tmp_path / "x.db").exists()


@pytest.fixture
def server() -> FakeSyncServer:
    return FakeSyncServer([put(make_customer("C1"), 1)])


def test_signing_in_makes_an_encrypted_database_keyed_from_the_secret_store(client_settings, server):
    settings = client_settings.model_copy(update={"encrypt_database": True})
    vault = FileSecretStore(client_settings.data_dir / "vault")
    api = SyncApi("http://terreno.test", transport=server.transport())
    session = sign_in(settings, "ana.garcia", "secret-pass-1", api=api, secrets=vault)
    sync_now(session)
    assert session.store.is_encrypted and _customers(session.store) == 1
    key = vault.get(database_key_name("ana.garcia"))
    assert key is not None and key.encode() not in (client_settings.data_dir / "device.json").read_bytes()
    session.store.close()
    session.api.close()

    resumed = resume_session(settings, secrets=vault)
    assert resumed is not None and resumed.store.is_encrypted and _customers(resumed.store) == 1
    sign_out(resumed)


def test_a_database_whose_key_is_gone_is_not_opened_and_a_sign_in_starts_over(client_settings, server):
    settings = client_settings.model_copy(update={"encrypt_database": True})
    vault = MemorySecretStore()
    api = SyncApi("http://terreno.test", transport=server.transport())
    session = sign_in(settings, "ana.garcia", "secret-pass-1", api=api, secrets=vault)
    sync_now(session)
    session.store.close()
    session.api.close()

    vault.delete(database_key_name("ana.garcia"))  # the platform's store was cleared
    assert resume_session(settings, secrets=vault) is None
    again = sign_in(
        settings,
        "ana.garcia",
        "secret-pass-1",
        api=SyncApi("http://terreno.test", transport=server.transport()),
        secrets=vault,
    )
    assert again.store.is_encrypted and _customers(again.store) == 0  # a fresh file, synced anew
    sync_now(again)
    assert _customers(again.store) == 1
    sign_out(again)


def test_with_encryption_off_a_new_database_is_plain(client_settings, server):
    settings = client_settings.model_copy(update={"encrypt_database": False})
    vault = MemorySecretStore()
    session = sign_in(
        settings,
        "ana.garcia",
        "secret-pass-1",
        api=SyncApi("http://terreno.test", transport=server.transport()),
        secrets=vault,
    )
    assert not session.store.is_encrypted and vault.get(database_key_name("ana.garcia")) is None
    sign_out(session)
