"""The drafts a colleague left for a customer now this seller's, each with "Take over draft"."""

import flet as ft

from client.services.draft_takeover import colleague_drafts, take_over_draft
from client.services.people import names_of
from client.services.synchronization import Offline
from client.ui.context import AppContext, explain
from client.ui.widgets import TOUCH, tagged
from shared.models.field import Quote


async def open_colleague_drafts(ctx: AppContext, customer_code: str) -> None:
    """Ask the server for the drafts (it needs a connection) and show them in a dialog."""
    t = ctx.t
    try:
        drafts = await ctx.call(colleague_drafts, ctx.session, customer_code)
    except Offline:
        ctx.toast(t("takeover.offline"), error=True)
        return
    except Exception as exc:
        ctx.toast(explain(t, exc), error=True)
        return
    names = await ctx.call(names_of, ctx.session, [quote.seller_login for quote in drafts])

    async def take(source: Quote) -> None:
        try:
            mine = await ctx.call(take_over_draft, ctx.session, source)
        except Exception as exc:
            ctx.toast(explain(t, exc), error=True)
            return
        ctx.page.pop_dialog()
        ctx.toast(t("takeover.done", number=mine.number))
        await ctx.go(f"/quote/{mine.id}")

    def row(quote: Quote) -> ft.Control:
        async def on_take(_event=None) -> None:
            await take(quote)

        return ft.ListTile(
            leading=ft.Icon(ft.Icons.REQUEST_QUOTE),
            title=ft.Text(f"{quote.number} v{quote.version}"),
            subtitle=ft.Text(
                t(
                    "takeover.left_by",
                    seller=names.get(quote.seller_login, quote.seller_login),
                    total=t.money(quote.gross_total, quote.currency),
                )
            ),
            trailing=tagged(
                f"take-over-{quote.number}", ft.FilledButton(t("takeover.take"), height=TOUCH, on_click=on_take)
            ),
            min_height=TOUCH,
        )

    rows = [row(quote) for quote in drafts] or [ft.Text(t("takeover.none"))]
    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(t("takeover.title")),
            content=tagged("colleague-drafts", ft.Column([ft.Text(t("takeover.explained")), *rows], tight=True)),
            actions=[ft.TextButton(t("common.close"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog())],
        )
    )


__all__ = ["open_colleague_drafts"]
