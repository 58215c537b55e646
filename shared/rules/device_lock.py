"""The device policy: when the app locks, how long it opens offline, what a PIN must be.

A lost tablet that is still signed in must not open for whoever finds it. The app asks for
the seller's PIN (or the device's own authentication where the platform has it) when it
opens and after `lock_after_idle_minutes` without a touch; after `max_pin_attempts` wrong
PINs in a row the session ends (the password, online, is needed again). A tablet that has
not synced for `offline_grace_days` refuses to open offline: the server has to see it (and
can tell it it was revoked) before the data is shown again.
"""

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import ValidationFailed


class DevicePolicy(BaseModel):
    """App lock and offline bounds of the tablets (the server's `device` policy)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lock_after_idle_minutes: int = Field(default=5, ge=1, le=240)
    offline_grace_days: int = Field(default=7, ge=1, le=60)
    min_pin_length: int = Field(default=6, ge=4, le=12)
    max_pin_attempts: int = Field(default=5, ge=3, le=20)


MAX_PIN_LENGTH = 12


def check_pin(pin: str, policy: DevicePolicy) -> None:
    """ValidationFailed unless `pin` is a PIN the policy accepts: digits only, long enough,
    not one digit repeated and not a run up or down (123456, 987654)."""
    if not pin.isascii() or not pin.isdigit():
        raise ValidationFailed("a PIN is made of digits only", key="problem.pin.digits")
    if not policy.min_pin_length <= len(pin) <= MAX_PIN_LENGTH:
        raise ValidationFailed(
            f"a PIN has {policy.min_pin_length} to {MAX_PIN_LENGTH} digits",
            key="problem.pin.length",
            params={"min": policy.min_pin_length, "max": MAX_PIN_LENGTH},
        )
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({0}, {1}, {9}):
        raise ValidationFailed(
            "a PIN that is one digit repeated or a run is guessed first", key="problem.pin.guessable"
        )


def is_idle_too_long(last_activity: datetime, now: datetime, policy: DevicePolicy) -> bool:
    """Whether the app must lock: no touch for the policy's idle time (a clock set back counts as idle)."""
    idle = now - last_activity
    return idle >= timedelta(minutes=policy.lock_after_idle_minutes) or idle < timedelta(0)


def offline_grace_ends(last_sync: datetime | None, policy: DevicePolicy) -> datetime | None:
    """When the app stops opening offline: the policy's grace after the last sync (None: never synced)."""
    return None if last_sync is None else last_sync + timedelta(days=policy.offline_grace_days)


def may_open_offline(last_sync: datetime | None, now: datetime, policy: DevicePolicy) -> bool:
    """Whether the app may open without reaching the server: synced within the offline grace."""
    ends = offline_grace_ends(last_sync, policy)
    return ends is not None and last_sync is not None and last_sync <= now < ends


__all__ = ["MAX_PIN_LENGTH", "DevicePolicy", "check_pin", "is_idle_too_long", "may_open_offline", "offline_grace_ends"]
