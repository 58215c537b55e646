"""Top bar on every signed-in screen: who, sync state, pending count, sync, sign out."""

from collections.abc import Awaitable, Callable

import flet as ft

from client.services.synchronization import Connection, SyncEngineStatus
from client.ui.widgets import GREEN, tagged


class StatusBar:
    """Always-visible online/offline indicator and the seller's name."""

    def __init__(self, name: str, on_sync: Callable[[], Awaitable[None]],
                 on_sign_out: Callable[[], Awaitable[None]]) -> None:
        self._on_sync = on_sync
        self._on_sign_out = on_sign_out
        self.state = ft.Text("", size=13, color=ft.Colors.GREY_700)
        self.icon = ft.Icon(ft.Icons.CLOUD_DONE, color=GREEN, size=20)
        self.control = ft.Row(
            [
                ft.Image(src="icon.png", width=32, height=32),
                ft.Text("Terreno", size=20, weight=ft.FontWeight.W_600, color=GREEN),
                ft.Container(expand=True),
                self.icon,
                tagged("sync-state", self.state),
                tagged("sync-now", ft.IconButton(ft.Icons.SYNC, tooltip="Sync now", on_click=self._sync)),
                ft.Text(name, size=14, weight=ft.FontWeight.W_500),
                tagged("sign-out", ft.TextButton("Sign out", icon=ft.Icons.LOGOUT, on_click=self._sign_out)),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )

    def show(self, status: SyncEngineStatus) -> None:
        """Render the engine's status: syncing, offline, needs attention, or last success."""
        if status.is_syncing:
            text, icon, colour = "Syncing…", ft.Icons.SYNC, GREEN
        elif status.connection == Connection.OFFLINE:
            text, icon, colour = "Offline — working from this tablet", ft.Icons.CLOUD_OFF, ft.Colors.ORANGE_800
        else:
            when = status.last_success_at.astimezone().strftime("%H:%M") if status.last_success_at else "never"
            text, icon, colour = f"Synced {when}", ft.Icons.CLOUD_DONE, GREEN
        if status.pending:
            text += f" · {status.pending} to send"
        if status.issues:
            text += f" · {status.issues} need a look"
            icon, colour = ft.Icons.ERROR_OUTLINE, ft.Colors.RED_700
        self.state.value, self.icon.icon, self.icon.color = text, icon, colour
        try:
            self.control.page.update()
        except RuntimeError:
            pass

    async def _sync(self, _event=None) -> None:
        await self._on_sync()

    async def _sign_out(self, _event=None) -> None:
        await self._on_sign_out()
