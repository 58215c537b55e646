"""The quote screen's read-only parts: the totals and approvals under the lines, and a
saved version's panel. Built from what the quoting services return; no rule here."""

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

import flet as ft

from client.i18n import Translator
from client.i18n.messages import describe_stored_promise
from client.services.competitor_prices import price_gaps
from client.services.order_progress import OrderEvent
from client.services.products import ProductHit
from client.services.quote_pricing import PricedQuote
from client.services.quote_reading import QuoteTrail
from client.ui.frame import section_title
from client.ui.lost_sales_panel import lost_for_stock_panel
from client.ui.quote_line_delivery import saved_delivery_words
from client.ui.quote_links_panel import gap_words
from client.ui.widgets import GREEN, TOUCH, big_button, card, tagged
from client.ui.wording import describe, describe_rule
from shared.models.field import Quote, QuoteLine

Handler = Callable[..., Awaitable[Any]]

PROMISE_COLOURS = {
    "now_home": (ft.Colors.GREEN_50, ft.Colors.GREEN_900),
    "now_other": (ft.Colors.LIGHT_GREEN_50, ft.Colors.GREEN_900),
    "partial": (ft.Colors.AMBER_100, ft.Colors.BROWN_800),
    "incoming": (ft.Colors.AMBER_100, ft.Colors.BROWN_800),
    "substitute": (ft.Colors.ORANGE_100, ft.Colors.ORANGE_900),
    "none": (ft.Colors.RED_100, ft.Colors.RED_900),
}
CREDIT_COLOURS = {
    "ok": (ft.Colors.GREEN_50, ft.Colors.GREEN_900),
    "warning": (ft.Colors.AMBER_100, ft.Colors.BROWN_800),
    "blocked": (ft.Colors.RED_100, ft.Colors.RED_900),
}


def summary_rows(t: Translator, priced: PricedQuote) -> list[ft.Control]:
    """The totals, the approval rules that fire and the problems, under the lines."""
    totals, currency = priced.totals, priced.draft.currency
    rows: list[ft.Control] = [
        ft.Row(
            [ft.Text(t("quote.net")), ft.Text(t.money(totals.net, currency))],
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
        ),
        *[
            ft.Row(
                [
                    ft.Text(t("quote.tax_at", rate=t.percent(g.rate_percent), base=t.money(g.base, currency))),
                    ft.Text(t.money(g.tax, currency)),
                ],
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            )
            for g in totals.taxes
        ],
        ft.Row(
            [
                ft.Text(t("quote.gross"), weight=ft.FontWeight.BOLD),
                tagged("quote-gross", ft.Text(t.money(totals.gross, currency), weight=ft.FontWeight.BOLD)),
            ],
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
        ),
        ft.Text(
            t(
                "quote.total_margin",
                margin=t.money(totals.margin, currency),
                percent=t.margin(totals.margin_percent or Decimal(0)),
            )
        ),
    ]
    if priced.fired_rules:
        rows.append(
            tagged(
                "quote-approval",
                ft.Container(
                    ft.Column(
                        [
                            ft.Text(t("quote.needs_approval"), weight=ft.FontWeight.BOLD, color=ft.Colors.ORANGE_900),
                            *[
                                ft.Text(f"• {describe_rule(t, rule)}", color=ft.Colors.ORANGE_900)
                                for rule in priced.fired_rules
                            ],
                        ]
                    ),
                    bgcolor=ft.Colors.ORANGE_50,
                    padding=8,
                    border_radius=ft.BorderRadius.all(8),
                ),
            )
        )
    rows += [
        ft.Text(f"⚠ {describe(t, problem.key, problem.params, problem.text)}", color=ft.Colors.RED_700)
        for problem in priced.problems
    ]
    return rows


