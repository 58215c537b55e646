"""Portfolio: search as you type, filters, health chips, paged list; a tap opens Customer 360."""

import asyncio

import flet as ft

from client.services.credit_chip import CreditChip
from client.services.portfolio import (
    CustomerFilters,
    CustomerRow,
    count_customers,
    list_filter_options,
    search_customers,
)
from client.ui.context import AppContext
from client.ui.prospect_dialog import open_prospect_form
from client.ui.widgets import GREEN, credit_chip, dormant_chip, tagged
from shared.models.prospect import Prospect

PAGE_SIZE = 20
"""Rows per page: a screenful and a little more; more on demand (each row costs a render)."""
ROW_HEIGHT = 72


class PortfolioView:
    """The seller's customers; every query runs off the event loop."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        t = ctx.t
        self._generation = 0  # keystrokes race: only the newest search may render
        self._shown = 0
        self._listed: tuple[list[CustomerRow], int] = ([], 0)
        """The rows on the screen and the count of those that match."""
        self.search = ft.TextField(
            label=t("portfolio.search"),
            hint_text=t("portfolio.search_hint"),
            prefix_icon=ft.Icons.SEARCH,
            on_change=self._on_search,
            expand=True,
            autofocus=True,
        )
        self.credit = ft.Dropdown(
            label=t("portfolio.credit"),
            width=220,
            value="any",
            on_select=self._on_filter,
            options=[ft.DropdownOption(key="any", text=t("portfolio.any_credit"))]
            + [ft.DropdownOption(key=k.value, text=t.label(k)) for k in CreditChip],
        )
        self.segment = ft.Dropdown(
            label=t("portfolio.segment"),
            width=220,
            value="any",
            on_select=self._on_filter,
            options=[ft.DropdownOption(key="any", text=t("portfolio.any_segment"))],
        )
        self._segments_loaded = False
        self.dormant = ft.Checkbox(label=t("portfolio.dormant_only"), value=False, on_change=self._on_filter)
        self.open_quote = ft.Checkbox(label=t("portfolio.open_quote_only"), value=False, on_change=self._on_filter)
        self.count = ft.Text("", color=ft.Colors.GREY_700)
        self.list = ft.ListView(item_extent=ROW_HEIGHT, expand=True, spacing=0)
        self.more = ft.TextButton(
            t("portfolio.load_more"), icon=ft.Icons.EXPAND_MORE, on_click=self._on_more, height=48
        )
        self.more_row = tagged("load-more", self.more, visible=False)

    def build(self) -> ft.Control:
        """The screen's content (the shell adds navigation and the status bar)."""
        return ft.Column(
            [
                ft.Row(
                    [
                        tagged("customer-search", self.search, expand=True),
                        tagged(
                            "prospect-new",
                            ft.OutlinedButton(
                                self.ctx.t("prospect.new"), icon=ft.Icons.DOMAIN_ADD, height=48, on_click=self._new
                            ),
                        ),
                    ]
                ),
                ft.Row(
                    [
                        tagged("credit-filter", self.credit),
                        tagged("segment-filter", self.segment),
                        tagged("dormant-filter", self.dormant),
                        tagged("open-quote-filter", self.open_quote),
                    ],
                    wrap=True,
                    spacing=12,
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
                tagged("customer-count", self.count),
                tagged("customer-list", self.list, expand=True),
                self.more_row,
            ],
            expand=True,
        )

    def _filters(self) -> CustomerFilters:
        chip = None if self.credit.value in (None, "any") else CreditChip(self.credit.value)
        segment = None if self.segment.value in (None, "any") else self.segment.value
        return CustomerFilters(
            credit_chip=chip,
            segment=segment,
            dormant_only=bool(self.dormant.value),
            with_open_quote=bool(self.open_quote.value),
        )

    async def load(self) -> None:
        """(Re)load the first page for the current search and filters."""
        if not self._segments_loaded:
            self._segments_loaded = True
            options = await asyncio.to_thread(list_filter_options, self.ctx.session.store)
            self.segment.options += [ft.DropdownOption(key=s, text=self.ctx.t.segment(s)) for s in options.segments]
        self._generation += 1
        generation = self._generation
        text, filters = self.search.value or "", self._filters()
        rows, total = await asyncio.to_thread(self._query, text, filters, 0)
        if generation != self._generation:
            return  # a newer keystroke already started its own search
        self._render(rows, total)

    async def after_round(self) -> None:
        """A sync round ended: it may have brought a credit block, a payment that lifts one,
        a new customer or one moved to a colleague. The rows on the screen (as many pages as
        the seller opened) are drawn again only when they changed; the search stays."""
        generation = self._generation
        text, filters = self.search.value or "", self._filters()
        rows, total = await asyncio.to_thread(self._query, text, filters, 0, max(self._shown, PAGE_SIZE))
        if generation == self._generation and (rows, total) != self._listed:
            self._render(rows, total)

    def _render(self, rows: list[CustomerRow], total: int) -> None:
        self.list.controls = [self._row(r) for r in rows]
        self._shown = len(rows)
        self._listed = (rows, total)
        self._render_count(total)
        self.ctx.refresh()

    def _query(
        self, text: str, filters: CustomerFilters, offset: int, limit: int = PAGE_SIZE
    ) -> tuple[list[CustomerRow], int]:
        store = self.ctx.session.store
        rows = search_customers(store, text, filters, limit=limit, offset=offset)
        return rows, count_customers(store, text, filters)

    async def _new(self, _event=None) -> None:
        async def made(prospect: Prospect) -> None:
            await self.ctx.go(f"/customer/{prospect.code}")

        open_prospect_form(self.ctx, made)

    async def _on_search(self, _event=None) -> None:
        await self.load()

    async def _on_filter(self, _event=None) -> None:
        await self.load()

    async def _on_more(self, _event=None) -> None:
        generation = self._generation
        rows, total = await asyncio.to_thread(self._query, self.search.value or "", self._filters(), self._shown)
        if generation != self._generation:
            return
        # A customer synced in since the first page shifts the next one: one already listed
        # can come again (a second row with its key would confuse Flet's redraw).
        listed = {row.key for row in self.list.controls}
        added = [r for r in rows if _row_tag(r.code) not in listed]
        self.list.controls.extend(self._row(r) for r in added)
        self._shown += len(rows)
        self._listed = (self._listed[0] + added, total)
        self._render_count(total)
        self.ctx.refresh()

    def _render_count(self, total: int) -> None:
        t = self.ctx.t
        if total == 0:
            filtered = bool(self.search.value) or self._filters() != CustomerFilters()
            self.count.value = t("portfolio.none_match") if filtered else t("portfolio.none_yet")
        else:
            self.count.value = t.plural("portfolio.showing", total, shown=t.number(self._shown))
        self.more_row.visible = self._shown < total

    def _row(self, row: CustomerRow) -> ft.Control:
        t = self.ctx.t
        chips: list[ft.Control] = [credit_chip(t, c) for c in row.credit_chips[:2]]
        if row.is_dormant:
            chips.append(dormant_chip(t))
        subtitle = " · ".join(p for p in (row.code, row.city, t.segment(row.segment)) if p)

        async def open_customer(_event=None) -> None:
            await self.ctx.go(f"/customer/{row.code}")

        tile = ft.ListTile(
            leading=ft.CircleAvatar(
                content=ft.Text(row.legal_name[:1].upper()), bgcolor=ft.Colors.GREEN_50, color=GREEN
            ),
            title=ft.Text(row.legal_name, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
            subtitle=ft.Text(subtitle, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
            trailing=ft.Row(chips, spacing=6, tight=True),
            on_click=open_customer,
        )
        return tagged(_row_tag(row.code), tile, kept=True)  # a list drawn again keeps the tapped row


def _row_tag(code: str) -> str:
    """A customer's row: its tag, and its key (a customer is listed once)."""
    return f"customer-{code}"
