"""Where a quote came from and what came of a visit or an opportunity, as the seller reads
them: "From the visit of 5 Dec 2026", "For opportunity Guantes 2027" (each a tap away), the
quotes a visit or an opportunity led to, and the competitor's prices beside ours on a lost
quote's lines. Built from what `quote_links` and `competitor_prices` return; no rule here."""

from collections.abc import Awaitable, Callable, Sequence

import flet as ft

from client.i18n import Translator
from client.services.competitor_prices import PriceGap
from client.services.opportunities import win_opportunity
from client.services.quote_links import LinkedQuote, QuoteOrigin
from client.ui.context import AppContext, explain
from client.ui.frame import section_title
from client.ui.widgets import TOUCH, tagged

Tap = Callable[..., Awaitable[None]]


def origin_controls(
    t: Translator,
    origin: QuoteOrigin,
    *,
    on_visit: Tap,
    on_opportunity: Tap,
    on_win: Tap | None = None,
) -> list[ft.Control]:
    """The quote's visit and opportunity as buttons that open them; with `on_win`, the
    suggestion to mark the opportunity won (the quote was accepted)."""
    controls: list[ft.Control] = []
    if origin.visit_id is not None:
        words = t("quote.from_visit", date=t.date(origin.visit_day)) if origin.visit_day else t("quote.from_a_visit")
        controls.append(
            tagged("quote-from-visit", ft.TextButton(words, icon=ft.Icons.PLACE, height=TOUCH, on_click=on_visit))
        )
    if origin.opportunity is not None:
        controls.append(
            tagged(
                "quote-for-opportunity",
                ft.TextButton(
                    t("quote.for_opportunity", title=origin.opportunity.title),
                    icon=ft.Icons.TRENDING_UP,
                    height=TOUCH,
                    on_click=on_opportunity,
                ),
            )
        )
        if on_win is not None and origin.suggests_won:
            controls.append(
                tagged(
                    "quote-win-opportunity",
                    ft.FilledTonalButton(
                        t("quote.mark_opportunity_won", title=origin.opportunity.title),
                        icon=ft.Icons.EMOJI_EVENTS,
                        height=TOUCH,
                        on_click=on_win,
                    ),
                )
            )
    return [ft.Row(controls, wrap=True, spacing=4, run_spacing=4)] if controls else []


def quote_origin_row(
    ctx: AppContext, origin: QuoteOrigin | None, *, accepted: bool, on_changed: Callable[[], Awaitable[None]]
) -> list[ft.Control]:
    """A saved quote's visit and opportunity, each opening its screen; once the quote is
    accepted, marking its open opportunity won (then `on_changed`)."""
    if origin is None:
        return []
    found = origin

    async def open_visit(_event=None) -> None:
        await ctx.go(f"/visit/{found.visit_id}")

    async def open_opportunity(_event=None) -> None:
        if found.opportunity is not None:
            await ctx.go(f"/opportunities?customer={found.opportunity.customer_code}")

    async def win(_event=None) -> None:
        if found.opportunity is None:
            return
        try:
            await ctx.call(win_opportunity, ctx.session, found.opportunity.id)
        except Exception as exc:  # said as a toast; the quote stays as it is
            ctx.toast(explain(ctx.t, exc), error=True)
            return
        ctx.toast(ctx.t("opportunity.won_saved"))
        await on_changed()

    return origin_controls(
        ctx.t, origin, on_visit=open_visit, on_opportunity=open_opportunity, on_win=win if accepted else None
    )


def linked_quote_rows(
    t: Translator, quotes: Sequence[LinkedQuote], on_open: Callable[[str], Tap], prefix: str
) -> list[ft.Control]:
    """One tappable line per quote: number, version, status, total."""
    return [
        tagged(
            f"{prefix}-quote-{q.number}",
            ft.TextButton(
                t(
                    "quote.linked",
                    number=q.number,
                    version=q.version,
                    status=t(f"quote.status.{q.status}"),
                    total=t.money(q.gross_total, q.currency),
                ),
                icon=ft.Icons.REQUEST_QUOTE,
                height=TOUCH,
                on_click=on_open(q.id),
            ),
        )
        for q in quotes
    ]


def visit_quotes_panel(t: Translator, quotes: Sequence[LinkedQuote], on_open: Callable[[str], Tap]) -> ft.Control:
    """The quotes started on a visit; a sentence when none."""
    rows: list[ft.Control] = [section_title(t("visit.quotes"))]
    rows += linked_quote_rows(t, quotes, on_open, "visit") or [ft.Text(t("visit.no_quotes"), color=ft.Colors.GREY_700)]
    return ft.Column(rows, spacing=2)


def gap_words(t: Translator, gap: PriceGap, *, with_competitor: bool) -> str:
    """ "Lost to Würth: their price 12,40 € vs ours 13,10 € on P-00487" (or, on the quote
    itself, without the competitor's name: "Line 2 · P-00487: their price … vs ours …")."""
    theirs, ours = t.money(gap.theirs, gap.currency), t.money(gap.ours, gap.currency)
    if with_competitor and gap.competitor:
        return t("quote.gap_lost_to", competitor=gap.competitor, theirs=theirs, ours=ours, sku=gap.sku)
    if with_competitor:
        return t("quote.gap_lost", theirs=theirs, ours=ours, sku=gap.sku)
    return t("quote.gap_line", line=gap.line_no, sku=gap.sku, theirs=theirs, ours=ours)


def lost_prices_panel(t: Translator, gaps: Sequence[PriceGap]) -> ft.Control:
    """A customer's lost lines with the competitor's price beside ours, newest quote first."""
    rows: list[ft.Control] = [section_title(t("customer.lost_prices"))]
    for gap in gaps:
        rows.append(
            ft.Row(
                [
                    ft.Text(f"{gap.number} v{gap.version}", width=150, size=12, color=ft.Colors.GREY_700),
                    ft.Text(gap_words(t, gap, with_competitor=True), size=13, expand=True),
                ],
                spacing=8,
            )
        )
    return ft.Column(rows, spacing=4)


__all__ = [
    "gap_words",
    "linked_quote_rows",
    "lost_prices_panel",
    "origin_controls",
    "quote_origin_row",
    "visit_quotes_panel",
]
