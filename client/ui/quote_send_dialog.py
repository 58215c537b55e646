"""Sending a saved quote: to whom (the customer's address by default) and the message, in
the customer's language like her PDF and subject."""

from collections.abc import Awaitable, Callable

import flet as ft

from client.i18n import Translator
from client.services.quote_document import quote_language
from client.services.quote_reading import default_recipient
from client.services.quote_sending import send_quote
from client.ui.context import AppContext, explain
from client.ui.widgets import TOUCH, tagged
from shared.models.field import Quote


async def open_send_dialog(ctx: AppContext, quote: Quote, after: Callable[[], Awaitable[None]]) -> None:
    """Ask for the recipients and the message, then queue the send (`after` reloads the quote)."""
    t = ctx.t
    customer_mail = await ctx.call(default_recipient, ctx.session, quote.customer_code)
    # The customer reads the message in the language of her PDF and subject, not the seller's.
    language = await ctx.call(quote_language, ctx.session, quote)
    recipients = ft.TextField(label=t("quote.recipients"), value=customer_mail, width=420)
    message = ft.TextField(
        label=t("quote.message"),
        multiline=True,
        min_lines=3,
        width=420,
        value=Translator(language)("quote.default_message", number=quote.number),
    )

    async def go(_event=None) -> None:
        ctx.page.pop_dialog()
        addresses = [a for a in (recipients.value or "").replace(";", ",").split(",") if a.strip()]
        try:
            outcome = await ctx.call(send_quote, ctx.session, quote.id, addresses, message=message.value or "")
        except Exception as exc:  # a refusal or no connection in words; a bug logged by explain
            ctx.toast(explain(t, exc), error=True)
            return
        ctx.toast(t("quote.send_held" if outcome.held else "quote.send_queued"))
        await after()

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("quote.send")),
            content=ft.Column([tagged("send-recipients", recipients), tagged("send-message", message)], tight=True),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged("send-confirm", ft.FilledButton(t("quote.send"), height=TOUCH, on_click=go)),
            ],
        )
    )


__all__ = ["open_send_dialog"]
