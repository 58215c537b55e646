"""Suggestions on a customer's page: each product with its reason in words (a reorder due, what
the segment buys, a category she stopped buying); a tap starts a quote with that product."""

from collections.abc import Awaitable, Callable

import flet as ft

from client.i18n import Translator
from client.services.account_intelligence import Suggestion
from client.ui.events import on_event
from client.ui.frame import section_title
from client.ui.widgets import GREEN, TOUCH, tagged

ICONS = {"reorder": ft.Icons.REPLAY, "cross_sell": ft.Icons.GROUPS, "lapsed": ft.Icons.HISTORY}


def suggestions_panel(
    t: Translator, segment: str, suggestions: tuple[Suggestion, ...], quote: Callable[[str], Awaitable[None]]
) -> ft.Control:
    """The title and one row per suggestion; `quote(sku)` runs when a row is tapped."""
    rows: list[ft.Control] = [section_title(t("suggestions.title"))]
    for suggestion in suggestions:
        rows.append(
            tagged(
                f"suggestion-{suggestion.kind}-{suggestion.sku}",
                ft.ListTile(
                    leading=ft.Icon(ICONS.get(suggestion.kind, ft.Icons.LIGHTBULB), color=GREEN),
                    title=ft.Text(f"{suggestion.sku} · {suggestion.product_name}"),
                    subtitle=ft.Text(reason(t, segment, suggestion)),
                    trailing=ft.Icon(ft.Icons.ADD_SHOPPING_CART, tooltip=t("suggestions.quote")),
                    min_height=TOUCH,
                    on_click=on_event(quote, suggestion.sku),
                ),
            )
        )
    if len(rows) == 1:
        rows.append(ft.Text(t("suggestions.none"), color=ft.Colors.GREY_700))
    return ft.Column(rows, spacing=2)


def reason(t: Translator, segment: str, suggestion: Suggestion) -> str:
    """Why the product is suggested, in one sentence."""
    if suggestion.reorder is not None:
        due = suggestion.reorder
        return t(
            "suggestions.reorder",
            every=t.plural("suggestions.days", due.cadence_days),
            ago=t.plural("suggestions.days", due.days_since),
        )
    if suggestion.cross_sell is not None:
        return t(
            "suggestions.cross_sell",
            percent=t.percent(suggestion.cross_sell.percent),
            segment=t.segment(segment),
            category=suggestion.category_name,
        )
    if suggestion.lapsed is not None:
        return t.plural(
            "suggestions.lapsed",
            suggestion.lapsed.months_bought,
            category=suggestion.category_name,
            last=t.date(suggestion.lapsed.last_bought),
        )
    return ""


__all__ = ["reason", "suggestions_panel"]
