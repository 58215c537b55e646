"""What the seller can do with a short line on the quote builder: offer a substitute, cut it
to what ships now, or drop it (a cut or a drop is recorded as a lost sale due to stock)."""

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from client.i18n import Translator
from client.services.quote_cuts import cut_to_available
from client.services.quote_pricing import PricedLine
from client.services.quoting import drop_line_for_stock, substitute_line
from client.ui.events import on_event
from client.ui.widgets import TOUCH, tagged

Run = Callable[..., Awaitable[Any]]
"""The builder's `_run(service, *args, message_key=...)`."""


def short_line_actions(t: Translator, index: int, line: PricedLine, run: Run) -> list[ft.Control]:
    """The buttons under a short line (none for a line that ships as asked)."""
    if not line.promise.is_short:
        return []
    actions: list[ft.Control] = [
        tagged(
            f"substitute-{index}-{option.sku}",
            ft.OutlinedButton(
                t("quote.use_substitute", sku=_named(option.sku, line), qty=t.number(option.sellable)),
                height=TOUCH,
                on_click=on_event(run, substitute_line, index, option.sku),
            ),
        )
        for option in line.promise.substitutes[:3]
    ]
    if line.promise.available_now > 0:
        actions.append(
            tagged(
                f"cut-{index}",
                ft.OutlinedButton(
                    t("quote.cut_to_available", qty=t.number(line.promise.available_now)),
                    icon=ft.Icons.CONTENT_CUT,
                    height=TOUCH,
                    on_click=on_event(run, cut_to_available, index, message_key="quote.lost_sale_recorded"),
                ),
            )
        )
    actions.append(
        tagged(
            f"drop-{index}",
            ft.TextButton(
                t("quote.drop_no_stock"),
                icon=ft.Icons.REMOVE_SHOPPING_CART,
                height=TOUCH,
                on_click=on_event(run, drop_line_for_stock, index, message_key="quote.lost_sale_recorded"),
            ),
        )
    )
    return actions


def _named(sku: str, line: PricedLine) -> str:
    """A substitute as the seller can tell what it is: its code and name."""
    name = line.substitute_names.get(sku)
    return f"{sku} · {name}" if name else sku


__all__ = ["short_line_actions"]
