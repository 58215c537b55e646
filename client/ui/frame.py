"""The signed-in layout: a NavigationRail in landscape, a NavigationBar in portrait.

Each role has its own destinations (`NAVIGATION`, one table), which a thumb can reach
(Material's rail and bar items are at least 56 px high), and the status bar with the
online/offline indicator on top of every screen.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import flet as ft

from client.i18n import Translator
from client.ui.widgets import GREEN, tagged
from shared.models import Role


@dataclass(frozen=True, slots=True)
class Destination:
    route: str
    label_key: str
    icon: ft.IconData
    selected_icon: ft.IconData


TODAY = Destination("/today", label_key="nav.today", icon=ft.Icons.TODAY_OUTLINED, selected_icon=ft.Icons.TODAY)
APPROVALS = Destination(
    "/approvals", label_key="nav.approvals", icon=ft.Icons.GAVEL_OUTLINED, selected_icon=ft.Icons.GAVEL
)
PORTFOLIO = Destination(
    "/portfolio", label_key="nav.portfolio", icon=ft.Icons.STOREFRONT_OUTLINED, selected_icon=ft.Icons.STOREFRONT
)
QUOTES = Destination(
    "/quotes", label_key="nav.quotes", icon=ft.Icons.REQUEST_QUOTE_OUTLINED, selected_icon=ft.Icons.REQUEST_QUOTE
)
OPPORTUNITIES = Destination(
    "/opportunities",
    label_key="nav.opportunities",
    icon=ft.Icons.TRENDING_UP_OUTLINED,
    selected_icon=ft.Icons.TRENDING_UP,
)
SYNC = Destination("/outbox", label_key="nav.sync", icon=ft.Icons.SYNC_OUTLINED, selected_icon=ft.Icons.SYNC)
TEAM_VISITS = Destination(
    "/team-visits", label_key="nav.team_visits", icon=ft.Icons.GROUPS_OUTLINED, selected_icon=ft.Icons.GROUPS
)
DASHBOARD = Destination(
    "/dashboard", label_key="nav.dashboard", icon=ft.Icons.INSIGHTS_OUTLINED, selected_icon=ft.Icons.INSIGHTS
)
SETTINGS = Destination(
    "/settings", label_key="nav.settings", icon=ft.Icons.SETTINGS_OUTLINED, selected_icon=ft.Icons.SETTINGS
)

SELLING = (PORTFOLIO, QUOTES, OPPORTUNITIES)
"""What a user with a portfolio of her own works with."""

NAVIGATION: dict[str, tuple[Destination, ...]] = {
    # role → destinations, in order. A manager or admin who also holds a portfolio of her
    # own gets `SELLING` after her own destinations (see `destinations_for`).
    Role.SELLER: (TODAY, *SELLING, DASHBOARD, SYNC, SETTINGS),
    Role.MANAGER: (
        TODAY,
        APPROVALS,
        TEAM_VISITS,
        DASHBOARD,
        PORTFOLIO,  # the team's customers
        SYNC,
        SETTINGS,
    ),
    Role.ADMIN: (TODAY, APPROVALS, TEAM_VISITS, DASHBOARD, SYNC, SETTINGS),
}

DESTINATIONS = NAVIGATION[Role.SELLER]
"""A seller's destinations (the app's before roles)."""

PARENTS: dict[str, str] = {
    # Screens reached from a destination light it up: a customer belongs to the portfolio, ...
    "/customer/": "/portfolio",
    "/visit/": "/portfolio",
    "/observation/": "/portfolio",
    "/quote/": "/quotes",
    "/quote?": "/quotes",
    "/leads": "/opportunities",
    "/team-visit/": "/team-visits",
}


def destinations_for(role: Role | str, *, sells: bool = False) -> tuple[Destination, ...]:
    """The navigation of a role; `sells`: the user holds a portfolio of her own."""
    own = NAVIGATION.get(Role(role), NAVIGATION[Role.SELLER])
    if not sells or all(d in own for d in SELLING):
        return own
    keep = [d for d in own if d not in (SYNC, SETTINGS)]
    return (*keep, *(d for d in SELLING if d not in keep), SYNC, SETTINGS)


def section_of(route: str, destinations: tuple[Destination, ...] = DESTINATIONS) -> int | None:
    """Which destination a route belongs to (a customer belongs to the portfolio)."""
    if route == "/quote":
        route = "/quotes"
    for prefix, parent in PARENTS.items():
        if route.startswith(prefix) or route == prefix.rstrip("/?"):
            route = parent
            break
    for index, destination in enumerate(destinations):
        if route == destination.route or route.startswith((destination.route + "/", destination.route + "?")):
            return index
    return None


def is_portrait(page: ft.Page) -> bool:
    """Taller than wide: the bar goes to the bottom."""
    width, height = page.width or 0, page.height or 0
    return bool(width and height and height > width)


def framed_view(
    page: ft.Page,
    t: Translator,
    route: str,
    header: ft.Control,
    content: ft.Control,
    on_navigate: Callable[[str], Awaitable[None]],
    destinations: tuple[Destination, ...] = DESTINATIONS,
) -> ft.View:
    """A signed-in screen: status bar on top, navigation (the user's role's) at the side or bottom."""
    selected = section_of(route, destinations)

    async def navigate(event: ft.Event) -> None:
        index = int(event.control.selected_index or 0)
        await on_navigate(destinations[index].route)

    body = ft.Column([header, ft.Divider(height=1), content], expand=True, spacing=4)
    if is_portrait(page):
        bar = ft.NavigationBar(
            selected_index=selected if selected is not None else 0,
            label_behavior=ft.NavigationBarLabelBehavior.ALWAYS_SHOW,
            on_change=navigate,
            indicator_color=ft.Colors.GREEN_100,
            destinations=[
                ft.NavigationBarDestination(icon=d.icon, selected_icon=d.selected_icon, label=t(d.label_key))
                for d in destinations
            ],
        )
        return ft.View(
            route=route,
            padding=ft.Padding.symmetric(horizontal=12, vertical=8),
            controls=[body],
            navigation_bar=tagged("navigation", bar),  # type: ignore[arg-type]  # wrapped for the tests' selector
        )
    rail = ft.NavigationRail(
        selected_index=selected,
        label_type=ft.NavigationRailLabelType.ALL,
        min_width=88,
        group_alignment=-1.0,
        on_change=navigate,
        indicator_color=ft.Colors.GREEN_100,
        leading=ft.Container(ft.Image(src="icon.png", width=40, height=40), padding=ft.Padding.only(top=8)),
        destinations=[
            ft.NavigationRailDestination(icon=d.icon, selected_icon=d.selected_icon, label=t(d.label_key))
            for d in destinations
        ],
    )
    return ft.View(
        route=route,
        padding=0,
        controls=[
            ft.Row(
                [
                    tagged("navigation", rail),
                    ft.VerticalDivider(width=1),
                    ft.Container(body, expand=True, padding=ft.Padding.symmetric(horizontal=16, vertical=8)),
                ],
                expand=True,
                spacing=0,
                vertical_alignment=ft.CrossAxisAlignment.STRETCH,
            )
        ],
    )


def section_title(text: str, identifier: str | None = None) -> ft.Control:
    """A screen or panel heading."""
    title = ft.Text(text, size=18, weight=ft.FontWeight.W_600, color=GREEN)
    return tagged(identifier, title) if identifier else title


__all__ = [
    "DESTINATIONS",
    "NAVIGATION",
    "Destination",
    "destinations_for",
    "framed_view",
    "is_portrait",
    "section_of",
    "section_title",
]
