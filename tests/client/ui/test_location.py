"""The check-in's location source: a position when the device gives one at once, otherwise
None, quickly.

These use fake geolocators: this machine has no GPS, and a client that never answers (an
app built without the extension) or a platform that denies cannot be produced on demand by
the real one. The real geolocator in a browser is driven by tests/browser/test_sync_fix.py.
"""

import asyncio
import time

import pytest

from client.i18n import Translator
from client.ui.location import LocationSource, location_words
from shared.models import Location


class Position:
    def __init__(self, latitude=40.4168, longitude=-3.7038, accuracy=12.0):
        self.latitude, self.longitude, self.accuracy = latitude, longitude, accuracy


class FakeLocator:
    """Answers like flet_geolocator.Geolocator, from a script; counts what it was asked."""

    def __init__(self, status="whileInUse", after_request=None, service_on=True, position=None, silent=False):
        self.status, self.after_request, self.service_on = status, after_request, service_on
        self.position = position or Position()
        self.silent = silent
        self.asked: list[str] = []

    async def _answer(self, name, value):
        self.asked.append(name)
        if self.silent:  # a client without the extension never answers
            await asyncio.Event().wait()
        return value

    async def get_permission_status(self):
        return await self._answer("status", self.status)

    async def request_permission(self):
        return await self._answer("request", self.after_request or self.status)

    async def is_location_service_enabled(self):
        return await self._answer("service", self.service_on)

    async def get_current_position(self, configuration=None):
        if isinstance(self.position, Exception):
            self.asked.append("position")
            raise self.position
        return await self._answer("position", self.position)


def _locate(locator, timeout=3.0):
    source = LocationSource(lambda: locator, timeout=timeout)
    return source, asyncio.run(source.current())


def test_a_position_becomes_the_visit_location():
    _source, location = _locate(FakeLocator())
    assert location == Location(latitude=40.4168, longitude=-3.7038, accuracy_m=12.0)


def test_permission_is_asked_once_when_not_yet_given():
    locator = FakeLocator(status="denied", after_request="whileInUse")
    _source, location = _locate(locator)
    assert location is not None and locator.asked == ["status", "request", "service", "position"]


@pytest.mark.parametrize(
    ("locator", "asked"),
    [
        (FakeLocator(status="denied", after_request="denied"), ["status", "request"]),
        (FakeLocator(status="deniedForever"), ["status"]),
        (FakeLocator(service_on=False), ["status", "service"]),
        (
            FakeLocator(position=RuntimeError("Location permission denied: User denied Geolocation.")),
            ["status", "service", "position"],
        ),
        (FakeLocator(position=Position(latitude=None)), ["status", "service", "position"]),
    ],
    ids=["denied", "denied-forever", "service-off", "platform-error", "no-fix"],
)
def test_no_permission_no_service_or_no_fix_means_no_location(locator, asked):
    _source, location = _locate(locator)
    assert location is None and locator.asked == asked


def test_a_geolocator_that_never_answers_gives_up_quickly_and_is_not_asked_again():
    locator = FakeLocator(silent=True)
    started = time.perf_counter()
    source, location = _locate(locator, timeout=0.3)
    assert location is None and time.perf_counter() - started < 2
    assert source.is_missing
    assert asyncio.run(source.current()) is None and locator.asked == ["status"]


def test_a_slow_fix_gives_up_but_asks_again_next_time():
    class SlowFix(FakeLocator):
        async def get_current_position(self, configuration=None):
            self.asked.append("position")
            await asyncio.sleep(5)

    locator = SlowFix()
    started = time.perf_counter()
    source, location = _locate(locator, timeout=0.3)
    assert location is None and time.perf_counter() - started < 2 and not source.is_missing


def test_an_app_without_the_extension_checks_in_without_location():
    def missing():
        raise ImportError("No module named 'flet_geolocator'")

    source = LocationSource(missing)
    assert asyncio.run(source.current()) is None and source.is_missing


@pytest.mark.parametrize(
    ("language", "location", "words"),
    [
        ("en", None, "no location"),
        ("en", Location(latitude=1, longitude=2, accuracy_m=12.4), "location ±12 m"),
        ("en", Location(latitude=1, longitude=2), "location recorded"),
        ("es", None, "sin ubicación"),
        ("es", Location(latitude=1, longitude=2, accuracy_m=1250), "ubicación ±1.250 m"),
    ],
)
def test_location_words(language, location, words):
    assert location_words(Translator(language), location) == words
