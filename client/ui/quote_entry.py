"""Where the quote builder plugs into the app.

Customer 360 and the visit call `open_quote_builder`; the shell shows `/quote` (a new quote)
with `quote_screen` and `/quote/<id>` (a saved version) with `saved_quote_screen`.
"""

from urllib.parse import urlencode
from uuid import UUID

from client.ui.context import AppContext
from client.ui.quote_builder_view import QuoteBuilderView


async def open_quote_builder(ctx: AppContext, customer_code: str, visit_id: UUID | None) -> None:
    """Start a new quote for the customer (from a visit when `visit_id` is given)."""
    query = {"customer": customer_code, **({"visit": str(visit_id)} if visit_id else {})}
    await ctx.go(f"/quote?{urlencode(query)}")


def quote_screen(ctx: AppContext, params: dict[str, str]) -> QuoteBuilderView:
    """The screen for route `/quote?customer=...&visit=...`: a new quote."""
    return QuoteBuilderView(ctx, params.get("customer"))


def saved_quote_screen(ctx: AppContext, quote_id: str) -> QuoteBuilderView:
    """The screen for route `/quote/<id>`: a saved quote version."""
    return QuoteBuilderView(ctx, None, quote_id)
