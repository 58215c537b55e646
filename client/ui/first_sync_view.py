"""First sync after sign-in: a progress bar with rows, percent and time left."""

from collections.abc import Awaitable, Callable

import flet as ft

from client.i18n import Translator
from client.services.synchronization import PullProgress
from client.ui.widgets import GREEN, tagged


def describe_progress(t: Translator, progress: PullProgress) -> str:
    """'12,400 of 48,000 rows · 26% · about 14 s left' in the seller's words."""
    rows, total = t.number(progress.changes), t.number(progress.total or 0)
    parts = [t("first_sync.rows_of", rows=rows, total=total) if progress.total else t("first_sync.rows", rows=rows)]
    if progress.percent is not None:
        parts.append(t.percent(progress.percent))
    left = progress.seconds_left
    if left is not None and not progress.caught_up:
        parts.append(
            t("first_sync.seconds_left", seconds=max(1, round(left)))
            if left < 90
            else t("first_sync.minutes_left", minutes=round(left / 60))
        )
    return " · ".join(parts)


class FirstSyncView:
    """Shows the download of the seller's data; `retry` runs the sync again."""

    def __init__(self, t: Translator, name: str, retry: Callable[[], Awaitable[None]]) -> None:
        self.t = t
        self._retry = retry
        self.bar = ft.ProgressBar(width=420, value=0, color=GREEN)
        self.status = ft.Text(t("first_sync.connecting"), size=14)
        self.error = ft.Text("", color=ft.Colors.RED_700, width=420, text_align=ft.TextAlign.CENTER)
        self.retry_button = ft.OutlinedButton(t("first_sync.retry"), icon=ft.Icons.REFRESH, on_click=self._on_retry)
        self.retry_row = tagged("sync-retry", self.retry_button, visible=False)
        self._name = name

    def build(self) -> ft.View:
        """The view for route `/sync`."""
        return ft.View(
            route="/sync",
            vertical_alignment=ft.MainAxisAlignment.CENTER,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            controls=[
                ft.Image(src="logo.png", width=220),
                ft.Text(self.t("first_sync.welcome", name=self._name), size=22, weight=ft.FontWeight.W_600),
                ft.Text(self.t("first_sync.explain"), color=ft.Colors.GREY_700),
                ft.Container(height=12),
                tagged("sync-progress-bar", self.bar),
                tagged("sync-progress", self.status),
                tagged("sync-error", self.error),
                self.retry_row,
            ],
        )

    def show_progress(self, progress: PullProgress) -> None:
        """Render one progress report (called on the event loop)."""
        self.bar.value = None if progress.percent is None else progress.percent / 100
        self.status.value = describe_progress(self.t, progress)
        self._refresh()

    def show_error(self, text: str, can_retry: bool = True) -> None:
        """Show why the sync stopped, and a retry button."""
        self.error.value = text
        self.retry_row.visible = can_retry
        self._refresh()

    async def _on_retry(self, _event=None) -> None:
        self.error.value = ""
        self.retry_row.visible = False
        self._refresh()
        await self._retry()

    def _refresh(self) -> None:
        try:
            self.bar.page.update()
        except RuntimeError:
            pass
