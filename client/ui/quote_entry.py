"""Where the quote builder plugs into the app.

Customer 360 and the visit call `open_quote_builder`; the shell shows `/quote` (a new quote)
with `quote_screen` and `/quote/<id>` (a saved version) with `saved_quote_screen`. The opportunities screen starts
a quote for an opportunity with `open_quote_builder(..., opportunity_id=...)`.
"""

from urllib.parse import urlencode
from uuid import UUID

from client.ui.context import AppContext
from client.ui.quote_builder_view import QuoteBuilderView


async def open_quote_builder(
    ctx: AppContext,
    customer_code: str,
    visit_id: UUID | None,
    *,
    sku: str | None = None,
    opportunity_id: UUID | None = None,
) -> None:
    """Start a new quote for the customer (on a visit when `visit_id` is given, for an
    opportunity when `opportunity_id` is; with a first line of `sku` when given)."""
    query = {
        "customer": customer_code,
        **({"visit": str(visit_id)} if visit_id else {}),
        **({"opportunity": str(opportunity_id)} if opportunity_id else {}),
        **({"sku": sku} if sku else {}),
    }
    await ctx.go(f"/quote?{urlencode(query)}")


def quote_screen(ctx: AppContext, params: dict[str, str]) -> QuoteBuilderView:
    """The screen for route `/quote?customer=...&visit=...&opportunity=...&sku=...`: a new
    quote (its first line `sku`), linked to the visit and the opportunity named."""
    return QuoteBuilderView(
        ctx,
        params.get("customer"),
        first_sku=params.get("sku") or None,
        visit_id=_uuid(params.get("visit")),
        opportunity_id=_uuid(params.get("opportunity")),
    )


def _uuid(text: str | None) -> UUID | None:
    try:
        return UUID(text) if text else None
    except ValueError:  # a hand-typed address: the quote starts without the link
        return None


def saved_quote_screen(ctx: AppContext, quote_id: str) -> QuoteBuilderView:
    """The screen for route `/quote/<id>`: a saved quote version."""
    return QuoteBuilderView(ctx, None, quote_id)
