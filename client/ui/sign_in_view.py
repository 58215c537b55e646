"""Sign-in screen: login, password, and the words a seller understands when it fails."""

from collections.abc import Awaitable, Callable

import flet as ft

from client.i18n import Translator
from client.ui.widgets import GREEN, TOUCH, tagged


class SignInView:
    """Builds the sign-in `ft.View`; `on_submit(login, password)` returns an error text or None."""

    def __init__(
        self,
        t: Translator,
        on_submit: Callable[[str, str], Awaitable[str | None]],
        login: str = "",
        on_settings: Callable[[], Awaitable[None]] | None = None,
        notice: str | None = None,
    ) -> None:
        """`notice` says why the seller is here again (a revoked tablet, a lapsed session)."""
        self.t = t
        self.notice = notice
        self._on_submit = on_submit
        self._on_settings = on_settings
        self.login = ft.TextField(
            label=t("sign_in.login"),
            value=login,
            autofocus=not login,
            width=360,
            prefix_icon=ft.Icons.PERSON,
            on_submit=self._submit,
        )
        self.password = ft.TextField(
            label=t("sign_in.password"),
            password=True,
            can_reveal_password=True,
            width=360,
            autofocus=bool(login),
            prefix_icon=ft.Icons.LOCK,
            on_submit=self._submit,
        )
        self.error = ft.Text("", color=ft.Colors.RED_700, width=360)
        self.busy = ft.ProgressBar(width=360, color=GREEN)
        # The wrapper carries visibility; kept here, not reached through `.parent`, which is
        # None once the view has left the page (a sign-in that finishes after a sign-out).
        self.busy_row = tagged("sign-in-busy", self.busy, visible=False)
        self.button = ft.FilledButton(
            t("sign_in.button"),
            icon=ft.Icons.LOGIN,
            width=360,
            height=TOUCH,
            on_click=self._submit,
            style=ft.ButtonStyle(bgcolor=GREEN),
        )

    def build(self) -> ft.View:
        """The view for route `/`."""
        return ft.View(
            route="/",
            vertical_alignment=ft.MainAxisAlignment.CENTER,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            controls=[
                ft.Image(src="logo.png", width=300),
                ft.Text(self.t("sign_in.tagline"), size=16, color=ft.Colors.GREY_700),
                ft.Container(height=16),
                *self._notice(),
                tagged("login", self.login),
                tagged("password", self.password),
                self.busy_row,
                tagged("sign-in-error", self.error),
                tagged("sign-in", self.button),
                tagged(
                    "open-settings",
                    ft.TextButton(
                        self.t("sign_in.settings"), icon=ft.Icons.SETTINGS, height=TOUCH, on_click=self._settings
                    ),
                ),
            ],
        )

    def _notice(self) -> list[ft.Control]:
        if not self.notice:
            return []
        box = ft.Container(
            ft.Row(
                [ft.Icon(ft.Icons.INFO_OUTLINE, color=ft.Colors.ORANGE_900), ft.Text(self.notice, expand=True)],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            width=360,
            padding=12,
            border_radius=8,
            bgcolor=ft.Colors.ORANGE_50,
            border=ft.Border.all(1, ft.Colors.ORANGE_300),
        )
        return [tagged("sign-in-notice", box)]

    async def _submit(self, _event=None) -> None:
        login, password = (self.login.value or "").strip(), self.password.value or ""
        if not login or not password:
            self._show_error(self.t("sign_in.missing"))
            return
        self._set_busy(True)
        try:
            error = await self._on_submit(login, password)
        finally:
            self._set_busy(False)
        if error:
            self._show_error(error)

    async def _settings(self, _event=None) -> None:
        if self._on_settings is not None:
            await self._on_settings()

    def _set_busy(self, busy: bool) -> None:
        self.button.disabled = busy
        self.busy_row.visible = busy
        self.error.value = "" if busy else self.error.value
        self._update()

    def _show_error(self, text: str) -> None:
        self.error.value = text
        self._update()

    def _update(self) -> None:
        try:
            self.button.page.update()
        except RuntimeError:
            pass  # the view was replaced (signed in) while we worked