def product_hits(
    t: Translator, hits: list[ProductHit], searched: bool, on_add: Callable[[str], Handler]
) -> list[ft.Control]:
    """The products a search found, each with its stock and a tap to add it; a sentence
    when a search found none."""
    if not hits:
        return [ft.Text(t("quote.no_products"), color=ft.Colors.GREY_700)] if searched else []
    return [
        tagged(  # kept: the hits are drawn again at every key typed, and a tap on one just then holds
            f"hit-{hit.sku}",
            ft.ListTile(
                title=ft.Text(f"{hit.sku} · {hit.name}"),
                subtitle=ft.Text(
                    t(
                        "quote.hit_stock",
                        home=t.number(hit.sellable_home),
                        total=t.number(hit.sellable_total),
                        unit=t.unit(hit.unit),
                    )
                ),
                trailing=ft.Icon(ft.Icons.ADD_CIRCLE, color=GREEN),
                min_height=TOUCH,
                on_click=on_add(hit.sku),
            ),
            kept=True,
        )
        for hit in hits
    ]


def saved_actions(t: Translator, allowed: Collection[str], handlers: Mapping[str, Handler]) -> list[ft.Control]:
    """The buttons of the actions `allowed` on a saved version, in the order shown, each
    calling its handler. (The labels are written as t("...") calls: that is how
    `make translations` finds them.)"""
    buttons = (  # (action, label, icon, tag, filled)
        ("preview", t("quote.preview"), ft.Icons.PICTURE_AS_PDF, "quote-preview", False),
        ("request_approval", t("quote.request_approval"), ft.Icons.GAVEL, "quote-request", True),
        ("send", t("quote.send"), ft.Icons.SEND, "quote-send", True),
        ("accept", t("quote.mark_accepted"), ft.Icons.THUMB_UP, "quote-accepted", False),
        ("lose", t("quote.mark_lost"), ft.Icons.THUMB_DOWN, "quote-lost", False),
        ("withdraw", t("quote.withdraw"), ft.Icons.UNDO, "quote-withdraw", False),
        ("edit", t("quote.edit"), ft.Icons.EDIT, "quote-edit", False),
        ("new_version", t("quote.new_version"), ft.Icons.EDIT, "quote-new-version", False),
    )
    return [
        big_button(label, icon, handlers[action], tag, filled=filled)
        for action, label, icon, tag, filled in buttons
        if action in allowed
    ]


def lost_words(
    t: Translator, reason: str, competitor: str = "", price: Decimal | None = None, currency: str = ""
) -> str:
    """Why a quote was lost, and to whom at what price when the seller heard it."""
    said = t.label_of("LostReason", reason)
    if competitor and price is not None and currency:
        return t("timeline.lost_to_at", reason=said, competitor=competitor, price=t.money(price, currency))
    if competitor:
        return t("timeline.lost_to", reason=said, competitor=competitor)
    return t("timeline.lost_because", reason=said)


def _count(quantity: Decimal) -> int | Decimal:
    # A whole quantity picks its plural form (1 unit, 12 units); a fraction takes 'other'.
    return int(quantity) if quantity == quantity.to_integral_value() else quantity


def order_step_words(
    t: Translator, step: str, erp_order: str = "", quantity: Decimal | None = None, reason: str = ""
) -> str:
    """One ERP step of an order on the customer's timeline ("Confirmed (ERP 4500123)",
    "Dispatched 12 units", "Rejected: no stock")."""
    if step == "confirmed":
        return t("timeline.step.confirmed_erp", number=erp_order) if erp_order else t("timeline.step.confirmed")
    if step == "rejected":
        return t("timeline.step.rejected", reason=reason)
    if step == "reserved":
        words = t("timeline.step.reserved")
    elif step == "dispatched":
        if quantity is not None:
            return t.plural("timeline.step.dispatched_units", _count(quantity))
        words = t("timeline.step.dispatched")
    else:
        words = t("timeline.step.delivered")
    if quantity is not None:
        return f"{words} · {t.plural('timeline.step.units', _count(quantity))}"
    return words


