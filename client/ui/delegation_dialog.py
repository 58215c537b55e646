"""Delegate my approvals (managers): to another manager, for a range of days; the delegations
she gave or holds, each she gave with a button to end it. Needs the server: said plainly offline."""

from datetime import UTC, datetime, timedelta

import flet as ft

from client.services.delegations import cancel_delegation, delegate_approvals, delegate_candidates, my_delegations
from client.ui.context import AppContext, explain
from client.ui.day_field import DayField
from client.ui.widgets import TOUCH, tagged
from shared.protocol import DelegationPublic


class DelegationDialog:
    """The dialog; `open()` shows it."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        t, today = ctx.t, datetime.now(UTC).date()
        self.delegate = ft.RadioGroup(content=ft.Column(spacing=0), on_change=self._chosen)  # one tap each
        self.starts = DayField(ctx, t("delegation.starts_on"), "delegation-starts", first=today)
        self.ends = DayField(ctx, t("delegation.ends_on"), "delegation-ends", first=today)
        self.error = ft.Text("", color=ft.Colors.RED_700)
        self.current = ft.Column(spacing=4)

    async def open(self, _event=None) -> None:
        """Load the managers and the current delegations, then show the dialog."""
        t = self.ctx.t
        candidates = await self.ctx.call(delegate_candidates, self.ctx.session)
        self.delegate.content = ft.Column(
            [ft.Radio(value=login, label=name) for login, name in candidates] or [ft.Text(t("delegation.nobody"))],
            spacing=0,
        )
        today = datetime.now(UTC).date()
        self.starts.field.value = t.day_entry(today)
        self.ends.field.value = t.day_entry(today + timedelta(days=6))
        await self._load_current()
        self.ctx.page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(t("delegation.title")),
                content=tagged(
                    "delegation-dialog",
                    ft.Column(
                        [
                            ft.Text(t("delegation.explain"), size=13),
                            ft.Text(t("delegation.delegate"), weight=ft.FontWeight.W_600),
                            tagged("delegation-delegate", self.delegate),
                            self.starts.control,
                            self.ends.control,
                            self.error,
                            self.current,
                        ],
                        tight=True,
                        spacing=8,
                        scroll=ft.ScrollMode.AUTO,
                    ),
                ),
                actions=[
                    ft.TextButton(t("approvals.cancel"), on_click=lambda _e: self.ctx.page.pop_dialog()),
                    tagged("delegation-save", ft.FilledButton(t("delegation.save"), on_click=self._save)),
                ],
            )
        )

    def _chosen(self, _event=None) -> None:
        self.error.value = ""  # a new choice: the old complaint no longer holds

    async def _load_current(self) -> None:
        t = self.ctx.t
        try:
            found = await self.ctx.call(my_delegations, self.ctx.session)
        except Exception as exc:  # offline: the form still checks, the list says why it is missing
            self.current.controls = [ft.Text(explain(t, exc), color=ft.Colors.BLUE_GREY_700, size=12)]
            return
        self.current.controls = [self._line(d) for d in found] if found else [ft.Text(t("delegation.none"), size=12)]

    def _line(self, delegation: DelegationPublic) -> ft.Control:
        t = self.ctx.t
        mine = delegation.delegator_login == self.ctx.session.login
        words = t(
            "delegation.given" if mine else "delegation.held",
            name=delegation.delegate_name if mine else delegation.delegator_name,
            starts=t.date(delegation.starts_on),
            ends=t.date(delegation.ends_on),
        )
        end = (
            tagged(
                f"delegation-end-{delegation.id}",
                ft.TextButton(t("delegation.end"), height=TOUCH, on_click=self._end(str(delegation.id))),
            )
            if mine
            else ft.Container()
        )
        return tagged(f"delegation-{delegation.id}", ft.Row([ft.Text(words, expand=True, size=13), end]))

    async def _save(self, _event=None) -> None:
        t = self.ctx.t
        starts, ends = self.starts.day(), self.ends.day()
        if not self.delegate.value or starts is None or ends is None:
            self.error.value = t("delegation.incomplete")
            self.ctx.refresh()
            return
        try:
            made = await self.ctx.call(delegate_approvals, self.ctx.session, self.delegate.value, starts, ends)
        except Exception as exc:  # a bad range, a seller, no connection: said in the dialog, kept open
            self.error.value = explain(t, exc)  # (a bug is logged there, with a reference)
            self.ctx.refresh()
            return
        self.ctx.page.pop_dialog()
        self.ctx.toast(t("delegation.done", name=made.delegate_name, ends=t.date(made.ends_on)))

    def _end(self, delegation_id: str):
        async def end(_event=None) -> None:
            try:
                await self.ctx.call(cancel_delegation, self.ctx.session, delegation_id)
            except Exception as exc:  # offline, or ended meanwhile
                self.error.value = explain(self.ctx.t, exc)
            await self._load_current()
            self.ctx.refresh()

        return end


__all__ = ["DelegationDialog"]
