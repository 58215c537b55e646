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
    short_key: str = ""
    """A shorter label for a phone's bottom bar (empty: the label fits as it is)."""

    @property
    def bar_key(self) -> str:
        """The label on a phone's bottom bar."""
        return self.short_key or self.label_key


PHONE_WIDTH = 600
"""Narrower than this (a phone held upright), the bottom bar holds at most `PHONE_BAR_ITEMS`."""
PHONE_BAR_ITEMS = 5
"""Material's bottom bar takes three to five destinations; more squeeze their labels apart."""


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
    short_key="nav.opportunities_short",  # "Opportunities" breaks in two in a fifth of 390 px
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
MORE = Destination("", label_key="nav.more", icon=ft.Icons.MENU, selected_icon=ft.Icons.MENU_OPEN)
"""Not a screen: on a phone, the destinations that do not fit the bar, listed in a sheet."""

USERS = Destination("/users", label_key="nav.users", icon=ft.Icons.PEOPLE_OUTLINE, selected_icon=ft.Icons.PEOPLE)
TEAMS = Destination(
    "/teams", label_key="nav.teams", icon=ft.Icons.WORKSPACES_OUTLINE, selected_icon=ft.Icons.WORKSPACES
)
DEVICES = Destination(
    "/devices", label_key="nav.devices", icon=ft.Icons.TABLET_ANDROID_OUTLINED, selected_icon=ft.Icons.TABLET_ANDROID
)
POLICIES = Destination(
    "/policies", label_key="nav.policies", icon=ft.Icons.POLICY_OUTLINED, selected_icon=ft.Icons.POLICY
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
    # The administrator runs the system, not a team: people, devices and the rules in force.
    Role.ADMIN: (TODAY, USERS, TEAMS, DEVICES, POLICIES, DASHBOARD, SYNC, SETTINGS),
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


def phone_bar(
    destinations: tuple[Destination, ...], width: float
) -> tuple[tuple[Destination, ...], tuple[Destination, ...]]:
    """(the bar's destinations, those listed under "More"): all in the bar when they fit (a
    wider screen, or five at most); on a phone the first four, the rest under "More"."""
    if width >= PHONE_WIDTH or len(destinations) <= PHONE_BAR_ITEMS:
        return destinations, ()
    keep = PHONE_BAR_ITEMS - 1
    return destinations[:keep], destinations[keep:]


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
        return _portrait_view(page, t, route, body, on_navigate, destinations, selected)
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


def _portrait_view(
    page: ft.Page,
    t: Translator,
    route: str,
    body: ft.Control,
    on_navigate: Callable[[str], Awaitable[None]],
    destinations: tuple[Destination, ...],
    selected: int | None,
) -> ft.View:
    """The bottom bar; on a phone with many destinations the first four and "More"."""
    shown, rest = phone_bar(destinations, page.width or 0)
    current = 0 if selected is None else (selected if selected < len(shown) else len(shown))

    async def navigate(event: ft.Event) -> None:
        index = int(event.control.selected_index or 0)
        if index < len(shown):
            await on_navigate(shown[index].route)
            return
        bar.selected_index = current  # "More" is a list, not a screen: the bar stays where it was
        page.show_dialog(_more_sheet(page, t, rest, on_navigate))

    items = (*shown, MORE) if rest else shown
    phone = (page.width or 0) < PHONE_WIDTH  # a tablet upright has room for the whole label
    bar = ft.NavigationBar(
        selected_index=current,
        label_behavior=ft.NavigationBarLabelBehavior.ALWAYS_SHOW,
        on_change=navigate,
        indicator_color=ft.Colors.GREEN_100,
        destinations=[
            ft.NavigationBarDestination(
                icon=d.icon, selected_icon=d.selected_icon, label=t(d.bar_key if phone else d.label_key)
            )
            for d in items
        ],
    )
    return ft.View(
        route=route,
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        controls=[body],
        navigation_bar=tagged("navigation", bar),  # type: ignore[arg-type]  # wrapped for the tests' selector
    )


def _more_sheet(
    page: ft.Page, t: Translator, rest: tuple[Destination, ...], on_navigate: Callable[[str], Awaitable[None]]
) -> ft.BottomSheet:
    """The destinations that did not fit the phone's bar, one row each."""

    def go(destination: Destination):
        async def open_it(_event=None) -> None:
            page.pop_dialog()
            await on_navigate(destination.route)

        return open_it

    rows: list[ft.Control] = [
        tagged(
            f"more-{d.route.strip('/')}",
            ft.ListTile(leading=ft.Icon(d.icon), title=ft.Text(t(d.label_key)), min_height=56, on_click=go(d)),
        )
        for d in rest
    ]
    return ft.BottomSheet(
        tagged("more-sheet", ft.Container(ft.Column(rows, tight=True, spacing=0), padding=ft.Padding.only(bottom=16))),
        show_drag_handle=True,
    )


def section_title(text: str, identifier: str | None = None) -> ft.Control:
    """A screen or panel heading."""
    title = ft.Text(text, size=18, weight=ft.FontWeight.W_600, color=GREEN)
    return tagged(identifier, title) if identifier else title


__all__ = [
    "DESTINATIONS",
    "MORE",
    "NAVIGATION",
    "PHONE_BAR_ITEMS",
    "PHONE_WIDTH",
    "Destination",
    "destinations_for",
    "framed_view",
    "is_portrait",
    "phone_bar",
    "section_of",
    "section_title",
]
