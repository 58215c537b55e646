"""The device policy: PINs, idle lock and offline grace, as tables."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from shared.errors import ValidationFailed
from shared.rules.device_lock import DevicePolicy, check_pin, is_idle_too_long, may_open_offline, offline_grace_ends

POLICY = DevicePolicy()
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("pin", ["285714", "902731", "1357924", "000111", "480480480480"])
def test_pins_the_policy_accepts(pin):
    check_pin(pin, POLICY)


@pytest.mark.parametrize(
    ("pin", "key"),
    [
        ("12a456", "problem.pin.digits"),
        ("٢٨٥٧١٤", "problem.pin.digits"),  # Arabic-Indic digits: isdigit() but not a keypad's
        ("", "problem.pin.digits"),
        ("28571", "problem.pin.length"),
        ("2857142857142", "problem.pin.length"),
        ("111111", "problem.pin.guessable"),
        ("123456", "problem.pin.guessable"),
        ("654321", "problem.pin.guessable"),
        ("890123", "problem.pin.guessable"),
    ],
)
def test_pins_the_policy_refuses_say_why(pin, key):
    with pytest.raises(ValidationFailed) as refused:
        check_pin(pin, POLICY)
    assert refused.value.key == key


def test_a_shorter_pin_is_accepted_where_the_policy_allows_it():
    check_pin("2857", DevicePolicy(min_pin_length=4))
    with pytest.raises(ValidationFailed):
        check_pin("2857", POLICY)


@pytest.mark.parametrize(
    ("idle", "minutes", "locks"),
    [
        (timedelta(minutes=4, seconds=59), 5, False),
        (timedelta(minutes=5), 5, True),
        (timedelta(hours=2), 5, True),
        (timedelta(minutes=20), 30, False),
        (timedelta(seconds=-30), 5, True),  # the clock went back: lock rather than trust it
    ],
)
def test_the_app_locks_after_the_idle_time(idle, minutes, locks):
    assert is_idle_too_long(NOW - idle, NOW, DevicePolicy(lock_after_idle_minutes=minutes)) is locks


@pytest.mark.parametrize(
    ("since_sync", "days", "opens"),
    [
        (timedelta(hours=1), 7, True),
        (timedelta(days=6, hours=23), 7, True),
        (timedelta(days=7), 7, False),
        (timedelta(days=2), 1, False),
        (None, 7, False),  # never synced: nothing proves the tablet is still allowed
        (timedelta(days=-1), 7, False),  # a last sync in the future: the clock was turned back
    ],
)
def test_the_app_opens_offline_only_within_the_grace(since_sync, days, opens):
    last = None if since_sync is None else NOW - since_sync
    assert may_open_offline(last, NOW, DevicePolicy(offline_grace_days=days)) is opens


def test_the_grace_ends_the_policys_days_after_the_last_sync():
    assert offline_grace_ends(NOW, DevicePolicy(offline_grace_days=3)) == NOW + timedelta(days=3)
    assert offline_grace_ends(None, POLICY) is None


@pytest.mark.parametrize(
    "field", [{"lock_after_idle_minutes": 0}, {"offline_grace_days": 400}, {"min_pin_length": 3}, {"extra": 1}]
)
def test_a_policy_out_of_bounds_is_refused(field):
    with pytest.raises(ValidationError):
        DevicePolicy(**field)
