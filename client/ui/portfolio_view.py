"""Portfolio: search as you type, filters, health chips, paged list."""

import asyncio
from collections.abc import Awaitable, Callable

import flet as ft

from client.services.credit_chip import CreditChip
from client.services.portfolio import CustomerFilters, CustomerRow, count_customers, search_customers
from client.services.session import Session
from client.ui.widgets import CHIP_STYLE, GREEN, credit_chip, dormant_chip, tagged

PAGE_SIZE = 50
ROW_HEIGHT = 72


class PortfolioView:
    """The seller's customers; every query runs off the event loop."""

    def __init__(self, session: Session, header: ft.Control, on_sign_out: Callable[[], Awaitable[None]]) -> None:
        self.session = session
        self._header = header
        self._on_sign_out = on_sign_out
        self._generation = 0  # keystrokes race: only the newest search may render
        self._shown = 0
        self.search = ft.TextField(label="Search customers", hint_text="Name, code, tax id or city",
                                   prefix_icon=ft.Icons.SEARCH, on_change=self._on_search, expand=True,
                                   autofocus=True)
        self.credit = ft.Dropdown(
            label="Credit", width=180, value="any", on_select=self._on_filter,
            options=[ft.DropdownOption(key="any", text="Any credit")]
            + [ft.DropdownOption(key=k.value, text=CHIP_STYLE[k][0]) for k in CreditChip],
        )
        self.dormant = ft.Checkbox(label="Dormant only", value=False, on_change=self._on_filter)
        self.count = ft.Text("", color=ft.Colors.GREY_700)
        self.list = ft.ListView(item_extent=ROW_HEIGHT, expand=True, spacing=0)
        self.more = ft.TextButton("Load more", icon=ft.Icons.EXPAND_MORE, on_click=self._on_more)

    def build(self) -> ft.View:
        """The view for route `/portfolio`."""
        return ft.View(
            route="/portfolio",
            padding=ft.Padding.symmetric(horizontal=16, vertical=8),
            controls=[
                self._header,
                ft.Row([tagged("customer-search", self.search, expand=True),
                        tagged("credit-filter", self.credit), tagged("dormant-filter", self.dormant)],
                       vertical_alignment=ft.CrossAxisAlignment.CENTER, wrap=False),
                tagged("customer-count", self.count),
                tagged("customer-list", self.list, expand=True),
                tagged("load-more", self.more, visible=False),
            ],
        )

    def _filters(self) -> CustomerFilters:
        chip = None if self.credit.value in (None, "any") else CreditChip(self.credit.value)
        return CustomerFilters(credit_chip=chip, dormant_only=bool(self.dormant.value))

    async def load(self) -> None:
        """(Re)load the first page for the current search and filters."""
        self._generation += 1
        generation = self._generation
        text, filters = self.search.value or "", self._filters()
        rows, total = await asyncio.to_thread(self._query, text, filters, 0)
        if generation != self._generation:
            return  # a newer keystroke already started its own search
        self.list.controls = [self._row(r) for r in rows]
        self._shown = len(rows)
        self._render_count(total)
        self._refresh()

    def _query(self, text: str, filters: CustomerFilters, offset: int) -> tuple[list[CustomerRow], int]:
        store = self.session.store
        rows = search_customers(store, text, filters, limit=PAGE_SIZE, offset=offset)
        return rows, count_customers(store, text, filters)

    async def _on_search(self, _event=None) -> None:
        await self.load()

    async def _on_filter(self, _event=None) -> None:
        await self.load()

    async def _on_more(self, _event=None) -> None:
        generation = self._generation
        rows, total = await asyncio.to_thread(self._query, self.search.value or "", self._filters(), self._shown)
        if generation != self._generation:
            return
        self.list.controls.extend(self._row(r) for r in rows)
        self._shown += len(rows)
        self._render_count(total)
        self._refresh()

    def _render_count(self, total: int) -> None:
        if total == 0:
            self.count.value = "No customers match." if (self.search.value or self.dormant.value) else "No customers yet."
        else:
            self.count.value = f"Showing {self._shown:,} of {total:,} customers"
        self.more.parent.visible = self._shown < total

    def _row(self, row: CustomerRow) -> ft.Control:
        chips = [credit_chip(c) for c in row.credit_chips[:2]]
        if row.is_dormant:
            chips.append(dormant_chip())
        subtitle = " · ".join(p for p in (row.code, row.city, row.segment) if p)
        tile = ft.ListTile(
            leading=ft.CircleAvatar(content=ft.Text(row.legal_name[:1].upper()), bgcolor=ft.Colors.GREEN_50,
                                    color=GREEN),
            title=ft.Text(row.legal_name, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
            subtitle=ft.Text(subtitle, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
            trailing=ft.Row(chips, spacing=6, tight=True),
        )
        return tagged(f"customer-{row.code}", tile)

    def _refresh(self) -> None:
        try:
            self.list.page.update()
        except RuntimeError:
            pass
