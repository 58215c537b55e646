"""First sync after sign-in: a progress bar with rows, percent and time left."""

from collections.abc import Awaitable, Callable

import flet as ft

from client.services.synchronization import PullProgress
from client.ui.widgets import GREEN, tagged


def describe_progress(progress: PullProgress) -> str:
    """'12,400 of 48,000 rows · 26% · about 14 s left' in the seller's words."""
    parts = [f"{progress.changes:,} of {progress.total:,} rows" if progress.total else f"{progress.changes:,} rows"]
    if progress.percent is not None:
        parts.append(f"{progress.percent}%")
    left = progress.seconds_left
    if left is not None and not progress.caught_up:
        parts.append(f"about {max(1, round(left))} s left" if left < 90 else f"about {round(left / 60)} min left")
    return " · ".join(parts)


class FirstSyncView:
    """Shows the download of the seller's data; `retry` runs the sync again."""

    def __init__(self, name: str, retry: Callable[[], Awaitable[None]]) -> None:
        self._retry = retry
        self.bar = ft.ProgressBar(width=420, value=0, color=GREEN)
        self.status = ft.Text("Connecting…", size=14)
        self.error = ft.Text("", color=ft.Colors.RED_700, width=420, text_align=ft.TextAlign.CENTER)
        self.retry_button = ft.OutlinedButton("Try again", icon=ft.Icons.REFRESH, on_click=self._on_retry)
        self._name = name

    def build(self) -> ft.View:
        """The view for route `/sync`."""
        return ft.View(
            route="/sync",
            vertical_alignment=ft.MainAxisAlignment.CENTER,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            controls=[
                ft.Image(src="logo.png", width=220),
                ft.Text(f"Welcome, {self._name}", size=22, weight=ft.FontWeight.W_600),
                ft.Text("Downloading your customers, prices and stock so you can work offline.",
                        color=ft.Colors.GREY_700),
                ft.Container(height=12),
                tagged("sync-progress-bar", self.bar),
                tagged("sync-progress", self.status),
                tagged("sync-error", self.error),
                tagged("sync-retry", self.retry_button, visible=False),
            ],
        )

    def show_progress(self, progress: PullProgress) -> None:
        """Render one progress report (called on the event loop)."""
        self.bar.value = None if progress.percent is None else progress.percent / 100
        self.status.value = describe_progress(progress)
        self._refresh()

    def show_error(self, text: str, can_retry: bool = True) -> None:
        """Show why the sync stopped, and a retry button."""
        self.error.value = text
        self.retry_button.parent.visible = can_retry
        self._refresh()

    async def _on_retry(self, _event=None) -> None:
        self.error.value = ""
        self.retry_button.parent.visible = False
        self._refresh()
        await self._retry()

    def _refresh(self) -> None:
        try:
            self.bar.page.update()
        except RuntimeError:
            pass
