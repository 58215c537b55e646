"""The customer's answer to a sent quote, recorded on the spot: accepted (an order request for
the ERP) or lost (why, and to whom at what price, when the seller knows); or the seller
taking an offer back."""

from collections.abc import Awaitable, Callable
from decimal import Decimal

import flet as ft

from client.services.competitor_prices import our_price
from client.services.quote_answers import mark_accepted, mark_lost, mark_withdrawn
from client.services.quoting import today
from client.ui.context import AppContext, explain
from client.ui.day_field import DayField
from client.ui.widgets import TOUCH, tagged
from shared.models import LostReason
from shared.models.field import Quote

Answered = Callable[[], Awaitable[None]]


def open_lost_dialog(ctx: AppContext, quote: Quote, on_answered: Answered) -> None:
    """Ask why the customer said no, and (optionally) to which competitor at what price."""
    t = ctx.t
    reason = ft.Dropdown(
        label=t("quote.lost_reason"),
        value=LostReason.PRICE.value,
        width=360,
        options=[ft.DropdownOption(key=r.value, text=t.label(r)) for r in LostReason],
    )
    note = ft.TextField(label=t("quote.lost_note"), multiline=True, min_lines=1, max_lines=4, width=360)
    competitor = ft.TextField(label=t("quote.lost_competitor"), width=360)
    price = ft.TextField(
        label=t("quote.lost_competitor_price", currency=quote.currency),
        keyboard_type=ft.KeyboardType.NUMBER,
        width=360,
    )
    error = ft.Text("", color=ft.Colors.RED_700)
    # The competitor's unit price per line, optional: shown on a tap (most losses have none).
    per_line = {
        line.line_no: ft.TextField(
            label=t("quote.lost_line_price", line=line.line_no, sku=line.sku),
            hint_text=t("quote.lost_line_ours", price=t.money(our_price(quote, line), quote.currency)),
            keyboard_type=ft.KeyboardType.NUMBER,
            width=360,
        )
        for line in quote.lines
    }
    skus = {line.line_no: line.sku for line in quote.lines}
    lines_box = ft.Column(
        [tagged(f"quote-lost-line-{no}", field) for no, field in per_line.items()], visible=False, spacing=6
    )

    async def show_lines(_event=None) -> None:
        lines_box.visible = not lines_box.visible
        ctx.refresh()

    async def lose(_event=None) -> None:
        try:
            said = (price.value or "").strip()
            amount: Decimal | None = t.parse_decimal(said, t("quote.lost_competitor_price_short")) if said else None
            line_prices = {
                no: t.parse_decimal((field.value or "").strip(), t("quote.lost_line_price", line=no, sku=skus[no]))
                for no, field in per_line.items()
                if (field.value or "").strip()
            }
            await ctx.call(
                mark_lost,
                ctx.session,
                quote.id,
                LostReason(reason.value or LostReason.OTHER.value),
                note=note.value or "",
                competitor=competitor.value or "",
                competitor_price=amount,
                line_prices=line_prices,
            )
        except Exception as exc:  # said in the dialog: the seller fixes the price and tries again
            error.value = explain(t, exc)
            ctx.refresh()
            return
        ctx.page.pop_dialog()
        ctx.toast(t("quote.lost_saved"))
        await on_answered()

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("quote.lost_title", number=quote.number)),
            content=ft.Column(
                [
                    tagged("quote-lost-reason", reason),
                    tagged("quote-lost-note", note),
                    tagged("quote-lost-competitor", competitor),
                    tagged("quote-lost-price", price),
                    tagged(
                        "quote-lost-per-line",
                        ft.TextButton(
                            t("quote.lost_per_line"),
                            icon=ft.Icons.FORMAT_LIST_NUMBERED,
                            height=TOUCH,
                            on_click=show_lines,
                        ),
                    ),
                    lines_box,
                    tagged("quote-lost-error", error),
                ],
                tight=True,
                width=420,
                scroll=ft.ScrollMode.AUTO,
            ),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged("quote-lost-confirm", ft.FilledButton(t("quote.mark_lost"), height=TOUCH, on_click=lose)),
            ],
        )
    )


def open_accept_dialog(ctx: AppContext, quote: Quote, on_answered: Answered) -> None:
    """The customer's yes: her PO number and the day she wants the goods (both optional);
    the version becomes final and an order request goes to the ERP."""
    t = ctx.t
    po = ft.TextField(label=t("quote.accept_po"), max_length=35, width=360)
    wanted = DayField(
        ctx, t("quote.accept_delivery"), "quote-accept-delivery", first=today(), name=t("quote.accept_delivery_name")
    )
    if quote.requested_delivery is not None and quote.requested_delivery >= today():
        # The day asked for while quoting is the likeliest answer; a day now past is left
        # out (the acceptance would refuse it).
        wanted.field.value = t.day_entry(quote.requested_delivery)
    error = ft.Text("", color=ft.Colors.RED_700)

    async def accept(_event=None) -> None:
        try:
            await ctx.call(
                mark_accepted, ctx.session, quote.id, customer_po=po.value or "", requested_delivery=wanted.day()
            )
        except Exception as exc:  # said in the dialog: the seller fixes the field and tries again
            error.value = explain(t, exc)
            ctx.refresh()
            return
        ctx.page.pop_dialog()
        ctx.toast(t("quote.accepted_saved"))
        await on_answered()

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("quote.accept_title", number=quote.number)),
            content=ft.Column(
                [
                    ft.Text(t("quote.accept_body", gross=t.money(quote.gross_total, quote.currency)), width=420),
                    tagged("quote-accept-po", po),
                    wanted.control,
                    tagged("quote-accept-error", error),
                ],
                tight=True,
                width=420,
            ),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged(
                    "quote-accept-confirm", ft.FilledButton(t("quote.mark_accepted"), height=TOUCH, on_click=accept)
                ),
            ],
        )
    )


def open_withdraw_dialog(ctx: AppContext, quote: Quote, on_answered: Answered) -> None:
    """Confirm taking the offer back: the version is closed; a new version can offer again."""
    t = ctx.t
    _confirm(
        ctx,
        title=t("quote.withdraw_title", number=quote.number),
        body=t("quote.withdraw_body"),
        button=t("quote.withdraw"),
        identifier="quote-withdraw-confirm",
        work=lambda: ctx.call(mark_withdrawn, ctx.session, quote.id),
        done=t("quote.withdrawn_saved"),
        on_answered=on_answered,
    )


def _confirm(
    ctx: AppContext,
    *,
    title: str,
    body: str,
    button: str,
    identifier: str,
    work: Callable[[], Awaitable[object]],
    done: str,
    on_answered: Answered,
) -> None:
    t = ctx.t

    async def confirmed(_event=None) -> None:
        try:
            await work()
        except Exception as exc:
            ctx.page.pop_dialog()
            ctx.toast(explain(t, exc), error=True)
            return
        ctx.page.pop_dialog()
        ctx.toast(done)
        await on_answered()

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(title),
            content=ft.Text(body, width=420),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged(identifier, ft.FilledButton(button, height=TOUCH, on_click=confirmed)),
            ],
        )
    )


__all__ = ["open_accept_dialog", "open_lost_dialog", "open_withdraw_dialog"]
