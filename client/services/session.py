"""Signing in and out on the device (DESIGN §4.1).

A session is a signed-in user: their own database (`<data_dir>/users/<login>.db`) and a
protocol client carrying their token. The device keeps its `client_id` per user in that
database and sends it back at every sign-in, so the server sees one device, not a new one
each time. The app reopens the last session at start without the network while its token
is valid; signing out forgets the token but keeps the data and the unsynced outbox.

The token and the database key are kept in a `SecretStore` (the platform's secure store in
the app), never in the database or beside it in plain files. A new database is encrypted
with a random key (SQLCipher) where the platform allows it and the settings ask for it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from pydantic import ValidationError

from client.settings import ClientSettings
from client.store import (
    Store,
    count_pending,
    delete_user_store,
    driver,
    open_user_store,
    read_last_login,
    read_state,
    save_state,
    user_db_path,
    wipe_user_data,
    write_last_login,
)
from client.store.secrets import (
    FileSecretStore,
    MemorySecretStore,
    SecretStore,
    database_key_name,
    forget_user_secrets,
    token_name,
)
from client.sync import SyncApi
from shared.errors import DeviceRevoked, ValidationFailed
from shared.models import Role
from shared.protocol import LoginRequest, LoginResponse

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Session:
    """A signed-in user on this device: their store and a protocol client with their token."""

    settings: ClientSettings
    store: Store
    api: SyncApi
    login: str
    name: str
    role: Role
    team_code: str | None
    home_warehouse: str | None
    client_id: UUID
    token_expires_at: datetime
    device_number: int = 1
    """This device's number among the user's devices."""
    quote_prefix: str | None = None
    """Starts the quote numbers issued offline (None: a server that predates it)."""
    on_local_write: Callable[[], None] | None = None
    """Called after every recorded change (the background sync's `nudge`); any thread."""
    language: str = "en"
    """The language the seller works in (Settings): what is stored in words on a record —
    a quote line's availability — is worded in it. The app sets it when it opens the session."""
    secrets: SecretStore = field(default_factory=MemorySecretStore)
    """Where this user's token and database key are kept (the platform's secure store)."""

    def notify_local_write(self) -> None:
        """Tell the background sync a change was recorded (after the transaction committed)."""
        if self.on_local_write is None:
            return
        try:
            self.on_local_write()
        except Exception:  # the write is committed; a failed nudge only delays the sync
            log.exception("could not nudge the background sync")

    @property
    def is_manager(self) -> bool:
        """Whether the user sees a team's portfolios rather than their own."""
        return self.role in (Role.MANAGER, Role.ADMIN)


def sign_in(
    settings: ClientSettings,
    login: str,
    password: str,
    device_name: str = "",
    *,
    api: SyncApi | None = None,
    secrets: SecretStore | None = None,
) -> Session:
    """Sign in against the server and open the user's database (created on first sign-in).

    Raises AuthError for wrong credentials, Offline without a connection, DeviceRevoked
    (after wiping this user's local data) if an administrator revoked the device.
    `secrets` defaults to a file beside the data (tests, headless runs).
    """
    secrets = secrets if secrets is not None else default_secret_store(settings)
    try:
        # Lower-cased here: people type "Ana.Garcia", and the login is also a file name.
        request = LoginRequest(login=login.strip().lower(), password=password, device_name=device_name[:100])
    except ValidationError as exc:
        raise ValidationFailed("enter a valid login and a password", key="problem.sign_in.invalid") from exc
    owns_api = api is None
    api = api or SyncApi.from_settings(settings)
    # Open an existing database only: a mistyped login must not leave an empty file behind.
    store = _open_existing(settings, secrets, request.login, discard_unreadable=True)
    try:
        if store is not None:
            with store.read() as db:
                request = request.model_copy(update={"client_id": read_state(db).client_id})
        try:
            response = api.login(request)
        except DeviceRevoked:
            if store is not None:
                store.close()
                store = None
            wipe_user_data(settings.data_dir, request.login)
            forget_user_secrets(secrets, request.login)
            raise
        store = store or _create_store(settings, secrets, response.login)
        _remember(store, secrets, request.client_id, response)
    except BaseException:
        if store is not None:
            store.close()
        if owns_api:
            api.close()
        raise
    api.token = response.token
    write_last_login(settings.data_dir, response.login)
    return Session(
        settings=settings,
        store=store,
        api=api,
        login=response.login,
        name=response.name,
        role=Role(response.role),
        team_code=response.team_code,
        home_warehouse=response.home_warehouse,
        client_id=response.client_id,
        token_expires_at=response.expires_at,
        device_number=response.device_number,
        quote_prefix=response.quote_prefix,
        secrets=secrets,
    )


def resume_session(
    settings: ClientSettings,
    *,
    api: SyncApi | None = None,
    now: datetime | None = None,
    secrets: SecretStore | None = None,
) -> Session | None:
    """Reopen the last signed-in user's session if its token is still valid (no network)."""
    secrets = secrets if secrets is not None else default_secret_store(settings)
    login = read_last_login(settings.data_dir)
    if login is None:
        return None
    store = _open_existing(settings, secrets, login, discard_unreadable=False)
    if store is None:
        return None
    with store.read() as db:
        state = read_state(db)
    token = _stored_token(store, secrets, login, state.token)
    if token is None or not _is_valid(state.token_expires_at, now) or state.client_id is None:
        store.close()
        return None
    try:
        api = api or SyncApi.from_settings(settings)
    except ValidationFailed:  # an address the app no longer accepts: signing in says why
        store.close()
        return None
    api.token = token
    return Session(
        settings=settings,
        store=store,
        api=api,
        login=login,
        name=state.name or login,
        role=Role(state.role or Role.SELLER),
        team_code=state.team_code,
        home_warehouse=state.home_warehouse,
        client_id=state.client_id,
        token_expires_at=state.token_expires_at,  # type: ignore[arg-type]
        device_number=state.device_number,
        quote_prefix=state.quote_prefix,
        secrets=secrets,
    )


def holds_portfolio(session: Session) -> bool:
    """Whether the user has customers of her own on the device (a manager who also sells)."""
    with session.store.read() as db:
        found = db.execute("SELECT 1 FROM customers WHERE seller_login = ? LIMIT 1", [session.login]).fetchone()
    return found is not None


def remembered_login(settings: ClientSettings) -> str | None:
    """Login to prefill on the sign-in screen (the last user, even if their token expired)."""
    return read_last_login(settings.data_dir)


def unsynced_count(session: Session) -> int:
    """Local changes not yet accepted by the server (warn before signing out)."""
    with session.store.read() as db:
        return count_pending(db)


def sign_out(session: Session) -> int:
    """Forget the token and close the session; return how many changes were left unsynced.

    The data and the outbox stay on the device: the same user signing in again on this
    device finds them and they are pushed then.
    """
    with session.store.write() as db:
        unsynced = count_pending(db)
        save_state(db, token=None, token_expires_at=None)
    session.secrets.delete(token_name(session.login))
    write_last_login(session.settings.data_dir, None)
    _close(session)
    return unsynced


def forget_device(session: Session) -> None:
    """Wipe this user's local data (the device was revoked) and close the session.

    The database, the kept files (`files/<login>/`), the device record (`device.json`) and
    the user's secrets all go: a lost tablet keeps nothing of the company's.
    """
    _close(session)
    wipe_user_data(session.settings.data_dir, session.login)
    forget_user_secrets(session.secrets, session.login)


def _remember(store: Store, secrets: SecretStore, sent_client_id: UUID | None, response: LoginResponse) -> None:
    if sent_client_id is not None and sent_client_id != response.client_id:
        # The server registered us anew: its last_mutation_id for this id starts again.
        log.warning("server gave a new client_id %s (was %s)", response.client_id, sent_client_id)
    with store.write() as db:
        save_state(
            db,
            client_id=response.client_id,
            login=response.login,
            name=response.name,
            role=str(response.role),
            team_code=response.team_code,
            home_warehouse=response.home_warehouse,
            token=None,  # in the secret store, never in the database
            token_expires_at=response.expires_at,
            device_number=response.device_number,
            quote_prefix=response.quote_prefix,
        )
    secrets.put(token_name(response.login), response.token)


def default_secret_store(settings: ClientSettings) -> SecretStore:
    """The secret store of a run that was given none: a 0600 file beside the data."""
    return FileSecretStore(settings.data_dir)


def _stored_token(store: Store, secrets: SecretStore, login: str, legacy: str | None) -> str | None:
    token = secrets.get(token_name(login))
    if token is None and legacy:
        # A device from before the secret store kept the token in its database: move it.
        secrets.put(token_name(login), legacy)
        with store.write() as db:
            save_state(db, token=None)
        token = legacy
    return token


def _is_valid(expires_at: datetime | None, now: datetime | None) -> bool:
    return expires_at is not None and expires_at > (now or datetime.now(UTC))


def _open_existing(
    settings: ClientSettings, secrets: SecretStore, login: str, *, discard_unreadable: bool
) -> Store | None:
    """The user's database if there is one this device can read; None otherwise.

    An encrypted file whose key is gone (the secure store was cleared, the app reinstalled)
    or wrong cannot be read by anyone: signing in (`discard_unreadable`) deletes it and
    starts over from the server; reopening at start simply does not open it.
    """
    path = user_db_path(settings.data_dir, login)
    if not path.exists():
        return None
    key = None
    if not driver.is_plain_file(path) and path.stat().st_size > 0:
        key = secrets.get(database_key_name(login))
        if key is None:
            _unreadable(settings, login, discard_unreadable, "its key is not in the secret store")
            return None
    try:
        return open_user_store(settings.data_dir, login, key=key)
    except _UNREADABLE as exc:
        _unreadable(settings, login, discard_unreadable, str(exc))
        return None


_UNREADABLE = driver.DatabaseError + (driver.EncryptionUnavailable,)


def _unreadable(settings: ClientSettings, login: str, discard: bool, why: str) -> None:
    log.warning("the database of %s cannot be read (%s)%s", login, why, "; starting over" if discard else "")
    if discard:
        delete_user_store(settings.data_dir, login)


def _create_store(settings: ClientSettings, secrets: SecretStore, login: str) -> Store:
    """A new database for `login`: encrypted with a new random key where this build can."""
    key = None
    if settings.encrypt_database and driver.HAS_ENCRYPTION:
        key = driver.new_key()
        secrets.put(database_key_name(login), key)  # before the file exists: never a file without its key
    return open_user_store(settings.data_dir, login, key=key)


def _close(session: Session) -> None:
    session.api.close()
    session.store.close()


__all__ = [
    "SecretStore",
    "Session",
    "default_secret_store",
    "forget_device",
    "holds_portfolio",
    "remembered_login",
    "resume_session",
    "sign_in",
    "sign_out",
    "unsynced_count",
]
