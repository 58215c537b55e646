"""Settings: language, server address, about. Reachable signed in or from the sign-in screen."""

from collections.abc import Awaitable, Callable
from functools import partial
from importlib.metadata import PackageNotFoundError, version

import flet as ft

from client.i18n import LANGUAGES, Translator
from client.services.company import Company
from client.services.preferences import choose_language, choose_server
from client.settings import ClientSettings
from client.ui.context import explain
from client.ui.frame import section_title
from client.ui.widgets import TOUCH, big_button, card, field_row, tagged


def app_version() -> str:
    """The installed package's version (or "dev" when run from a checkout without install)."""
    try:
        return version("terreno")
    except PackageNotFoundError:
        return "dev"


class SettingsView:
    """`on_language(code)` re-renders the app in the chosen language; `on_server` applies an address."""

    def __init__(
        self,
        t: Translator,
        settings: ClientSettings,
        on_language: Callable[[str], Awaitable[None]],
        on_server: Callable[[str], Awaitable[None]],
        run: Callable,
        signed_in: bool,
        on_back: Callable[[], Awaitable[None]] | None = None,
        load_company: Callable[[], Company | None] | None = None,
    ) -> None:
        self.t = t
        self.settings = settings
        self._on_language = on_language
        self._on_server = on_server
        self._run = run
        self._signed_in = signed_in
        self._on_back = on_back
        self._load_company = load_company
        self.company = ft.Column([], spacing=4)
        self.language = ft.RadioGroup(
            value=t.language,
            on_change=self._language_changed,
            content=ft.Row(
                [
                    tagged(f"language-{code}", ft.Radio(value=code, label=name, height=TOUCH))
                    for code, (name, _locale) in LANGUAGES.items()
                ]
            ),
        )
        self.server = ft.TextField(
            label=t("settings.server"), value=settings.server_url, width=420, hint_text="https://sync.example.com"
        )
        self.message = ft.Text("")

    def build(self) -> ft.Control:
        """The settings panels."""
        t = self.t
        server_note = t("settings.server_note_signed_in") if self._signed_in else t("settings.server_note")
        controls = [
            section_title(t("settings.title"), "settings-title"),
            card(ft.Column([section_title(t("settings.language")), self.language])),
            *([card(tagged("company-profile", self.company))] if self._load_company else []),
            card(
                ft.Column(
                    [
                        section_title(t("settings.server_title")),
                        tagged("server-address", self.server),
                        ft.Text(server_note, size=12, color=ft.Colors.GREY_700),
                        big_button(t("settings.save_server"), ft.Icons.SAVE, self._save_server, "save-server"),
                        tagged("settings-message", self.message),
                    ]
                )
            ),
            card(
                ft.Column(
                    [
                        section_title(t("settings.about")),
                        field_row(t("settings.version"), app_version(), "app-version"),
                        field_row(t("settings.data_folder"), str(self.settings.data_dir)),
                        ft.Text(t("settings.about_text"), size=13),
                    ]
                )
            ),
        ]
        if self._on_back is not None:
            controls.insert(
                1,
                tagged(
                    "settings-back",
                    ft.TextButton(t("settings.back"), icon=ft.Icons.ARROW_BACK, height=TOUCH, on_click=self._back),
                ),
            )
        return ft.Column(
            controls,
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=10,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    async def load(self) -> None:
        """Read the synced company profile (signed in only); the other settings are at hand."""
        if self._load_company is None:
            return
        company = await self._run(self._load_company)
        self.company.controls = [section_title(self.t("settings.company")), *self._company_lines(company)]
        try:
            self.company.update()
        except RuntimeError:
            pass

    def _company_lines(self, company: Company | None) -> list[ft.Control]:
        t = self.t
        if company is None:
            return [ft.Text(t("settings.company_pending"), size=13, color=ft.Colors.GREY_700)]
        p = company.profile
        lines: list[ft.Control] = []
        if company.logo:
            lines.append(ft.Image(src=company.logo, height=48, fit=ft.BoxFit.CONTAIN))
        lines += [
            field_row(t("settings.company_name"), p.name, "company-name"),
            field_row(t("settings.company_legal"), f"{p.legal_name} · {p.tax_id}", "company-legal"),
            field_row(t("settings.company_address"), ", ".join(p.address_lines()), "company-address"),
            field_row(t("settings.company_currency"), f"{p.base_currency} · {p.country}", "company-currency"),
        ]
        if p.iban:
            bank = " · ".join(x for x in (p.bank_name, p.iban) if x)
            lines.append(field_row(t("settings.company_bank"), bank, "company-bank"))
        lines.append(ft.Text(t("settings.company_note"), size=12, color=ft.Colors.GREY_700))
        return lines

    async def _language_changed(self, _event=None) -> None:
        code = self.language.value or self.t.language
        await self._run(choose_language, self.settings.data_dir, code)
        await self._on_language(code)

    async def _save_server(self, _event=None) -> None:
        try:
            chosen = await self._run(
                partial(choose_server, allow_plain_http=self.settings.allow_plain_http),
                self.settings.data_dir,
                self.server.value or "",
            )
        except Exception as exc:
            self.message.value, self.message.color = (
                self.t("settings.server_invalid", detail=explain(self.t, exc)),
                ft.Colors.RED_700,
            )
        else:
            self.message.value, self.message.color = self.t("settings.server_saved"), ft.Colors.GREEN_800
            await self._on_server(chosen.server_url or "")
        try:
            self.message.page.update()
        except RuntimeError:
            pass

    async def _back(self, _event=None) -> None:
        if self._on_back is not None:
            await self._on_back()
