"""One line of the quote being built: product, availability, delivery, quantity, discount,
price and margin, with its short-line actions. Drawn anew at every re-price."""

from collections.abc import Awaitable, Callable

import flet as ft

from client.i18n import Translator
from client.i18n.messages import describe_promise
from client.services.quote_pricing import PricedLine, QuoteDraft
from client.services.quoting import remove_line
from client.ui.events import on_event
from client.ui.quote_line_actions import short_line_actions
from client.ui.quote_line_delivery import line_delivery_row
from client.ui.quote_panels import PROMISE_COLOURS
from client.ui.widgets import chip, tagged

FieldKey = tuple[int, str, str]
"""A line's field: (line index, product, "quantity" or "discount")."""


class LineFields:
    """Each line's quantity and discount field as last drawn, with the value drawn in it.

    The lines are drawn anew when a re-price comes back (a line added, another field left).
    What the seller has typed into a field and not entered yet is carried into the new one;
    otherwise the quote's value would replace her typing."""

    def __init__(self) -> None:
        self._drawn: dict[FieldKey, tuple[str, ft.TextField]] = {}
        self._typed: dict[FieldKey, str] = {}

    def redraw(self) -> None:
        """Before the lines are drawn anew: keep what is typed and not entered."""
        self._typed = {key: field.value for key, (drawn, field) in self._drawn.items() if field.value != drawn}
        self._drawn = {}

    def field(self, key: FieldKey, value: str, label: str, width: int) -> ft.TextField:
        """A line's field showing `value`, or what the seller was typing in it."""
        field = ft.TextField(value=self._typed.get(key, value), label=label, width=width)
        self._drawn[key] = (value, field)
        return field

    def entered(self, key: FieldKey) -> None:
        """The seller entered the field: the quote's answer is what it shows next."""
        self._drawn.pop(key, None)


def line_row(
    t: Translator,
    index: int,
    line: PricedLine,
    draft: QuoteDraft,
    fields: LineFields,
    run: Callable[..., Awaitable[None]],
    changed: Callable[[int, str, ft.TextField], Awaitable[None]],
    wanted: Callable[[int | None, ft.TextField], Awaitable[None]],
) -> ft.Control:
    """Line `index` of the quote; `run` applies a quoting service to it, `changed` takes an
    entered quantity or discount, `wanted` a date asked for."""
    result, currency = line.result, draft.currency
    background, foreground = PROMISE_COLOURS.get(str(line.promise.kind), PROMISE_COLOURS["none"])
    quantity = fields.field(
        (index, line.sku, "quantity"),
        t.number(result.quantity),
        t("quote.quantity_in", unit=t.unit(line.unit)),
        130,
    )
    discount = fields.field((index, line.sku, "discount"), t.number(result.discount_percent), t("quote.discount"), 120)
    for field, what in ((quantity, "quantity"), (discount, "discount")):
        field.on_blur = field.on_submit = on_event(changed, index, what, field)
    margin = t.margin(result.margin_percent) if result.margin_percent is not None else "—"
    extra = short_line_actions(t, index, line, run)
    return tagged(
        f"quote-line-{index}",
        ft.Container(
            ft.Column(
                [
                    ft.Row(
                        [
                            ft.Text(f"{line.line_no}. {line.sku}", weight=ft.FontWeight.BOLD),
                            ft.Text(line.description, expand=True, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS),
                            ft.IconButton(
                                ft.Icons.DELETE_OUTLINE,
                                tooltip=t("quote.remove"),
                                on_click=on_event(run, remove_line, index),
                            ),
                        ],
                        vertical_alignment=ft.CrossAxisAlignment.CENTER,
                    ),
                    ft.Row(
                        [
                            tagged(
                                f"promise-{index}",
                                chip(describe_promise(t, line.promise_wording), background, foreground),
                            )
                        ],
                        wrap=True,
                    ),
                    line_delivery_row(t, index, line, draft, lambda field: on_event(wanted, index, field)),
                    ft.Row(
                        [
                            quantity,
                            discount,
                            ft.Text(t("quote.unit_price", price=t.money(result.unit_price, currency))),
                            tagged(
                                f"line-net-{index}",
                                ft.Text(t.money(result.net, currency), weight=ft.FontWeight.W_600),
                            ),
                            ft.Text(t("quote.margin", margin=margin), color=ft.Colors.GREY_700),
                        ],
                        wrap=True,
                        spacing=12,
                        vertical_alignment=ft.CrossAxisAlignment.CENTER,
                    ),
                    ft.Row(extra, wrap=True, spacing=8) if extra else ft.Container(),
                ],
                spacing=4,
            ),
            padding=8,
            border=ft.Border.only(bottom=ft.BorderSide(1, ft.Colors.GREY_200)),
        ),
    )


__all__ = ["FieldKey", "LineFields", "line_row"]
