"""The app lock: a PIN of the seller's choosing, wrong PINs counted across restarts, the offline grace."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from client.services.app_lock import (
    check_offline_grace,
    choose_pin,
    device_policy,
    has_pin,
    unlock,
    unlocked_by_device,
)
from client.services.session import remembered_login, resume_session, sign_in, sign_out
from client.store import read_state, save_state
from client.store.secrets import pin_name
from client.sync import SyncApi
from shared.errors import AuthError, ValidationFailed
from shared.rules.device_lock import DevicePolicy
from tests.client.fakes import FakeSyncServer


@pytest.fixture
def session(client_settings):
    """ana.garcia signed in on a fake server; signed out after the test unless the lock did it."""
    opened = sign_in(
        client_settings,
        "ana.garcia",
        "secret-pass-1",
        api=SyncApi("http://terreno.test", transport=FakeSyncServer([]).transport()),
    )
    yield opened
    if remembered_login(client_settings) is not None:
        sign_out(opened)


def _set_policy(session, **fields) -> None:
    with session.store.write() as db:
        db.execute(
            "INSERT INTO policies (name, data, fetched_at) VALUES ('device', ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET data = excluded.data",
            [json.dumps(DevicePolicy(**fields).model_dump()), datetime.now(UTC).isoformat()],
        )


def test_a_chosen_pin_opens_the_app_and_only_its_hash_is_kept(session):
    assert not has_pin(session)
    choose_pin(session, "285714", "285714")
    assert has_pin(session)
    kept = session.secrets.get(pin_name("ana.garcia"))
    assert kept is not None and "285714" not in kept and kept.startswith("pbkdf2-sha256$")
    unlock(session, "285714")


@pytest.mark.parametrize(
    ("pin", "again", "key"),
    [("285714", "285741", "problem.pin.mismatch"), ("123456", "123456", "problem.pin.guessable")],
)
def test_a_pin_that_cannot_be_kept_says_why(session, pin, again, key):
    with pytest.raises(ValidationFailed) as refused:
        choose_pin(session, pin, again)
    assert refused.value.key == key and not has_pin(session)


def test_the_policy_from_the_server_sets_the_pin_length(session):
    assert device_policy(session) == DevicePolicy()
    _set_policy(session, min_pin_length=8)
    with pytest.raises(ValidationFailed) as refused:
        choose_pin(session, "285714", "285714")
    assert refused.value.params == {"min": 8, "max": 12}
    choose_pin(session, "28571439", "28571439")


def test_wrong_pins_count_down_and_the_last_one_signs_the_seller_out(session, client_settings):
    _set_policy(session, max_pin_attempts=3)
    choose_pin(session, "285714", "285714")
    for left in (2, 1):
        with pytest.raises(ValidationFailed) as wrong:
            unlock(session, "000000")
        assert (wrong.value.key, wrong.value.params) == ("problem.pin.wrong", {"left": left})
    with pytest.raises(AuthError) as out:
        unlock(session, "999999")
    assert out.value.key == "problem.pin.too_many"
    assert remembered_login(client_settings) is None and resume_session(client_settings) is None


def test_a_right_pin_or_the_device_unlock_starts_the_count_again(session):
    _set_policy(session, max_pin_attempts=3)
    choose_pin(session, "285714", "285714")
    for _ in range(2):
        with pytest.raises(ValidationFailed):
            unlock(session, "000000")
    unlocked_by_device(session)
    with session.store.read() as db:
        assert read_state(db).pin_failures == 0
    with pytest.raises(ValidationFailed) as wrong:
        unlock(session, "000000")
    assert wrong.value.params == {"left": 2}


def test_the_app_opens_offline_only_within_the_grace_after_the_last_sync(session):
    _set_policy(session, offline_grace_days=3)
    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    with pytest.raises(AuthError) as never:
        check_offline_grace(session, now)  # never synced
    assert never.value.key == "problem.lock.offline_too_long"
    with session.store.write() as db:
        save_state(db, last_success_at=now - timedelta(days=2, hours=23))
    check_offline_grace(session, now)
    with pytest.raises(AuthError) as late:
        check_offline_grace(session, now + timedelta(hours=2))
    assert late.value.params == {"days": 3}
