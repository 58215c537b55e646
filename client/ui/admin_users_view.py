"""Users (administrator): everyone who signs in, a new user, deactivate or reactivate, a new password."""

import flet as ft

from client.services import administration as admin
from client.services.administration import BadResponse
from client.ui.admin_common import Online, header, kept_words, since_words
from client.ui.context import AppContext, explain
from client.ui.field_errors import show_field_error
from client.ui.widgets import TOUCH, chip, tagged
from shared.admin import UserPublic
from shared.errors import DomainError
from shared.models import Role


class UsersView:
    """The list of users and their dialogs."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.online = Online(ctx, "admin-offline")
        self.rows = ft.Column(spacing=6)
        self.teams: list[str] = []

    def build(self) -> ft.Control:
        """The users, a button to add one."""
        t = self.ctx.t
        add = tagged(
            "users-new",
            ft.FilledButton(t("admin.users.new"), icon=ft.Icons.PERSON_ADD, height=TOUCH, on_click=self._new),
        )
        return ft.Column(
            [header(t("admin.users.title"), "users-title", add), self.online.control, tagged("users-list", self.rows)],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
        )

    async def load(self) -> None:
        """Read the users (and the teams, for the new-user form) from the server."""
        users = await self.online.run(admin.list_users, self.ctx.session)
        if users is None:
            return
        teams = await self.online.run(admin.list_teams, self.ctx.session)
        self.teams = [team.code for team in teams or []]
        self.rows.controls = [self._row(u) for u in users]
        self.ctx.refresh()

    def _row(self, user: UserPublic) -> ft.Control:
        t = self.ctx.t
        state = []
        if not user.is_active:
            state.append(chip(t("admin.users.deactivated"), ft.Colors.RED_50, ft.Colors.RED_800))
        elif not user.has_password:
            state.append(chip(t("admin.users.no_password"), ft.Colors.ORANGE_50, ft.Colors.ORANGE_900))
        where = " · ".join(p for p in (t.label(Role(user.role)), user.team_code, user.home_warehouse) if p)
        seen = t("admin.last_seen", when=since_words(t, user.last_seen_at))
        toggle = (
            ft.OutlinedButton(t("admin.users.deactivate"), icon=ft.Icons.PERSON_OFF, on_click=self._deactivate(user))
            if user.is_active
            else ft.OutlinedButton(t("admin.users.reactivate"), icon=ft.Icons.PERSON, on_click=self._reactivate(user))
        )
        return tagged(
            f"user-{user.login}",
            ft.Container(
                ft.Row(
                    [
                        ft.Column(
                            [
                                ft.Row([ft.Text(user.name, weight=ft.FontWeight.W_600), *state]),
                                ft.Text(f"{user.login} · {where}", size=13, color=ft.Colors.GREY_700),
                                ft.Text(t.plural("admin.users.devices", user.devices) + " · " + seen, size=12),
                                ft.Text(kept_words(t, user.admin_fields), size=12, visible=bool(user.admin_fields)),
                            ],
                            spacing=2,
                            expand=True,
                        ),
                        ft.OutlinedButton(
                            t("admin.users.reset_password"), icon=ft.Icons.PASSWORD, on_click=self._reset(user)
                        ),
                        toggle,
                    ]
                ),
                padding=10,
                border=ft.Border.all(1, ft.Colors.GREY_300),
                border_radius=ft.BorderRadius.all(8),
            ),
        )

    # -- dialogs ---------------------------------------------------------------------------

    async def _new(self, _event=None) -> None:
        t = self.ctx.t
        fields: dict[str, ft.TextField | ft.Dropdown] = {
            "login": ft.TextField(label=t("admin.users.login"), width=380),
            "name": ft.TextField(label=t("admin.users.name"), width=380),
            "email": ft.TextField(label=t("admin.users.email"), width=380),
            "role": ft.Dropdown(
                label=t("admin.users.role"),
                value=Role.SELLER.value,
                width=380,
                options=[ft.DropdownOption(key=r.value, text=t.label(r)) for r in Role],
            ),
            "team_code": ft.Dropdown(
                label=t("admin.users.team"),
                width=380,
                options=[
                    ft.DropdownOption(key=code, text=code, content=tagged(f"team-option-{code}", ft.Text(code)))
                    for code in self.teams
                ],
            ),
            "home_warehouse": ft.TextField(label=t("admin.users.warehouse"), width=380),
            "password": ft.TextField(label=t("admin.users.password"), password=True, width=380),
        }

        problem = tagged("user-form-error", ft.Text("", color=ft.Colors.RED_700))

        async def save(_event=None) -> None:
            values = {name: control.value or "" for name, control in fields.items()}
            try:
                created = await self.online.run(admin.create_user, self.ctx.session, **values)
            except (DomainError, BadResponse) as error:
                said = show_field_error(t, fields, error)
                marked = isinstance(error, DomainError) and error.extra.get("field") in fields
                problem.content.value = "" if marked else said  # type: ignore[union-attr]
                self.ctx.refresh()
                return
            if created is None:
                return  # offline: said, and the form stays as typed
            self.ctx.page.pop_dialog()
            self.ctx.toast(t("admin.users.created", login=values["login"].strip().lower()))
            await self.load()

        self.ctx.page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(t("admin.users.new")),
                content=tagged(
                    "user-form",
                    ft.Column(
                        [*(tagged(f"new-user-{name}", c) for name, c in fields.items()), problem],
                        tight=True,
                        scroll=ft.ScrollMode.AUTO,
                    ),
                ),
                actions=[
                    ft.TextButton(t("admin.cancel"), on_click=lambda _e: self.ctx.page.pop_dialog()),
                    tagged("user-create", ft.FilledButton(t("admin.users.create"), on_click=save)),
                ],
            )
        )

    def _reset(self, user: UserPublic):
        async def ask(_event=None) -> None:
            t = self.ctx.t
            password = ft.TextField(label=t("admin.users.new_password"), password=True, width=380)

            async def save(_event=None) -> None:
                try:
                    done = await self.online.run(
                        admin.reset_password, self.ctx.session, user.login, password.value or ""
                    )
                except (DomainError, BadResponse) as error:
                    password.error = explain(t, error)  # the password policy's words, under the field
                    self.ctx.refresh()
                    return
                if done is not None:
                    self.ctx.page.pop_dialog()
                    self.ctx.toast(t("admin.users.password_set", login=user.login))

            self.ctx.page.show_dialog(
                ft.AlertDialog(
                    title=ft.Text(t("admin.users.reset_title", name=user.name)),
                    content=ft.Column([ft.Text(t("admin.users.reset_body")), password], tight=True),
                    actions=[
                        ft.TextButton(t("admin.cancel"), on_click=lambda _e: self.ctx.page.pop_dialog()),
                        tagged("password-confirm", ft.FilledButton(t("admin.users.reset_password"), on_click=save)),
                    ],
                )
            )

        return ask

    def _deactivate(self, user: UserPublic):
        async def ask(_event=None) -> None:
            t = self.ctx.t

            async def confirm(_event=None) -> None:
                self.ctx.page.pop_dialog()
                if await self.online.change(admin.deactivate_user, self.ctx.session, user.login) is not None:
                    await self.load()

            self.ctx.page.show_dialog(
                ft.AlertDialog(
                    title=ft.Text(t("admin.users.deactivate_title", name=user.name)),
                    content=ft.Text(t("admin.users.deactivate_body")),
                    actions=[
                        ft.TextButton(t("admin.cancel"), on_click=lambda _e: self.ctx.page.pop_dialog()),
                        tagged("deactivate-confirm", ft.FilledButton(t("admin.users.deactivate"), on_click=confirm)),
                    ],
                )
            )

        return ask

    def _reactivate(self, user: UserPublic):
        async def run(_event=None) -> None:
            if await self.online.change(admin.reactivate_user, self.ctx.session, user.login) is not None:
                await self.load()

        return run


__all__ = ["UsersView"]
