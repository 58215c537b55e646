"""Pieces of the UI that decide something without a browser: which section a route is in,
portrait or landscape, and the first-sync progress line in both languages."""

from types import SimpleNamespace

import pytest

from client.i18n import Translator
from client.services.synchronization import PullProgress
from client.ui.first_sync_view import describe_progress
from client.ui.frame import (
    DESTINATIONS,
    NAVIGATION,
    OPPORTUNITIES,
    TODAY,
    destinations_for,
    is_portrait,
    phone_bar,
    section_of,
)


@pytest.mark.parametrize(
    ("route", "section"),
    [
        ("/today", 0),
        ("/portfolio", 1),
        ("/customer/C00005", 1),
        ("/visit/0191", 1),
        ("/observation/C1", 1),
        ("/quotes", 2),
        ("/quote", 2),  # a new quote, and a saved one, belong to the quotes
        ("/quote?customer=C1", 2),
        ("/quote/0191", 2),
        ("/opportunities", 3),
        ("/leads", 3),  # leads are reached from the opportunities
        ("/dashboard", 4),
        ("/outbox", 5),
        ("/settings", 6),
        ("/quoted", None),
        ("/", None),
    ],
)
def test_every_route_lights_up_its_section(route, section):
    assert section_of(route) == section


@pytest.mark.parametrize(
    ("role", "sells", "routes"),
    [
        ("seller", True, ["/today", "/portfolio", "/quotes", "/opportunities", "/dashboard", "/outbox", "/settings"]),
        ("seller", False, ["/today", "/portfolio", "/quotes", "/opportunities", "/dashboard", "/outbox", "/settings"]),
        (
            "manager",
            False,
            ["/today", "/approvals", "/team-visits", "/dashboard", "/portfolio", "/outbox", "/settings"],
        ),
        # A manager with a portfolio of her own keeps the seller's destinations for it.
        (
            "manager",
            True,
            [
                "/today",
                "/approvals",
                "/team-visits",
                "/dashboard",
                "/portfolio",
                "/quotes",
                "/opportunities",
                "/outbox",
                "/settings",
            ],
        ),
        ("admin", False, ["/today", "/users", "/teams", "/devices", "/policies", "/dashboard", "/outbox", "/settings"]),
        # No portfolio on an administrator's rail unless she sells.
        (
            "admin",
            True,
            [
                "/today",
                "/users",
                "/teams",
                "/devices",
                "/policies",
                "/dashboard",
                "/portfolio",
                "/quotes",
                "/opportunities",
                "/outbox",
                "/settings",
            ],
        ),
    ],
)
def test_each_role_has_its_own_destinations(role, sells, routes):
    assert [d.route for d in destinations_for(role, sells=sells)] == routes


@pytest.mark.parametrize(
    ("route", "section"),
    [
        ("/approvals", 1),
        ("/approvals?request=1", 1),
        ("/team-visits", 2),
        ("/team-visit/0191", 2),  # a team member's visit belongs to the team's visits
        ("/dashboard", 3),
        ("/customer/C1", 4),
        ("/quote/0191", None),
        ("/outbox", 5),
    ],
)
def test_a_managers_routes_light_up_her_sections(route, section):
    assert section_of(route, NAVIGATION["manager"]) == section


@pytest.mark.parametrize(
    ("width", "height", "portrait"),
    [
        (1280, 800, False),
        (800, 1280, True),
        (1024, 1024, False),
        (None, None, False),
    ],
)
def test_portrait_is_taller_than_wide(width, height, portrait):
    assert is_portrait(SimpleNamespace(width=width, height=height)) is portrait


@pytest.mark.parametrize(("route", "section"), [("/users", 1), ("/teams", 2), ("/devices", 3), ("/policies", 4)])
def test_an_administrators_routes_light_up_her_sections(route, section):
    assert section_of(route, NAVIGATION["admin"]) == section


def test_every_roles_destinations_have_words():
    for language in ("en", "es"):
        t = Translator(language)
        for destinations in NAVIGATION.values():
            assert all(t(d.label_key) != d.label_key for d in destinations)


def test_there_are_seven_destinations_each_with_words():
    assert [d.route for d in DESTINATIONS] == [
        "/today",
        "/portfolio",
        "/quotes",
        "/opportunities",
        "/dashboard",
        "/outbox",
        "/settings",
    ]
    for language in ("en", "es"):
        t = Translator(language)
        assert all(t(d.label_key) != d.label_key for d in DESTINATIONS)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "12,480 of 48,000 rows · 26% · about 14 s left"),
        ("es", "12.480 de 48.000 filas · 26 % · quedan unos 14 s"),
    ],
)
def test_first_sync_progress_is_said_in_the_seller_language(language, expected):
    progress = PullProgress(changes=12480, total=48000, cursor=1, elapsed_seconds=4.9, caught_up=False)
    assert describe_progress(Translator(language), progress) == expected


@pytest.mark.parametrize(
    ("role", "sells", "width", "bar", "more"),
    [
        # A phone (390 px): the first four in the bar, the rest under "More".
        ("manager", True, 390, ["/today", "/approvals", "/team-visits", "/dashboard"],
         ["/portfolio", "/quotes", "/opportunities", "/outbox", "/settings"]),
        ("seller", False, 390, ["/today", "/portfolio", "/quotes", "/opportunities"],
         ["/dashboard", "/outbox", "/settings"]),
        ("admin", False, 390, ["/today", "/users", "/teams", "/devices"],
         ["/policies", "/dashboard", "/outbox", "/settings"]),
        # A tablet held upright has room for all of them.
        ("manager", True, 800, ["/today", "/approvals", "/team-visits", "/dashboard", "/portfolio", "/quotes",
                                "/opportunities", "/outbox", "/settings"], []),
    ],
)  # fmt: skip
def test_a_phone_bar_holds_four_and_more(role, sells, width, bar, more):
    shown, rest = phone_bar(destinations_for(role, sells=sells), width)
    assert ([d.route for d in shown], [d.route for d in rest]) == (bar, more)


def test_the_phone_bar_says_opportunities_short():
    assert OPPORTUNITIES.bar_key == "nav.opportunities_short" and TODAY.bar_key == TODAY.label_key
