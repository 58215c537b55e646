"""Devices (administrator): every tablet, whose it is and when it last reached the server; revoke
one after a confirmation (the server tells it to wipe its data at its next contact)."""

import flet as ft

from client.services import administration as admin
from client.ui.admin_common import Online, header, since_words
from client.ui.context import AppContext
from client.ui.widgets import chip, tagged
from shared.admin import DevicePublic


class DevicesView:
    """The devices, the longest silent first."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.online = Online(ctx, "admin-offline")
        self.rows = ft.Column(spacing=6)

    def build(self) -> ft.Control:
        """The devices."""
        t = self.ctx.t
        return ft.Column(
            [header(t("admin.devices.title"), "devices-title"), self.online.control, tagged("devices-list", self.rows)],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
        )

    async def load(self) -> None:
        """Read the devices from the server."""
        devices = await self.online.run(admin.list_devices, self.ctx.session)
        if devices is None:
            return
        mine = str(self.ctx.session.client_id)
        self.rows.controls = [self._row(d, is_this_one=d.client_id == mine) for d in devices] or [
            ft.Text(self.ctx.t("admin.devices.none"))
        ]
        self.ctx.refresh()

    def _row(self, device: DevicePublic, *, is_this_one: bool) -> ft.Control:
        t = self.ctx.t
        if device.revoked_at is not None:
            action: ft.Control = chip(
                t("admin.devices.revoked_on", date=t.date(device.revoked_at.date())),
                ft.Colors.RED_50,
                ft.Colors.RED_800,
            )
        elif is_this_one:
            action = chip(t("admin.devices.this_one"), ft.Colors.GREEN_50, ft.Colors.GREEN_900)
        else:
            action = tagged(
                f"revoke-{device.login}-{device.number}",
                ft.OutlinedButton(t("admin.devices.revoke"), icon=ft.Icons.PHONELINK_ERASE, on_click=self._ask(device)),
            )
        return tagged(
            f"device-{device.login}-{device.number}",
            ft.Container(
                ft.Row(
                    [
                        ft.Column(
                            [
                                ft.Text(f"{device.login} · {device.name}", weight=ft.FontWeight.W_600),
                                ft.Text(
                                    t("admin.last_seen", when=since_words(t, device.last_seen_at)),
                                    size=13,
                                    color=ft.Colors.GREY_700,
                                ),
                            ],
                            spacing=2,
                            expand=True,
                        ),
                        action,
                    ]
                ),
                padding=10,
                border=ft.Border.all(1, ft.Colors.GREY_300),
                border_radius=ft.BorderRadius.all(8),
            ),
        )

    def _ask(self, device: DevicePublic):
        async def ask(_event=None) -> None:
            t = self.ctx.t

            async def confirm(_event=None) -> None:
                self.ctx.page.pop_dialog()
                if await self.online.change(admin.revoke_device, self.ctx.session, device.client_id) is not None:
                    self.ctx.toast(t("admin.devices.revoked", login=device.login))
                    await self.load()

            self.ctx.page.show_dialog(
                ft.AlertDialog(
                    title=ft.Text(t("admin.devices.revoke_title", name=device.name)),
                    content=ft.Text(t("admin.devices.revoke_body", login=device.login)),
                    actions=[
                        ft.TextButton(t("admin.cancel"), on_click=lambda _e: self.ctx.page.pop_dialog()),
                        tagged("revoke-confirm", ft.FilledButton(t("admin.devices.revoke"), on_click=confirm)),
                    ],
                )
            )

        return ask


__all__ = ["DevicesView"]