def order_trail_words(t: Translator, events: Sequence[OrderEvent]) -> str:
    """What became of a quote's order, in one line: "Ordered · Confirmed 12 Jan · Dispatched
    14 Jan · Invoiced F-123 · Paid"."""
    words = []
    for event in events:
        day = t.date(event.day)
        if event.kind == "ordered":
            words.append(t("quote.order.ordered"))
        elif event.kind == "confirmed":
            words.append(t("quote.order.confirmed", date=day))
        elif event.kind == "rejected":
            words.append(t("quote.order.rejected", date=day, reason=event.reason))
        elif event.kind == "reserved":
            words.append(t("quote.order.reserved", date=day))
        elif event.kind == "dispatched":
            words.append(t("quote.order.dispatched", date=day))
        elif event.kind == "delivered":
            words.append(t("quote.order.delivered", date=day))
        elif event.kind == "invoiced":
            words.append(t("quote.order.invoiced", invoice=event.invoice))
        elif event.kind == "paid":
            words.append(t("quote.order.paid"))
    return " · ".join(words)


def answer_lines(t: Translator, quote: Quote, trail: QuoteTrail | None) -> list[str]:
    """The manager's decision and note, what the customer answered (PO number and wanted
    day; or why it was lost), and whether a later version replaced this one."""
    lines = []
    if quote.status == "accepted" and quote.customer_po:
        lines.append(t("quote.answer_po", po=quote.customer_po))
    if quote.requested_delivery:  # asked while quoting, or with the acceptance
        lines.append(t("quote.answer_wanted", date=t.date(quote.requested_delivery)))
    if trail is not None and trail.order_events:
        lines.append(order_trail_words(t, trail.order_events))
    for decision in trail.decisions if trail is not None else ():
        said = t.label_of("QuoteStatus", decision.decision)  # said of the quote: «aprobado» in Spanish
        names = trail.names if trail is not None else {}
        who = names.get(decision.decided_by, decision.decided_by)
        by = (
            t("quote.decided_for", by=who, delegator=names.get(decision.on_behalf_of, decision.on_behalf_of))
            if decision.on_behalf_of
            else who
        )
        sentence = (
            t("quote.decision_note", decision=said, by=by, note=decision.comment)
            if decision.comment
            else t("quote.decision", decision=said, by=by)
        )
        lines.append(sentence[:1].upper() + sentence[1:])  # the status's word opens it: "Rejected by …"
    if quote.status == "lost" and quote.lost_reason:
        said = lost_words(t, quote.lost_reason, quote.competitor, quote.competitor_price, quote.currency)
        lines.append(f"{said} · {quote.lost_note}" if quote.lost_note else said)
        lines += [gap_words(t, gap, with_competitor=False) for gap in price_gaps(quote)]
    if trail is not None and trail.latest_version > quote.version:
        lines.append(t("quote.replaced_by", version=trail.latest_version))
    if trail is not None and trail.customer_moved:
        lines.append(t("quote.customer_moved", customer=quote.customer_code))
    if quote.customer_note:
        lines.append(t("quote.shown_customer_note", note=quote.customer_note))
    if quote.internal_note:
        lines.append(t("quote.shown_internal_note", note=quote.internal_note))
    if quote.conditions:
        lines.append(t("quote.shown_conditions", note=quote.conditions))
    return lines


