"""Delivery dates on the quote builder: each line's promised day (or "to be confirmed"), the
day the customer wants it (the quote's, or the line's own) and a warning when it is late.
The days come from the pricing (`shared.rules.delivery_dates`); this only shows them."""

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import flet as ft

from client.i18n import Translator
from client.services.quote_pricing import PricedLine, QuoteDraft
from client.ui.widgets import tagged
from shared.models.field import Quote, QuoteLine
from shared.rules.delivery_dates import DeliveryFit, delivery_fit, requested_delivery

OnWanted = Callable[[ft.TextField], Callable[..., Awaitable[Any]]]
"""Makes the handler called when a wanted-day field is left or submitted."""


def promised_words(t: Translator, line: PricedLine | QuoteLine) -> str:
    """The line's promised day in words: "Delivery by 8 Dec 2026" or "to be confirmed"."""
    if line.promised_delivery is None:
        return t("delivery.to_confirm")
    return t("delivery.by", date=t.date(line.promised_delivery))


def warning_words(t: Translator, line: PricedLine) -> str | None:
    """Why a line cannot keep the day asked for it, or None."""
    wanted = t.date(line.requested_delivery)
    if line.delivery_fit == DeliveryFit.LATE:
        return t("delivery.late", wanted=wanted, promised=t.date(line.promised_delivery))
    if line.delivery_fit == DeliveryFit.UNDATED:
        return t("delivery.undated", wanted=wanted)
    return None


def saved_delivery_words(t: Translator, quote: Quote, line: QuoteLine) -> tuple[str, str | None, bool]:
    """A saved line's delivery in words: its promised day, then the day asked for it (the
    line's own; the quote's day is said once above the lines) or why it cannot be kept, and
    whether that second part is a warning."""
    wanted = requested_delivery(line.requested_delivery, quote.requested_delivery)
    fit = delivery_fit(wanted, line.promised_delivery)
    if fit == DeliveryFit.LATE:
        late = t("delivery.late", wanted=t.date(wanted), promised=t.date(line.promised_delivery))
        return promised_words(t, line), late, True
    if fit == DeliveryFit.UNDATED:
        return promised_words(t, line), t("delivery.undated", wanted=t.date(wanted)), True
    if line.requested_delivery is not None:
        return promised_words(t, line), t("quote.answer_wanted", date=t.date(line.requested_delivery)), False
    return promised_words(t, line), None, False


def wanted_field(t: Translator, label: str, value: Any, hint: str, on_wanted: OnWanted) -> ft.TextField:
    """A short field for a wanted day (empty: none of its own)."""
    field = ft.TextField(label=label, value=t.day_entry(value) if value else "", hint_text=hint, width=240, dense=True)
    field.on_blur = field.on_submit = on_wanted(field)
    return field


def read_wanted(t: Translator, field: ft.TextField, *, for_line: bool) -> date | None:
    """The day typed in a wanted-day field (None when empty); ValueError naming the field."""
    said = (field.value or "").strip()
    return t.parse_day(said, t("delivery.line_wanted" if for_line else "delivery.quote_wanted")) if said else None


def line_delivery_row(t: Translator, index: int, line: PricedLine, draft: QuoteDraft, on_wanted: OnWanted) -> ft.Row:
    """Promised day, the line's wanted-day field and the warning when late."""
    hint = t.day_entry(draft.requested_delivery) if draft.requested_delivery else t.day_entry(draft.issue_date)
    controls: list[ft.Control] = [
        tagged(
            f"delivery-{index}",
            ft.Text(promised_words(t, line), size=13, weight=ft.FontWeight.W_500, color=ft.Colors.BLUE_GREY_800),
        ),
        tagged(
            f"wanted-{index}",
            wanted_field(t, t("delivery.line_wanted"), line.own_requested_delivery, hint, on_wanted),
        ),
    ]
    warning = warning_words(t, line)
    if warning:
        controls.append(tagged(f"delivery-warning-{index}", ft.Text(f"⚠ {warning}", size=13, color=ft.Colors.RED_700)))
    return ft.Row(controls, wrap=True, spacing=12, vertical_alignment=ft.CrossAxisAlignment.CENTER)


def quote_wanted_field(t: Translator, draft: QuoteDraft, on_wanted: OnWanted) -> ft.Control:
    """The day the customer wants the whole quote by (each line's unless it has its own)."""
    field = wanted_field(
        t, t("delivery.quote_wanted"), draft.requested_delivery, t.day_entry(draft.issue_date), on_wanted
    )
    field.width = 320
    return tagged("quote-wanted", field)


__all__ = [
    "line_delivery_row",
    "promised_words",
    "quote_wanted_field",
    "read_wanted",
    "saved_delivery_words",
    "warning_words",
]
