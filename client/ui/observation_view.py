"""Competitor observation: competitor, product or category, price seen, presence, notes, photos.
The same fields fix an observation the server refused (`open_observation_fix`)."""

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

import flet as ft

from client.i18n import Translator
from client.services.observations import ObservationChoices, observation_choices, record_competitor_observation
from client.services.sync_fixes import RefusedChange, fix_observation
from client.ui.context import AppContext, explain
from client.ui.fix_dialog import open_fix_dialog
from client.ui.frame import section_title
from client.ui.widgets import TOUCH, big_button, card, tagged
from shared.errors import NotFound
from shared.models import CompetitorObservation, Presence


class ObservationForm:
    """What the seller notes of a competitor: who, which product or category, price, presence, notes."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        self.competitor = ft.TextField(label=t("observation.competitor"), autofocus=True)
        self.sku = ft.TextField(label=t("observation.sku"), width=360)
        self.category = ft.Dropdown(label=t("observation.category"), width=360, options=[])
        self.price = ft.TextField(label=t("observation.price"), keyboard_type=ft.KeyboardType.NUMBER, width=200)
        self.presence = ft.Dropdown(
            label=t("observation.presence"),
            value=Presence.NONE.value,
            width=200,
            options=[ft.DropdownOption(key=p.value, text=t.label(p)) for p in Presence],
        )
        self.notes = ft.TextField(label=t("observation.notes"), multiline=True, min_lines=2)
        self.fields: dict[str, ft.TextField | ft.Dropdown] = {
            "competitor": self.competitor,
            "sku": self.sku,
            "category_code": self.category,
            "observed_price": self.price,
            "presence": self.presence,
            "notes": self.notes,
        }

    def offer(self, categories: tuple[tuple[str, str], ...]) -> None:
        """The categories to pick from (code, name)."""
        self.category.options = [ft.DropdownOption(key="", text="—")] + [
            ft.DropdownOption(key=code, text=name) for code, name in categories
        ]

    def fill(self, observation: CompetitorObservation) -> None:
        """Show what an observation holds."""
        self.competitor.value, self.sku.value = observation.competitor, observation.sku or ""
        self.category.value = observation.category_code or ""
        self.price.value = self.t.number(observation.observed_price) if observation.observed_price is not None else ""
        self.presence.value, self.notes.value = str(observation.presence), observation.notes

    def values(self) -> dict[str, Any]:
        """The fields as the observation services take them; ValueError names a bad field."""
        t = self.t
        if not (self.competitor.value or "").strip():
            raise ValueError(t("observation.competitor_missing"))
        price: Decimal | None = (
            t.parse_decimal(self.price.value or "", t("observation.price"))
            if (self.price.value or "").strip()
            else None
        )
        return {
            "competitor": self.competitor.value or "",
            "sku": self.sku.value,
            "category_code": self.category.value or None,
            "observed_price": price,
            "presence": Presence(self.presence.value or Presence.NONE.value),
            "notes": self.notes.value or "",
        }

    def controls(self, prefix: str = "observation") -> list[ft.Control]:
        """The fields laid out, each tagged `<prefix>-<field>` for browser tests."""
        return [
            tagged(f"{prefix}-competitor", self.competitor),
            ft.Row([tagged(f"{prefix}-sku", self.sku), tagged(f"{prefix}-category", self.category)], wrap=True),
            ft.Row([tagged(f"{prefix}-price", self.price), tagged(f"{prefix}-presence", self.presence)], wrap=True),
            tagged(f"{prefix}-notes", self.notes),
        ]


class ObservationView:
    """A form kept entirely on the device; photos are uploaded by a later sync."""

    def __init__(self, ctx: AppContext, customer_code: str, visit_id: UUID | None) -> None:
        self.ctx = ctx
        self.customer_code = customer_code
        self.visit_id = visit_id
        t = ctx.t
        self.photos: list[bytes] = []
        self.choices: ObservationChoices | None = None
        self.form = ObservationForm(t)
        self.photo_count = ft.Text(t.plural("observation.photos", 0))
        self.customer = ft.Text(customer_code, color=ft.Colors.GREY_700)
        self.thumbnails = ft.Row(wrap=True, spacing=6)

    def build(self) -> ft.Control:
        """The form."""
        t = self.ctx.t
        return ft.Column(
            [
                section_title(t("observation.title"), "observation-title"),
                tagged("observation-customer", self.customer),
                card(
                    ft.Column(
                        [
                            *self.form.controls(),
                            ft.Row(
                                [
                                    big_button(
                                        t("observation.add_photo"),
                                        ft.Icons.PHOTO_CAMERA,
                                        self._pick_photo,
                                        "observation-photo",
                                        filled=False,
                                    ),
                                    tagged("observation-photo-count", self.photo_count),
                                ]
                            ),
                            self.thumbnails,
                        ],
                        spacing=10,
                    )
                ),
                ft.Row(
                    [
                        big_button(t("common.save"), ft.Icons.SAVE, self._save, "observation-save"),
                        tagged(
                            "observation-cancel", ft.TextButton(t("common.cancel"), height=TOUCH, on_click=self._back)
                        ),
                    ]
                ),
            ],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=10,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    async def load(self) -> None:
        """Fill the category picker."""
        try:
            self.choices = await self.ctx.call(observation_choices, self.ctx.session, self.customer_code)
        except Exception as exc:
            self.ctx.toast(explain(self.ctx.t, exc), error=True)
            return
        self.form.offer(self.choices.categories)
        self.form.price.suffix = self.choices.currency  # the price is noted in the customer's currency
        self.customer.value = self.ctx.t("observation.at", customer=self.choices.customer_name)
        self.ctx.refresh()

    async def _pick_photo(self, _event=None) -> None:
        t = self.ctx.t
        files = await ft.FilePicker().pick_files(
            dialog_title=t("observation.add_photo"),
            file_type=ft.FilePickerFileType.IMAGE,
            allow_multiple=True,
            with_data=True,
        )
        for file in files or []:
            if file.bytes:
                self.photos.append(file.bytes)
                self.thumbnails.controls.append(
                    ft.Image(src=file.bytes, width=96, height=96, fit=ft.BoxFit.COVER, border_radius=6)
                )
        self.photo_count.value = t.plural("observation.photos", len(self.photos))
        self.ctx.refresh()

    async def _save(self, _event=None) -> None:
        t = self.ctx.t
        try:
            await self.ctx.call(
                record_competitor_observation,
                self.ctx.session,
                self.customer_code,
                visit_id=self.visit_id,
                currency=self.choices.currency if self.choices else None,
                photos=tuple(self.photos),
                **self.form.values(),
            )
        except Exception as exc:
            self.ctx.toast(explain(t, exc), error=True)
            return
        self.ctx.toast(t("observation.saved"))
        await self._back()

    async def _back(self, _event=None) -> None:
        await self.ctx.go(f"/visit/{self.visit_id}" if self.visit_id else f"/customer/{self.customer_code}")


async def open_observation_fix(ctx: AppContext, change: RefusedChange, on_fixed: Callable[[], Awaitable[None]]) -> None:
    """The observation's fields, filled with what the server refused; saving sends the fix
    (its photos go with it unchanged)."""
    t = ctx.t
    observation = change.record
    assert isinstance(observation, CompetitorObservation)
    form = ObservationForm(t)
    currency: str | None
    try:  # the customer may have left the device with the move that caused the refusal
        choices = await ctx.call(observation_choices, ctx.session, observation.customer_code)
        form.offer(choices.categories)
        currency = observation.currency or choices.currency
    except NotFound:
        form.offer(((observation.category_code, observation.category_code),) if observation.category_code else ())
        currency = observation.currency
    form.fill(observation)
    form.price.suffix = currency

    async def send() -> None:
        await ctx.call(fix_observation, ctx.session, change.issue_id, currency=currency, **form.values())

    open_fix_dialog(ctx, t("fix.observation_title"), form.controls("fix-observation"), form.fields, send, on_fixed)
