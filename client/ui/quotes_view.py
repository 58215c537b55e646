"""Quotes: the seller's saved quotes, open ones first, with total, margin, status and age."""

import asyncio

import flet as ft

from client.services.quote_list import QuoteGroup, QuoteListItem, list_quotes
from client.ui.context import AppContext
from client.ui.frame import section_title
from client.ui.widgets import GREEN, TOUCH, nothing, tagged


class QuotesView:
    """The list, a search box and one chip per group (open, won, lost, all)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.group = QuoteGroup.OPEN
        t = ctx.t
        self.search = ft.TextField(
            label=t("quotes.search"), prefix_icon=ft.Icons.SEARCH, on_change=self._on_search, dense=True
        )
        self.groups = ft.Row(wrap=True, spacing=8, run_spacing=8)
        self.count = ft.Text("", color=ft.Colors.GREY_700)
        self.list = ft.Column(spacing=0)
        self._generation = 0
        self._shown: list[QuoteListItem] | None = None

    def build(self) -> ft.Control:
        """Title, search, groups and the list."""
        t = self.ctx.t
        return ft.Column(
            [
                section_title(t("quotes.title"), "quotes-title"),
                tagged("quotes-search", self.search),
                tagged("quote-groups", self.groups),
                tagged("quotes-count", self.count),
                tagged("quote-list", self.list),
            ],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=10,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    async def load(self) -> None:
        """Read the quotes of the chosen group that match the search."""
        self._generation += 1
        generation = self._generation
        items = await self.ctx.call(list_quotes, self.ctx.session, self.group, self.search.value or "")
        if generation != self._generation:
            return  # a newer keystroke or filter already asked again
        self._render(items)

    async def after_round(self) -> None:
        """A sync round ended: it may have brought a decision, a delivery, an order or a
        payment that moves a quote's status or group. Drawn again only when the list
        changed (what the seller typed in the search box stays)."""
        generation = self._generation
        items = await self.ctx.call(list_quotes, self.ctx.session, self.group, self.search.value or "")
        if generation == self._generation and items != self._shown:
            self._render(items)

    def _render(self, items: list[QuoteListItem]) -> None:
        self._shown = items
        t = self.ctx.t
        self.groups.controls = [self._group_chip(g) for g in QuoteGroup]
        self.count.value = t.plural("quotes.count", len(items))
        self.list.controls = [self._row(item) for item in items] or [nothing("quotes-none", t("quotes.none"))]
        self.ctx.refresh()

    async def _on_search(self, _event=None) -> None:
        generation = self._generation
        await asyncio.sleep(0.15)  # let fast typing settle before querying
        if generation == self._generation:
            await self.load()

    def _group_chip(self, group: QuoteGroup) -> ft.Control:
        t = self.ctx.t
        labels = {
            QuoteGroup.OPEN: t("quotes.group_open"),
            QuoteGroup.WON: t("quotes.group_won"),
            QuoteGroup.LOST: t("quotes.group_lost"),
            QuoteGroup.ALL: t("quotes.group_all"),
        }

        async def choose(_event=None) -> None:
            self.group = group
            await self.load()

        return tagged(
            f"quote-group-{group.value}",
            ft.Chip(label=ft.Text(labels[group]), selected=self.group == group, on_select=choose),
        )

    def _row(self, item: QuoteListItem) -> ft.Control:
        t = self.ctx.t
        margin = t("quotes.margin", percent=t.margin(item.margin_percent)) if item.margin_percent is not None else ""
        details = " · ".join(
            x
            for x in (
                t.money(item.gross_total, item.currency),
                margin,
                t(f"quote.status.{item.status}"),
                t.plural("quotes.age", item.age_days) if item.age_days else t("quotes.age_today"),
            )
            if x
        )

        async def open_quote(_event=None) -> None:
            await self.ctx.go(f"/quote/{item.id}")

        return tagged(
            f"quote-row-{item.number}",
            ft.ListTile(
                title=ft.Text(f"{item.number} · v{item.version} · {item.customer_name or item.customer_code}"),
                subtitle=ft.Text(details),
                trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT, color=GREEN),
                min_height=TOUCH,
                on_click=open_quote,
            ),
            kept=True,  # a tap on a row as a sync round draws the list again still opens it
        )


__all__ = ["QuotesView"]
