"""Where the quote builder plugs into the app (the builder itself lives with the quoting work).

Customer 360 and the visit call `open_quote_builder`; the shell shows `/quote` with
`quote_screen`. Both are the only seams the quote builder needs.
"""

from urllib.parse import urlencode
from uuid import UUID

import flet as ft

from client.ui.context import AppContext
from client.ui.frame import section_title


async def open_quote_builder(ctx: AppContext, customer_code: str, visit_id: UUID | None) -> None:
    """Start a new quote for the customer (from a visit when `visit_id` is given)."""
    query = {"customer": customer_code, **({"visit": str(visit_id)} if visit_id else {})}
    await ctx.go(f"/quote?{urlencode(query)}")


class QuoteScreen:
    """Placeholder until the quote builder lands: says what was asked for."""

    def __init__(self, ctx: AppContext, params: dict[str, str]) -> None:
        self.ctx = ctx
        self.params = params

    def build(self) -> ft.Control:
        """The screen's content."""
        return ft.Column([section_title(self.ctx.t("quote.title"), "quote-title"),
                          ft.Text(self.params.get("customer", ""))])

    async def load(self) -> None:
        """Nothing to read yet."""


def quote_screen(ctx: AppContext, params: dict[str, str]) -> QuoteScreen:
    """The screen for route `/quote?customer=...&visit=...`."""
    return QuoteScreen(ctx, params)