def saved_line(t: Translator, quote: Quote, line: QuoteLine) -> ft.Control:
    """One line of a saved version: code and description, then quantity and price, the
    availability promise and the delivery days, wrapping on a narrow screen."""
    promised, wanted, is_late = saved_delivery_words(t, quote, line)
    details: list[ft.Control] = [
        ft.Text(
            f"{t.number(line.quantity)} × {t.money(line.unit_price, quote.currency)}"
            + (f" −{t.percent(line.discount_percent)}" if line.discount_percent else "")
        ),
        ft.Text(describe_stored_promise(t, line.promise_words, line.promise), size=12, color=ft.Colors.GREY_700),
        tagged(
            f"saved-delivery-{line.line_no}",
            ft.Text(promised, size=13, weight=ft.FontWeight.W_500, color=ft.Colors.BLUE_GREY_800),
        ),
    ]
    if wanted:
        details.append(
            tagged(
                f"saved-wanted-{line.line_no}",
                ft.Text(f"⚠ {wanted}" if is_late else wanted, size=13, color=ft.Colors.RED_700 if is_late else None),
            )
        )
    return ft.Column(
        [
            ft.Row(
                [
                    ft.Text(f"{line.line_no}. {line.sku}", weight=ft.FontWeight.W_600),
                    ft.Text(line.description, expand=True, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
                ],
                spacing=10,
            ),
            ft.Row(details, wrap=True, spacing=12, run_spacing=2),
        ],
        spacing=2,
    )


def customer_words(t: Translator, quote: Quote, trail: QuoteTrail | None) -> str:
    """Whom the quote is for: her name and code, or the code alone once she left the portfolio."""
    name = trail.customer_name if trail is not None else ""
    if name:
        return t("quote.saved_customer", name=name, code=quote.customer_code)
    return t("quote.saved_customer_code", code=quote.customer_code)


def margin_words(t: Translator, quote: Quote, trail: QuoteTrail) -> str:
    """The version's margin in money and, when the net is not zero, as a share of it."""
    money = t.money(trail.margin, quote.currency)
    if trail.margin_percent is None:
        return t("quote.saved_margin_money", margin=money)
    percent = t.margin(trail.margin_percent)
    return t("quote.saved_margin", margin=money, percent=percent)


def saved_quote_panel(
    t: Translator,
    quote: Quote,
    trail: QuoteTrail | None,
    actions: list[ft.Control],
    links: Sequence[ft.Control] = (),
) -> ft.Control:
    """A saved version: its status (as of today), where it came from (`links`), the
    customer's answer, deliveries and lines, and the actions it allows."""
    status = t(f"quote.status.{trail.shown_status if trail is not None else quote.status}")
    held = t("quote.held_send") if trail is not None and trail.held_send is not None else ""
    answers = answer_lines(t, quote, trail)
    deliveries = [
        ft.Text(
            t(f"quote.delivery.{d.status}", to=", ".join(d.recipients), reason=d.failure_reason),
            color=ft.Colors.RED_700 if d.status == "failed" else None,
        )
        for d in (trail.deliveries if trail else [])
    ]
    return ft.Column(
        [
            card(
                ft.Column(
                    [
                        section_title(t("quote.heading", number=quote.number, version=quote.version), "quote-number"),
                        tagged(
                            "quote-status",
                            ft.Text(status + (f" · {held}" if held else ""), weight=ft.FontWeight.BOLD, color=GREEN),
                        ),
                        tagged("quote-customer", ft.Text(customer_words(t, quote, trail))),
                        *links,
                        ft.Text(
                            t.plural(
                                "quote.saved_total",
                                len(quote.lines),
                                gross=t.money(quote.gross_total, quote.currency),
                                date=t.date(quote.valid_until),
                            )
                        ),
                        *([tagged("quote-margin", ft.Text(margin_words(t, quote, trail)))] if trail else []),
                        *(
                            [tagged("quote-answer", ft.Column([ft.Text(line) for line in answers], spacing=2))]
                            if answers
                            else []
                        ),
                        *deliveries,
                    ],
                    spacing=6,
                ),
                "quote-saved",
            ),
            *(
                [card(lost_for_stock_panel(t, trail.lost_sales), "quote-lost-for-stock")]
                if trail and trail.lost_sales
                else []
            ),
            card(
                ft.Column(
                    [section_title(t("quote.lines"))] + [saved_line(t, quote, line) for line in quote.lines],
                    spacing=6,
                ),
                "quote-saved-lines",
            ),
            ft.Row(actions, wrap=True, spacing=8, run_spacing=8),
        ],
        spacing=10,
    )


__all__ = ["CREDIT_COLOURS", "PROMISE_COLOURS", "saved_line", "saved_quote_panel", "summary_rows"]
