"""What the administrator's screens share: they work on the server, so each says plainly when
there is no connection, and a refused change is said where the administrator looks."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import flet as ft

from client.i18n import Translator
from client.services.administration import BadResponse
from client.services.synchronization import Offline
from client.ui.context import AppContext, explain
from client.ui.frame import section_title
from client.ui.widgets import tagged
from shared.errors import DomainError

T = TypeVar("T")


class Online:
    """Runs the screen's server calls; a banner says when they need a connection."""

    def __init__(self, ctx: AppContext, identifier: str) -> None:
        self.ctx = ctx
        self.banner = ft.Container(
            ft.Row(
                [
                    ft.Icon(ft.Icons.CLOUD_OFF, color=ft.Colors.ORANGE_900),
                    ft.Text(ctx.t("admin.needs_connection"), color=ft.Colors.ORANGE_900, expand=True),
                ]
            ),
            bgcolor=ft.Colors.ORANGE_50,
            padding=10,
            border_radius=ft.BorderRadius.all(8),
        )
        self.control = tagged(identifier, self.banner, visible=False)

    async def run(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """The service's result; None when offline (the banner shows) or refused (said in a toast)."""
        try:
            result = await self.ctx.call(service, *args, **kwargs)
        except Offline:
            self.control.visible = True
            self.ctx.toast(self.ctx.t("admin.needs_connection"), error=True)  # seen over a dialog too
            self.ctx.refresh()
            # The status bar said "Synced" from the last round: a round now tells it (and the
            # engine) that the server is out of reach. In the background: a timeout takes a while.
            self.ctx.page.run_task(self.ctx.sync_now)
            return None
        self.control.visible = False
        return result

    async def change(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """As `run`, with a refusal said in a toast (None) instead of raised."""
        try:
            return await self.run(service, *args, **kwargs)
        except (DomainError, BadResponse) as error:  # a refusal the server or the form check named
            self.ctx.toast(explain(self.ctx.t, error), error=True)
            return None


def since_words(t: Translator, moment: datetime | None, now: datetime | None = None) -> str:
    """ "3 days ago"-style words for when something last happened ("never" when it did not)."""
    if moment is None:
        return t("admin.never")
    days = ((now or datetime.now(UTC)) - moment).days
    if days < 1:
        return t("admin.today_at", time=t.time(moment))
    return t.plural("admin.days_ago", days)


def kept_words(t: Translator, fields: list[str]) -> str:
    """What an administrator set that the ERP's imports keep, in words ('' when nothing)."""
    if not fields:
        return ""
    names = {
        "created": t("admin.kept_created"),
        "name": t("admin.teams.name"),
        "parent_code": t("admin.teams.parent"),
        "team_code": t("admin.users.team"),
    }
    return t("admin.kept_fields", fields=", ".join(names.get(f, f) for f in fields))


class CardsScreen:
    """An administrator's screen of cards read from the server: its title, the notice shown
    while there is no connection, and the cards (`self.cards`, filled by the screen's load)."""

    def __init__(self, ctx: AppContext, *, title_key: str, title_id: str) -> None:
        self.ctx = ctx
        self.online = Online(ctx, "admin-offline")
        self.cards = ft.Column(spacing=10)
        self._title_key, self._title_id = title_key, title_id

    def build(self) -> ft.Control:
        """The title, the offline notice and the cards, scrolling together."""
        return ft.Column(
            [header(self.ctx.t(self._title_key), self._title_id), self.online.control, self.cards],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
        )


def header(title: str, identifier: str, *actions: ft.Control) -> ft.Control:
    """A screen's title with its actions on the right."""
    return ft.Row([section_title(title, identifier), ft.Container(expand=True), *actions])


__all__ = ["Online", "header", "kept_words", "since_words"]
