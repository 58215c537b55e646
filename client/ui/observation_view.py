"""Competitor observation: competitor, product or category, price seen, presence, notes, photos."""

from uuid import UUID

import flet as ft

from client.services.observations import ObservationChoices, observation_choices, record_competitor_observation
from client.ui.context import AppContext, explain
from client.ui.frame import section_title
from client.ui.widgets import TOUCH, big_button, card, tagged
from shared.models import Presence


class ObservationView:
    """A form kept entirely on the device; photos are uploaded by a later sync."""

    def __init__(self, ctx: AppContext, customer_code: str, visit_id: UUID | None) -> None:
        self.ctx = ctx
        self.customer_code = customer_code
        self.visit_id = visit_id
        t = ctx.t
        self.photos: list[bytes] = []
        self.choices: ObservationChoices | None = None
        self.competitor = ft.TextField(label=t("observation.competitor"), autofocus=True)
        self.sku = ft.TextField(label=t("observation.sku"), width=360)
        self.category = ft.Dropdown(label=t("observation.category"), width=360, options=[])
        self.price = ft.TextField(label=t("observation.price"), keyboard_type=ft.KeyboardType.NUMBER, width=200)
        self.presence = ft.Dropdown(label=t("observation.presence"), value=Presence.NONE.value, width=200,
                                    options=[ft.DropdownOption(key=p.value, text=t.label(p)) for p in Presence])
        self.notes = ft.TextField(label=t("observation.notes"), multiline=True, min_lines=2)
        self.photo_count = ft.Text(t("observation.photos", count=0))
        self.thumbnails = ft.Row(wrap=True, spacing=6)

    def build(self) -> ft.Control:
        """The form."""
        t = self.ctx.t
        return ft.Column([
            section_title(t("observation.title"), "observation-title"),
            card(ft.Column([
                tagged("observation-competitor", self.competitor),
                ft.Row([tagged("observation-sku", self.sku), tagged("observation-category", self.category)],
                       wrap=True),
                ft.Row([tagged("observation-price", self.price), tagged("observation-presence", self.presence)],
                       wrap=True),
                tagged("observation-notes", self.notes),
                ft.Row([big_button(t("observation.add_photo"), ft.Icons.PHOTO_CAMERA, self._pick_photo,
                                   "observation-photo", filled=False),
                        tagged("observation-photo-count", self.photo_count)]),
                self.thumbnails,
            ], spacing=10)),
            ft.Row([big_button(t("common.save"), ft.Icons.SAVE, self._save, "observation-save"),
                    tagged("observation-cancel", ft.TextButton(t("common.cancel"), height=TOUCH, on_click=self._back))]),
        ], expand=True, scroll=ft.ScrollMode.AUTO, spacing=10,
                         horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

    async def load(self) -> None:
        """Fill the category picker."""
        try:
            self.choices = await self.ctx.call(observation_choices, self.ctx.session, self.customer_code)
        except Exception as exc:
            self.ctx.toast(explain(self.ctx.t, exc), error=True)
            return
        self.category.options = [ft.DropdownOption(key="", text="—")] + [
            ft.DropdownOption(key=code, text=name) for code, name in self.choices.categories]
        self.ctx.refresh()

    async def _pick_photo(self, _event=None) -> None:
        t = self.ctx.t
        files = await ft.FilePicker().pick_files(dialog_title=t("observation.add_photo"),
                                                 file_type=ft.FilePickerFileType.IMAGE, allow_multiple=True,
                                                 with_data=True)
        for file in files or []:
            if file.bytes:
                self.photos.append(file.bytes)
                self.thumbnails.controls.append(ft.Image(src=file.bytes, width=96, height=96,
                                                         fit=ft.BoxFit.COVER, border_radius=6))
        self.photo_count.value = t("observation.photos", count=len(self.photos))
        self.ctx.refresh()

    async def _save(self, _event=None) -> None:
        t = self.ctx.t
        try:
            if not (self.competitor.value or "").strip():
                raise ValueError(t("observation.competitor_missing"))
            price = (t.parse_decimal(self.price.value, t("observation.price"))
                     if (self.price.value or "").strip() else None)
            await self.ctx.call(
                record_competitor_observation, self.ctx.session, self.customer_code, self.competitor.value or "",
                visit_id=self.visit_id, sku=self.sku.value, category_code=self.category.value or None,
                observed_price=price, currency=self.choices.currency if self.choices else None,
                presence=Presence(self.presence.value or Presence.NONE.value), notes=self.notes.value or "",
                photos=tuple(self.photos),
            )
        except Exception as exc:
            self.ctx.toast(explain(t, exc), error=True)
            return
        self.ctx.toast(t("observation.saved"))
        await self._back()

    async def _back(self, _event=None) -> None:
        await self.ctx.go(f"/visit/{self.visit_id}" if self.visit_id else f"/customer/{self.customer_code}")
