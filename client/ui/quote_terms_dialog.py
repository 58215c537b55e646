"""The quote's terms in a dialog: the header discount and the payment terms."""

from collections.abc import Awaitable, Callable
from decimal import Decimal

import flet as ft

from client.services.quote_pricing import QuoteDraft
from client.ui.context import AppContext, explain
from client.ui.widgets import TOUCH, tagged

Apply = Callable[[Decimal, str | None], Awaitable[None]]


def open_terms_dialog(ctx: AppContext, draft: QuoteDraft, apply: Apply) -> None:
    """Edit the draft's header discount and payment terms; `apply` gets what the seller typed."""
    t = ctx.t
    discount = ft.TextField(label=t("quote.header_discount"), value=t.number(draft.header_discount_percent))
    terms = ft.TextField(label=t("quote.payment_terms"), value=draft.payment_terms)

    async def save(_event=None) -> None:
        try:
            value = t.parse_decimal(discount.value or "0", t("quote.header_discount"))
        except ValueError as exc:
            ctx.toast(explain(t, exc), error=True)
            return
        ctx.page.pop_dialog()
        await apply(value, terms.value or None)

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("quote.terms")),
            content=ft.Column([tagged("terms-discount", discount), tagged("terms-payment", terms)], tight=True),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged("terms-apply", ft.FilledButton(t("common.save"), height=TOUCH, on_click=save)),
            ],
        )
    )


__all__ = ["open_terms_dialog"]
