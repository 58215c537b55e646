"""Create or edit an opportunity in a dialog (from Customer 360, a visit or the pipeline), or
fix one the server refused (from the Sync screen)."""

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal

import flet as ft

from client.services.opportunities import create_opportunity, customer_currency, edit_opportunity, lose_opportunity
from client.services.sync_fixes import RefusedChange, fix_opportunity
from client.ui.context import AppContext, explain
from client.ui.field_errors import show_field_error
from client.ui.widgets import TOUCH, tagged
from shared.models import LostReason
from shared.models.field import Opportunity

Saved = Callable[[Opportunity], Awaitable[None]]
Keep = Callable[[str, Decimal, Decimal, date | None], Awaitable[Opportunity]]
"""Keeps what the editor holds (title, value, probability, expected close) on the device."""


def open_opportunity_editor(
    ctx: AppContext,
    customer_code: str,
    on_saved: Saved,
    original: Opportunity | None = None,
    *,
    keep: Keep | None = None,
    heading: str | None = None,
) -> None:
    """Show the editor; `on_saved` runs after the opportunity is kept on the device.

    `keep` replaces creating or editing (a fix of a refused opportunity), `heading` the title.
    """
    t = ctx.t
    title = ft.TextField(label=t("opportunity.title"), value=original.title if original else "", autofocus=True)
    value = ft.TextField(
        label=t("opportunity.value"),
        keyboard_type=ft.KeyboardType.NUMBER,
        value=t.number(original.value, 2) if original else "",
        suffix=original.currency if original else None,  # a new one: the customer's, read below
    )
    probability = ft.TextField(
        label=t("opportunity.probability"),
        keyboard_type=ft.KeyboardType.NUMBER,
        value=t.number(original.probability_percent) if original else "10",
    )
    close = ft.TextField(
        label=t("opportunity.expected_close"),
        hint_text=t.day_entry(date(2026, 12, 31)),
        value=t.day_entry(original.expected_close) if original and original.expected_close else "",
    )
    error = ft.Text("", color=ft.Colors.RED_700)
    fields = {"title": title, "value": value, "probability_percent": probability, "expected_close": close}

    async def save(_event=None) -> None:
        try:
            if not (title.value or "").strip():
                raise ValueError(t("opportunity.title_missing"))
            amount = t.parse_decimal(value.value or "", t("opportunity.value"))
            percent = t.parse_decimal(probability.value or "", t("opportunity.probability"))
            expected = _parse_date(t, close.value or "")
            if keep is not None:
                saved = await keep((title.value or "").strip(), amount, percent, expected)
            elif original is None:
                saved = await ctx.call(
                    create_opportunity,
                    ctx.session,
                    customer_code,
                    title.value or "",
                    amount,
                    probability_percent=percent,
                    expected_close=expected,
                )
            else:
                saved = await ctx.call(
                    edit_opportunity,
                    ctx.session,
                    original,
                    title=(title.value or "").strip(),
                    value=amount,
                    probability_percent=percent,
                    expected_close=expected,
                )
        except Exception as exc:  # every failure is said in words in the dialog, by its field
            error.value = show_field_error(t, fields, exc)
            ctx.refresh()
            return
        ctx.page.pop_dialog()
        if keep is None:  # a fix is confirmed by whoever asked for it
            ctx.toast(t("opportunity.saved"))
        await on_saved(saved)

    dialog = ft.AlertDialog(
        title=ft.Text(heading or (t("opportunity.edit") if original else t("opportunity.new"))),
        content=ft.Column(
            [
                tagged("opportunity-title", title),
                tagged("opportunity-value", value),
                tagged("opportunity-probability", probability),
                tagged("opportunity-close", close),
                tagged("opportunity-error", error),
            ],
            tight=True,
            width=420,
        ),
        actions=[
            ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
            tagged("opportunity-save", ft.FilledButton(t("common.save"), height=TOUCH, on_click=save)),
        ],
    )
    ctx.page.show_dialog(dialog)

    async def say_currency() -> None:
        value.suffix = await ctx.call(customer_currency, ctx.session, customer_code)
        ctx.refresh()

    if original is None:
        ctx.page.run_task(say_currency)


def open_opportunity_fix(ctx: AppContext, change: RefusedChange, on_fixed: Callable[[], Awaitable[None]]) -> None:
    """The editor filled with the opportunity the server refused; saving sends the fix."""
    refused = change.record
    assert isinstance(refused, Opportunity)

    async def keep(title: str, value: Decimal, percent: Decimal, expected: date | None) -> Opportunity:
        return await ctx.call(
            fix_opportunity,
            ctx.session,
            change.issue_id,
            title=title,
            value=value,
            probability_percent=percent,
            expected_close=expected,
        )

    async def fixed(_opportunity: Opportunity) -> None:
        await on_fixed()

    open_opportunity_editor(
        ctx, refused.customer_code, fixed, refused, keep=keep, heading=ctx.t("fix.opportunity_title")
    )


def open_lose_dialog(ctx: AppContext, opportunity: Opportunity, on_saved: Saved) -> None:
    """Ask why the opportunity was lost, and (optionally) who won it at what price; then close it."""
    t = ctx.t
    reason = ft.Dropdown(
        label=t("opportunity.lost_reason"),
        value=LostReason.PRICE.value,
        width=360,
        options=[ft.DropdownOption(key=r.value, text=t.label(r)) for r in LostReason],
    )
    competitor = ft.TextField(label=t("opportunity.lost_competitor"), width=360)
    price = ft.TextField(
        label=t("opportunity.lost_competitor_price", currency=opportunity.currency),
        keyboard_type=ft.KeyboardType.NUMBER,
        width=360,
    )
    error = ft.Text("", color=ft.Colors.RED_700)

    async def lose(_event=None) -> None:
        try:
            said = (price.value or "").strip()
            amount = t.parse_decimal(said, t("opportunity.lost_competitor_price_short")) if said else None
            saved = await ctx.call(
                lose_opportunity,
                ctx.session,
                opportunity.id,
                LostReason(reason.value or LostReason.OTHER.value),
                competitor=competitor.value or "",
                competitor_price=amount,
            )
        except Exception as exc:  # said in the dialog: the seller fixes the price and tries again
            error.value = explain(t, exc)
            ctx.refresh()
            return
        ctx.page.pop_dialog()
        await on_saved(saved)

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("opportunity.lose_title", title=opportunity.title)),
            content=ft.Column(
                [
                    tagged("lost-reason", reason),
                    tagged("lost-competitor", competitor),
                    tagged("lost-competitor-price", price),
                    tagged("lost-error", error),
                ],
                tight=True,
                width=420,
            ),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged("confirm-lost", ft.FilledButton(t("opportunity.mark_lost"), height=TOUCH, on_click=lose)),
            ],
        )
    )


def _parse_date(t, text: str) -> date | None:
    text = text.strip()
    return t.parse_day(text, t("opportunity.expected_close")) if text else None


__all__ = ["open_lose_dialog", "open_opportunity_editor", "open_opportunity_fix"]
