"""Customer 360's credit and sales panels (client/ui/customer_view.py)."""

import flet as ft

from client.i18n import Translator
from client.services.customer360 import CategorySales, Customer360
from client.ui.frame import section_title
from client.ui.widgets import GREEN, field_row, tagged


def credit_panel(t: Translator, data: Customer360) -> ft.Control:
    """The credit position: limit, available, balance, overdue by age, disputes, blocks."""
    credit = data.detail.credit
    rows: list[ft.Control] = [section_title(t("credit.title"))]
    if credit is None:
        return ft.Column([*rows, ft.Text(t("credit.none"))])
    money = lambda amount: t.money(amount, credit.currency)  # noqa: E731
    available = credit.credit_limit - credit.open_balance - credit.open_orders
    rows += [
        field_row(t("credit.limit"), money(credit.credit_limit)),
        field_row(t("credit.available"), money(available), "credit-available"),
        field_row(t("credit.balance"), money(credit.open_balance)),
        field_row(t("credit.open_orders"), money(credit.open_orders)),
        field_row(t("credit.overdue"), money(credit.overdue_amount)),
    ]
    for bucket in data.overdue_by_age:
        label = (
            t("credit.age_range", low=bucket.low, high=bucket.high)
            if bucket.high
            else t("credit.age_over", low=bucket.low - 1)
        )
        rows.append(field_row("   " + label, money(bucket.amount)))
    if data.detail.overdue.not_itemised:  # the ERP counts more than the invoices on the tablet
        rows.append(field_row("   " + t("credit.not_itemised"), money(data.detail.overdue.not_itemised)))
    rows.append(
        field_row(
            t("credit.disputes"),
            t("credit.disputes_value", count=credit.open_disputes, amount=money(credit.disputed_amount)),
        )
    )
    if credit.prepayment_required:
        rows.append(field_row(t("credit.prepayment"), t("common.yes")))
    if credit.blocked:
        rows.append(
            tagged(
                "block-reason",
                ft.Container(
                    ft.Text(t("credit.blocked", reason=credit.block_reason or "—"), color=ft.Colors.RED_900),
                    bgcolor=ft.Colors.RED_50,
                    padding=8,
                    border_radius=6,
                ),
            )
        )
    return ft.Column(rows, spacing=4)


def sales_panel(t: Translator, data: Customer360) -> ft.Control:
    """What the customer bought by category since `data.sales_since`, one bar each."""
    currency = data.detail.customer.currency
    bars = [_bar(t, c, currency) for c in data.sales_by_category]
    return ft.Column([section_title(t("sales.title", since=t.date(data.sales_since))), *bars], spacing=4)


def _bar(t: Translator, sales: CategorySales, currency: str) -> ft.Control:
    # Bars drawn with Containers (Flet 1.0 has no chart without an extra package); flex
    # factors make them fit the panel in landscape and portrait alike.
    filled = max(1, round(float(sales.share) * 100)) if sales.amount > 0 else 1
    colour = GREEN if sales.amount > 0 else ft.Colors.GREY_300
    amount = t.money(sales.amount, currency) if sales.amount > 0 else t("sales.not_bought")
    return tagged(
        f"sales-{sales.code}",
        ft.Row(
            [
                ft.Text(sales.name, width=150, size=13, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
                ft.Row(
                    [
                        ft.Container(height=16, bgcolor=colour, border_radius=3, expand=filled),
                        ft.Container(height=16, expand=max(1, 100 - filled)),
                    ],
                    spacing=0,
                    expand=True,
                ),
                ft.Text(
                    amount,
                    size=12,
                    width=96,
                    text_align=ft.TextAlign.RIGHT,
                    color=ft.Colors.GREY_800 if sales.amount > 0 else ft.Colors.ORANGE_900,
                ),
            ],
            spacing=8,
        ),
    )


__all__ = ["credit_panel", "sales_panel"]
