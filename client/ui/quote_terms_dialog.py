"""The quote's terms in a dialog: the header discount, the payment terms and the notes (for
the customer, for the team, and the conditions agreed on the spot)."""

from collections.abc import Awaitable, Callable
from decimal import Decimal

import flet as ft

from client.services.quote_pricing import QuoteDraft
from client.services.quote_terms import NOTE_LIMIT, QuoteNotes
from client.ui.context import AppContext, explain
from client.ui.widgets import TOUCH, tagged

Apply = Callable[[Decimal, str | None, QuoteNotes], Awaitable[None]]


def _note(label: str, value: str) -> ft.TextField:
    return ft.TextField(label=label, value=value, multiline=True, min_lines=1, max_lines=4, max_length=NOTE_LIMIT)


def open_terms_dialog(ctx: AppContext, draft: QuoteDraft, apply: Apply) -> None:
    """Edit the draft's header discount, payment terms and notes; `apply` gets what the seller typed."""
    t = ctx.t
    discount = ft.TextField(label=t("quote.header_discount"), value=t.number(draft.header_discount_percent))
    terms = ft.TextField(label=t("quote.payment_terms"), value=draft.payment_terms)
    customer = _note(t("quote.customer_note"), draft.customer_note)
    internal = _note(t("quote.internal_note"), draft.internal_note)
    conditions = _note(t("quote.conditions"), draft.conditions)

    async def save(_event=None) -> None:
        try:
            value = t.parse_decimal(discount.value or "0", t("quote.header_discount"))
        except ValueError as exc:
            ctx.toast(explain(t, exc), error=True)
            return
        ctx.page.pop_dialog()
        notes = QuoteNotes(customer.value or "", internal.value or "", conditions.value or "")
        await apply(value, terms.value or None, notes)

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("quote.terms")),
            content=ft.Column(
                [
                    tagged("terms-discount", discount),
                    tagged("terms-payment", terms),
                    tagged("terms-customer-note", customer),
                    tagged("terms-internal-note", internal),
                    tagged("terms-conditions", conditions),
                ],
                tight=True,
                width=440,
                scroll=ft.ScrollMode.AUTO,
            ),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged("terms-apply", ft.FilledButton(t("common.save"), height=TOUCH, on_click=save)),
            ],
        )
    )


__all__ = ["open_terms_dialog"]
