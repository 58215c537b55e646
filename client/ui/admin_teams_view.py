"""Teams (administrator): each team's name, parent, manager and sellers; rename, put under another
team, set the manager, move a seller in."""

import flet as ft

from client.services import administration as admin
from client.ui.admin_common import CardsScreen, kept_words
from client.ui.context import AppContext
from client.ui.widgets import card
from shared.admin import TeamPublic, UserPublic
from shared.models import Role

_TOP = "| top"
"""The parent dropdown's key for "no parent": no code has a space or '|'."""


class TeamsView(CardsScreen):
    """Every team as a card with its three edits."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, title_key="admin.teams.title", title_id="teams-title")

    async def load(self) -> None:
        """Read the teams and the people from the server."""
        teams = await self.online.run(admin.list_teams, self.ctx.session)
        users = await self.online.run(admin.list_users, self.ctx.session) if teams is not None else None
        if teams is None or users is None:
            return
        self.cards.controls = [self._team(team, teams, users) for team in teams]
        self.ctx.refresh()

    def _team(self, team: TeamPublic, teams: list[TeamPublic], users: list[UserPublic]) -> ft.Control:
        t = self.ctx.t
        name = ft.TextField(label=t("admin.teams.name"), value=team.name, width=320)
        parent = ft.Dropdown(
            label=t("admin.teams.parent"),
            value=team.parent_code or _TOP,
            width=320,
            options=[
                ft.DropdownOption(key=_TOP, text=t("admin.teams.top")),
                *(ft.DropdownOption(key=o.code, text=f"{o.code} · {o.name}") for o in teams if o.code != team.code),
            ],
        )
        managers = [u for u in users if u.role == Role.MANAGER]
        manager = ft.Dropdown(
            label=t("admin.teams.manager"),
            value=team.managers[0] if team.managers else None,
            width=320,
            options=[ft.DropdownOption(key=u.login, text=f"{u.name} ({u.login})") for u in managers],
        )
        outsiders = [u for u in users if u.role == Role.SELLER and u.team_code != team.code]
        newcomer = ft.Dropdown(
            label=t("admin.teams.move_in"),
            width=320,
            options=[ft.DropdownOption(key=u.login, text=f"{u.name} · {u.team_code or '—'}") for u in outsiders],
        )

        async def rename(_event=None) -> None:
            if await self.online.change(admin.change_team, self.ctx.session, team.code, name=name.value or ""):
                self.ctx.toast(t("admin.teams.saved", team=team.code))
                await self.load()

        async def set_parent(_event=None) -> None:
            chosen = "" if parent.value in (None, _TOP) else parent.value
            done = await self.online.change(admin.change_team, self.ctx.session, team.code, parent_code=chosen)
            if done is not None:
                self.ctx.toast(t("admin.teams.saved", team=team.code))
                await self.load()

        async def set_manager(_event=None) -> None:
            if not manager.value:
                return
            done = await self.online.change(admin.change_team, self.ctx.session, team.code, manager_login=manager.value)
            if done is not None:
                self.ctx.toast(t("admin.teams.saved", team=team.code))
                await self.load()

        async def move_in(_event=None) -> None:
            if not newcomer.value:
                return
            done = await self.online.change(admin.move_member, self.ctx.session, team.code, newcomer.value)
            if done is not None:
                self.ctx.toast(t("admin.teams.moved", login=newcomer.value, team=team.code))
                await self.load()

        members = ", ".join(team.members) or t("admin.teams.no_members")
        under = t("admin.teams.under", parent=team.parent_code) if team.parent_code else t("admin.teams.top")
        return card(
            ft.Column(
                [
                    ft.Text(f"{team.code} · {team.name}", size=16, weight=ft.FontWeight.W_600),
                    ft.Text(under, size=13),
                    ft.Text(kept_words(t, team.admin_fields), size=12, visible=bool(team.admin_fields)),
                    ft.Text(t("admin.teams.members", members=members), size=13),
                    ft.Row([name, ft.OutlinedButton(t("admin.teams.rename"), on_click=rename)], wrap=True),
                    ft.Row([parent, ft.OutlinedButton(t("admin.teams.set_parent"), on_click=set_parent)], wrap=True),
                    ft.Row([manager, ft.OutlinedButton(t("admin.teams.set_manager"), on_click=set_manager)], wrap=True),
                    ft.Row([newcomer, ft.OutlinedButton(t("admin.teams.move"), on_click=move_in)], wrap=True),
                ],
                spacing=8,
            ),
            f"team-{team.code}",
        )


__all__ = ["TeamsView"]
