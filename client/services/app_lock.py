"""The app lock (shared/rules/device_lock.py): a PIN, the offline grace, the idle time.

The PIN is the seller's own, chosen on this device after signing in; only a salted
PBKDF2 hash of it is kept, in the secret store beside the token. `max_pin_attempts` wrong
PINs in a row sign the seller out (the count is kept in her database, so restarting the app
does not reset it): the password, online, is needed again. Device authentication (a
fingerprint, the device's own PIN) is the UI's business where the platform offers it; the
PIN works everywhere, the web build included.
"""

import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime

from client.services.session import Session, sign_out
from client.store import read_state, save_state
from client.store.secrets import pin_name
from shared.errors import AuthError, ValidationFailed
from shared.rules.device_lock import DevicePolicy, check_pin, may_open_offline, offline_grace_ends

_ITERATIONS = 200_000
"""PBKDF2-SHA256 rounds: about a tenth of a second on a tablet, per guess too."""


def device_policy(session: Session) -> DevicePolicy:
    """The device policy the server last sent; its defaults before the first sync of it."""
    with session.store.read() as db:
        row = db.execute("SELECT data FROM policies WHERE name = 'device'").fetchone()
    return DevicePolicy() if row is None else DevicePolicy.model_validate(json.loads(row[0]))


def has_pin(session: Session) -> bool:
    """Whether the seller has chosen a PIN on this device."""
    return session.secrets.get(pin_name(session.login)) is not None


def choose_pin(session: Session, pin: str, repeated: str) -> None:
    """Keep the seller's new PIN (its hash); ValidationFailed if the policy refuses it or the two differ."""
    check_pin(pin, device_policy(session))
    if pin != repeated:
        raise ValidationFailed("the two PINs are not the same", key="problem.pin.mismatch")
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, _ITERATIONS)
    session.secrets.put(pin_name(session.login), f"pbkdf2-sha256${_ITERATIONS}${salt.hex()}${digest.hex()}")
    _set_failures(session, 0)


def unlock(session: Session, pin: str) -> None:
    """Open the app with the PIN.

    ValidationFailed (`problem.pin.wrong`, with the attempts left) for a wrong one; at the
    policy's last attempt the seller is signed out and AuthError (`problem.pin.too_many`)
    says so — the session is closed then.
    """
    if _matches(session.secrets.get(pin_name(session.login)), pin):
        _set_failures(session, 0)
        return
    policy = device_policy(session)
    with session.store.read() as db:
        failures = read_state(db).pin_failures + 1
    left = policy.max_pin_attempts - failures
    if left <= 0:
        session.secrets.delete(pin_name(session.login))
        sign_out(session)
        raise AuthError(
            f"{policy.max_pin_attempts} wrong PINs: sign in again with your password",
            key="problem.pin.too_many",
            params={"count": policy.max_pin_attempts},
        )
    _set_failures(session, failures)
    raise ValidationFailed(f"wrong PIN; {left} attempts left", key="problem.pin.wrong", params={"left": left})


def unlocked_by_device(session: Session) -> None:
    """The platform's own authentication succeeded: the count of wrong PINs starts over."""
    _set_failures(session, 0)


def check_offline_grace(session: Session, now: datetime | None = None) -> None:
    """AuthError (`problem.lock.offline_too_long`) if the tablet has not synced within the
    policy's offline grace: it must reach the server (sign in) before showing the data."""
    policy = device_policy(session)
    with session.store.read() as db:
        last_sync = read_state(db).last_success_at
    if not may_open_offline(last_sync, now or datetime.now(UTC), policy):
        ended = offline_grace_ends(last_sync, policy)
        raise AuthError(
            f"no sync for more than {policy.offline_grace_days} days (since {ended}): connect and sign in again",
            key="problem.lock.offline_too_long",
            params={"days": policy.offline_grace_days},
        )


def _matches(stored: str | None, pin: str) -> bool:
    if not stored:
        return False
    try:
        scheme, rounds, salt, digest = stored.split("$")
        computed = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), int(rounds))
    except ValueError:
        return False
    return scheme == "pbkdf2-sha256" and hmac.compare_digest(computed.hex(), digest)


def _set_failures(session: Session, failures: int) -> None:
    with session.store.write() as db:
        save_state(db, pin_failures=failures)


__all__ = [
    "check_offline_grace",
    "choose_pin",
    "device_policy",
    "has_pin",
    "unlock",
    "unlocked_by_device",
]
