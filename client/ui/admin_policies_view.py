"""Policies (administrator): every policy in force as a form built from its fields, so a field a
policy model gains shows up here by itself: a switch for yes/no, one `name = value` per line
for bands, commas for lists, a text field for the rest. Mistakes are named under their field."""

import flet as ft

from client.services import administration as admin
from client.services.administration import BadResponse, FieldKind, PolicyField
from client.ui.admin_common import CardsScreen
from client.ui.context import AppContext, explain
from client.ui.field_errors import show_field_error
from client.ui.widgets import card, tagged
from shared.errors import DomainError


class PoliciesView(CardsScreen):
    """One card per policy, each saved on its own."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, title_key="admin.policies.title", title_id="policies-title")

    async def load(self) -> None:
        """Read the policies in force from the server."""
        forms = await self.online.run(admin.read_policies, self.ctx.session)
        if forms is None:
            return
        self.cards.controls = [self._policy(name, fields) for name, fields in forms.items()]
        self.ctx.refresh()

    def _label(self, name: str) -> str:
        t = self.ctx.t
        return t.label_of("Field", name) if t.has(f"enum.Field.{name}") else name.replace("_", " ").capitalize()

    def _help(self, kind: FieldKind) -> str | None:
        t = self.ctx.t
        if kind == FieldKind.PAIRS:
            return t("admin.policies.help.pairs")
        if kind == FieldKind.LIST:
            return t("admin.policies.help.list")
        return None

    def _policy(self, name: str, fields: list[PolicyField]) -> ft.Control:
        t = self.ctx.t
        controls: dict[str, ft.TextField | ft.Switch] = {}
        for field in fields:
            if field.kind == FieldKind.SWITCH:
                controls[field.name] = ft.Switch(label=self._label(field.name), value=field.is_on)
            else:
                controls[field.name] = ft.TextField(
                    label=self._label(field.name),
                    value=field.text,
                    width=420,
                    multiline=field.kind == FieldKind.PAIRS,
                    min_lines=2 if field.kind == FieldKind.PAIRS else None,
                    helper=self._help(field.kind),
                )
        problem = ft.Text("", color=ft.Colors.RED_700)
        texts = {n: c for n, c in controls.items() if isinstance(c, ft.TextField)}

        async def save(_event=None) -> None:
            edited = [
                PolicyField(
                    f.name,
                    f.kind,
                    text=str(getattr(controls[f.name], "value", "") or "") if f.kind != FieldKind.SWITCH else "",
                    is_on=bool(controls[f.name].value) if f.kind == FieldKind.SWITCH else False,
                )
                for f in fields
            ]
            try:
                saved = await self.online.run(admin.save_policy, self.ctx.session, name, edited)
            except (DomainError, BadResponse) as error:
                said = show_field_error(t, texts, error)
                marked = isinstance(error, DomainError) and error.extra.get("field", "").split(".")[0] in texts
                if marked and isinstance(error, DomainError):
                    texts[error.extra["field"].split(".")[0]].error = said
                problem.value = "" if marked else explain(t, error)
                self.ctx.refresh()
                return
            if saved is None:
                return
            for control in texts.values():
                control.error = None
            problem.value = ""
            self.ctx.toast(
                t("admin.policies.saved", policy=t(f"admin.policy.{name}") if t.has(f"admin.policy.{name}") else name)
            )
            await self.load()

        title = t(f"admin.policy.{name}") if t.has(f"admin.policy.{name}") else name.capitalize()
        return card(
            ft.Column(
                [
                    ft.Text(title, size=16, weight=ft.FontWeight.W_600),
                    *[tagged(f"policy-{name}-{n}", c) for n, c in controls.items()],
                    problem,
                    tagged(f"policy-{name}-save", ft.FilledButton(t("admin.policies.save"), on_click=save)),
                ],
                spacing=8,
            ),
            f"policy-{name}",
        )


__all__ = ["PoliciesView"]
