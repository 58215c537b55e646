"""Where the seller stands at check-in, when the device may say so.

The position comes from Flet's geolocator extension (`flet-geolocator`), which asks the
platform's location service after the person's permission. A seller at a counter must
never wait for it: every request has a short deadline and runs on the event loop without
blocking it, and anything short of a position (permission denied, location service off, no
fix in time, an app built without the extension) means "no location" — the check-in goes
ahead without one. A client that never answers at all has no extension: it is not asked
again for the life of this source.
"""

import asyncio
import logging
from collections.abc import Callable
from enum import Enum
from typing import Any, Protocol

from client.i18n import Translator
from shared.models import Location, Visit

log = logging.getLogger(__name__)

LOCATE_SECONDS = 3.0
"""The longest a check-in waits for a position."""
_ALLOWED = {"whileInUse", "always", "unableToDetermine"}
"""Permission states worth asking for a position (a browser without the Permissions API
says "unable to determine", and asks the person itself)."""


class Locator(Protocol):
    """The part of `flet_geolocator.Geolocator` a check-in uses."""

    async def get_permission_status(self) -> Any: ...
    async def request_permission(self) -> Any: ...
    async def is_location_service_enabled(self) -> bool: ...
    async def get_current_position(self, configuration: Any = None) -> Any: ...


def flet_locator() -> Locator:
    """The geolocator service of the current page (ImportError: not installed)."""
    import flet_geolocator as fg  # an extension: a build may lack it

    return fg.Geolocator()


class LocationSource:
    """Asks for the current position, at most `timeout` seconds; None when there is none."""

    def __init__(self, make_locator: Callable[[], Locator] = flet_locator, timeout: float = LOCATE_SECONDS) -> None:
        self._make_locator = make_locator
        self._locator: Locator | None = None
        self.timeout = timeout
        self._has_answered = False
        self.is_missing = False
        """The client never answered: no geolocator in this app, so it is not asked again."""

    async def current(self) -> Location | None:
        """The device's position now, or None (denied, off, too slow, or no geolocator)."""
        if self.is_missing:
            return None
        try:
            return await asyncio.wait_for(self._locate(), self.timeout)
        except TimeoutError:
            self.is_missing = not self._has_answered
            log.info("no position within %.1f s%s", self.timeout, " (no geolocator)" if self.is_missing else "")
        except ImportError:
            self.is_missing = True
            log.info("this app has no geolocator extension")
        except Exception as exc:  # the platform refused: permission, no fix, unsupported
            log.info("no position: %s", exc)
        return None

    async def _locate(self) -> Location | None:
        if self._locator is None:
            self._locator = self._make_locator()
        locator = self._locator
        status = _value(await locator.get_permission_status())
        self._has_answered = True
        if status == "denied":
            status = _value(await locator.request_permission())
        if status not in _ALLOWED or not await locator.is_location_service_enabled():
            return None
        position = await locator.get_current_position(_configuration(self.timeout))
        if position is None or position.latitude is None or position.longitude is None:
            return None
        accuracy = getattr(position, "accuracy", None)
        return Location(
            latitude=position.latitude,
            longitude=position.longitude,
            accuracy_m=round(accuracy, 1) if accuracy is not None and accuracy >= 0 else None,
        )


def _value(status: Any) -> str:
    return str(status.value if isinstance(status, Enum) else status)


def _configuration(seconds: float) -> Any:
    try:
        import flet as ft
        import flet_geolocator as fg
    except ImportError:
        return None
    # The platform gives up too, so a late fix does not keep the GPS on for nothing.
    return fg.GeolocatorConfiguration(
        accuracy=fg.GeolocatorPositionAccuracy.HIGH, time_limit=ft.Duration(milliseconds=int(seconds * 1000))
    )


def location_words(t: Translator, where: Visit | Location | None) -> str:
    """ "no location", or how precise the recorded one is (±12 m)."""
    location = where.location if isinstance(where, Visit) else where
    if location is None:
        return t("location.none")
    if location.accuracy_m is None:
        return t("location.recorded")
    return t("location.accuracy", metres=t.number(round(location.accuracy_m)))


__all__ = ["LOCATE_SECONDS", "LocationSource", "Locator", "flet_locator", "location_words"]
