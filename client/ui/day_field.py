"""A day the seller types in her locale's order (15/12/2026) or picks on a calendar."""

from datetime import date, datetime, timedelta

import flet as ft

from client.ui.context import AppContext
from client.ui.widgets import TOUCH, tagged


class DayField:
    """A text field for a day, with a calendar button; `day()` reads it (None when empty)."""

    def __init__(
        self, ctx: AppContext, label: str, identifier: str, *, first: date, name: str = "", years: int = 2
    ) -> None:
        """`name` is what an error calls the field (the label without "optional", say)."""
        self.ctx, self.name, self.first = ctx, name or label, first
        self.last = first + timedelta(days=365 * years)
        t = ctx.t
        self.field = ft.TextField(label=label, hint_text=t.day_entry(first), width=240)
        self.control = ft.Row(
            [
                tagged(identifier, self.field),
                tagged(
                    f"{identifier}-pick",
                    ft.IconButton(
                        ft.Icons.CALENDAR_MONTH,
                        tooltip=t("common.pick_day"),
                        width=TOUCH,
                        height=TOUCH,
                        on_click=self._pick,
                    ),
                ),
            ],
            spacing=4,
        )

    def day(self) -> date | None:
        """The day typed or picked; ValueError naming the field when it is not a date."""
        said = (self.field.value or "").strip()
        return self.ctx.t.parse_day(said, self.name) if said else None

    def _pick(self, _event=None) -> None:
        try:
            shown = self.day() or self.first
        except ValueError:
            shown = self.first
        # A new picker each time: a dialog control is shown once.
        language, _sep, country = self.ctx.t.locale.partition("_")
        picker = ft.DatePicker(
            value=max(self.first, min(shown, self.last)),
            locale=ft.Locale(language, country or None),  # the seller's week and month names
            first_date=self.first,
            last_date=self.last,
            on_change=self._picked,
        )
        self.ctx.page.show_dialog(picker)

    def _picked(self, event) -> None:
        value = event.control.value
        if isinstance(value, datetime | date):
            self.field.value = self.ctx.t.day_entry(value.date() if isinstance(value, datetime) else value)
            self.ctx.refresh()


__all__ = ["DayField"]
