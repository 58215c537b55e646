"""The administrator's Today: what needs her — devices silent for days, accounts locked by failed
sign-ins, accounts deactivated or still without a password. Read from the server (online)."""

import flet as ft

from client.services.administration import admin_overview
from client.ui.admin_common import Online, since_words
from client.ui.context import AppContext
from client.ui.frame import section_title
from client.ui.widgets import card, tagged


class AdminTodayView:
    """The first screen of an administrator."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.online = Online(ctx, "admin-offline")
        self.devices = ft.Column(spacing=4)
        self.locked = ft.Column(spacing=4)
        self.accounts = ft.Column(spacing=4)

    def build(self) -> ft.Control:
        """Three panels: silent devices, locked accounts, accounts that cannot sign in."""
        t = self.ctx.t
        return ft.Column(
            [
                section_title(t("today.title"), "today-title"),
                self.online.control,
                ft.ResponsiveRow(
                    [
                        card(
                            ft.Column([section_title(t("admin.today.devices")), self.devices]),
                            "admin-today-devices",
                            col={"xs": 12, "md": 6},
                        ),
                        card(
                            ft.Column([section_title(t("admin.today.locked")), self.locked]),
                            "admin-today-locked",
                            col={"xs": 12, "md": 6},
                        ),
                        card(
                            ft.Column([section_title(t("admin.today.accounts")), self.accounts]),
                            "admin-today-accounts",
                            col={"xs": 12},
                        ),
                    ]
                ),
            ],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
        )

    async def load(self) -> None:
        """Ask the server what needs the administrator."""
        overview = await self.online.run(admin_overview, self.ctx.session)
        if overview is None:
            return
        t = self.ctx.t
        self.devices.controls = [
            ft.ListTile(
                leading=ft.Icon(ft.Icons.TABLET_ANDROID, color=ft.Colors.ORANGE_800),
                title=ft.Text(f"{d.login} · {d.name}"),
                subtitle=ft.Text(t("admin.last_seen", when=since_words(t, d.last_seen_at))),
                on_click=lambda _e: self.ctx.page.run_task(self.ctx.go, "/devices"),
            )
            for d in overview.stale_devices
        ] or [ft.Text(t.plural("admin.today.no_silent_devices", overview.stale_days))]
        self.locked.controls = [
            ft.ListTile(leading=ft.Icon(ft.Icons.LOCK_CLOCK, color=ft.Colors.RED_700), title=ft.Text(login))
            for login in overview.locked_logins
        ] or [ft.Text(t("admin.today.none_locked"))]
        lines = [t("admin.today.deactivated", login=login) for login in overview.inactive_logins]
        lines += [t("admin.today.no_password", login=login) for login in overview.without_password]
        self.accounts.controls = [tagged("admin-today-account", ft.Text(line)) for line in lines] or [
            ft.Text(t("admin.today.accounts_fine"))
        ]
        self.ctx.refresh()


__all__ = ["AdminTodayView"]
