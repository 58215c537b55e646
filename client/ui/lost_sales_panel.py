"""Lost sales due to stock, as the seller reads them on a customer's page and on a quote:
how many lines and what they were worth (per currency), then each line."""

import flet as ft

from client.i18n import Translator
from client.services.customer360 import created_at
from client.ui.frame import section_title
from shared.models.field import LostSale
from shared.rules.lost_sales import lost_totals, lost_value

SHOWN = 5
"""Lines listed under the totals (the totals count them all)."""


def lost_for_stock_panel(t: Translator, lost_sales: tuple[LostSale, ...] | list[LostSale]) -> ft.Control:
    """The title, the totals per currency and the latest lines; a sentence when there are none."""
    rows: list[ft.Control] = [section_title(t("lost_sales.title"))]
    if not lost_sales:
        rows.append(ft.Text(t("lost_sales.none"), color=ft.Colors.GREY_700))
        return ft.Column(rows, spacing=4)
    for total in lost_totals(lost_sales):
        rows.append(
            ft.Text(
                t.plural("lost_sales.total", total.lines, value=t.money(total.value, total.currency)),
                weight=ft.FontWeight.W_600,
                color=ft.Colors.RED_900,
            )
        )
    for lost in lost_sales[:SHOWN]:
        when = created_at(lost.id)
        rows.append(
            ft.Text(
                t(
                    "lost_sales.line",
                    sku=lost.sku,
                    quantity=t.number(lost.quantity),
                    sellable=t.number(lost.sellable),
                    value=t.money(lost_value(lost), lost.currency),
                    date=t.date(when.date()) if when else "—",
                ),
                size=13,
            )
        )
    return ft.Column(rows, spacing=4)


__all__ = ["lost_for_stock_panel"]
