"""Customer 360: credit, sales by category, open business, contacts, the commercial timeline."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import flet as ft

from client.services.account_intelligence import account_suggestions
from client.services.customer360 import Customer360, TimelineEntry, customer_360
from client.services.visits import check_in, plan_visit
from client.ui.context import AppContext, explain
from client.ui.customer_panels import credit_panel, sales_panel
from client.ui.draft_takeover_dialog import open_colleague_drafts
from client.ui.events import on_event
from client.ui.frame import section_title
from client.ui.lost_sales_panel import lost_for_stock_panel
from client.ui.opportunity_dialog import open_opportunity_editor
from client.ui.quote_links_panel import lost_prices_panel
from client.ui.quote_panels import lost_words, order_step_words
from client.ui.suggestions_panel import suggestions_panel
from client.ui.widgets import GREEN, TOUCH, big_button, card, credit_chip, dormant_chip, tagged
from shared.errors import NotFound
from shared.models import OpportunityStage

TIMELINE_ICONS = {
    "visit": ft.Icons.PLACE,
    "observation": ft.Icons.VISIBILITY,
    "opportunity": ft.Icons.TRENDING_UP,
    "claim": ft.Icons.REPORT_PROBLEM,
    "invoice": ft.Icons.RECEIPT_LONG,
    "payment": ft.Icons.PAYMENTS,
    "quote": ft.Icons.REQUEST_QUOTE,
    "approval": ft.Icons.GAVEL,
    "email": ft.Icons.MAIL,
    "order": ft.Icons.LOCAL_SHIPPING,
    "order_status": ft.Icons.INVENTORY,
}
STATUS_KINDS = {
    "visit": "VisitOutcome",
    "opportunity": "OpportunityStage",
    "claim": "ClaimKind",
    "quote": "QuoteStatus",
    "approval": "ApprovalDecisionKind",
    "email": "DeliveryStatus",
}


TIMELINE_FIRST = 12
"""Timeline entries shown when Customer 360 opens."""


class CustomerView:
    """Everything about one customer, read from the device."""

    def __init__(self, ctx: AppContext, code: str) -> None:
        self.ctx = ctx
        self.code = code
        self.body = ft.Column(expand=True, scroll=ft.ScrollMode.AUTO, spacing=10)
        self._shown: Customer360 | None = None
        self._whole_timeline = False
        """The seller asked for the whole timeline."""

    def build(self) -> ft.Control:
        """The screen's content, filled by `load`."""
        self.body.controls = [ft.ProgressRing()]
        return tagged("customer-360", self.body, expand=True)

    async def load(self) -> None:
        """Read the customer's picture and render it."""
        try:
            data: Customer360 = await self.ctx.call(customer_360, self.ctx.session, self.code)
        except Exception as exc:
            self.body.controls = [ft.Text(explain(self.ctx.t, exc), color=ft.Colors.RED_700)]
            self.ctx.refresh()
            return
        # The suggestions come after the rest: the first opening after a pull aggregates the
        # segment's buying (about 0.7 s with 5,000 customers, `make bench-quote`). The page is
        # then drawn again, but its header is the same control: Flet leaves it as it is, so a
        # tap on "New quote" just then is not lost with a button being replaced. (The panels
        # below are made anew: Flutter's web engine did not give words to a panel kept and
        # refilled, nor to one replaced alone; see the history of this file.)
        self._shown = data
        header = self._header(data)
        self._render(data, header, ft.ProgressRing(width=24, height=24))
        try:
            suggestions = await self.ctx.call(account_suggestions, self.ctx.session, self.code)
        except Exception as exc:  # the rest of the page stands; the panel says what went wrong
            self._render(data, header, ft.Text(explain(self.ctx.t, exc), color=ft.Colors.RED_700))
            return
        segment = data.detail.customer.segment
        self._render(data, header, suggestions_panel(self.ctx.t, segment, suggestions, self._quote_with))

    async def after_round(self) -> None:
        """A sync round ended: it may have brought an invoice, a payment, a credit block, an
        order or a manager's decision for this customer, or moved the customer to a colleague.
        Drawn again only when the picture changed (a redraw folds the timeline and replaces
        the buttons under the seller's finger)."""
        try:
            data: Customer360 | None = await self.ctx.call(customer_360, self.ctx.session, self.code)
        except NotFound:  # moved to a colleague: `load` says so on the page
            data = None
        if data is None or data != self._shown:
            await self.load()

    def _render(self, data: Customer360, header: ft.Control, suggested: ft.Control) -> None:
        self.body.controls = [
            header,
            ft.ResponsiveRow(
                [
                    card(credit_panel(self.ctx.t, data), "credit-panel", col={"xs": 12, "md": 5}),
                    card(sales_panel(self.ctx.t, data), "sales-chart", col={"xs": 12, "md": 7}),
                    card(suggested, "suggestions", col={"xs": 12}),
                    card(self._open_business(data), "open-business", col={"xs": 12, "md": 6}),
                    card(self._contacts(data), "contacts", col={"xs": 12, "md": 6}),
                    card(lost_for_stock_panel(self.ctx.t, data.lost_for_stock), "lost-for-stock", col={"xs": 12}),
                    *(
                        [card(lost_prices_panel(self.ctx.t, data.lost_to_competitors), "lost-prices", col={"xs": 12})]
                        if data.lost_to_competitors
                        else []
                    ),
                    card(
                        self._timeline(data.timeline, len(data.timeline) if self._whole_timeline else TIMELINE_FIRST),
                        "timeline",
                        col={"xs": 12},
                    ),
                ]
            ),
        ]
        self.ctx.refresh()

    def _header(self, data: Customer360) -> ft.Control:
        t, customer = self.ctx.t, data.detail.customer
        chips = [credit_chip(t, c) for c in data.detail.credit_chips[:2]]
        if data.detail.is_dormant:
            chips.append(dormant_chip(t))
        place = " · ".join(p for p in (customer.code, customer.tax_id, customer.city, t.segment(customer.segment)) if p)
        return ft.Column(
            [
                ft.Row(
                    [
                        tagged("customer-name", ft.Text(customer.legal_name, size=22, weight=ft.FontWeight.W_600)),
                        *chips,
                    ],
                    wrap=True,
                ),
                ft.Text(place, color=ft.Colors.GREY_700),
                ft.Row(
                    [
                        big_button(t("customer.check_in"), ft.Icons.PLACE, self._check_in, "check-in"),
                        big_button(
                            t("customer.plan_visit"), ft.Icons.EVENT, self._plan_visit, "plan-visit", filled=False
                        ),
                        big_button(
                            t("customer.new_quote"), ft.Icons.REQUEST_QUOTE, self._new_quote, "new-quote", filled=False
                        ),
                        big_button(
                            t("customer.new_observation"),
                            ft.Icons.VISIBILITY,
                            self._new_observation,
                            "new-observation",
                            filled=False,
                        ),
                        big_button(
                            t("customer.new_opportunity"),
                            ft.Icons.TRENDING_UP,
                            self._new_opportunity,
                            "new-opportunity",
                            filled=False,
                        ),
                    ],
                    wrap=True,
                    spacing=8,
                    run_spacing=8,
                ),
            ],
            spacing=6,
        )

    def _open_business(self, data: Customer360) -> ft.Control:
        t = self.ctx.t
        rows: list[ft.Control] = [section_title(t("customer.open_business"))]
        for o in data.open_opportunities:
            rows.append(
                tagged(
                    f"open-opportunity-{o.id}",
                    ft.ListTile(
                        leading=ft.Icon(ft.Icons.TRENDING_UP, color=GREEN),
                        title=ft.Text(o.title),
                        subtitle=ft.Text(f"{t.label(o.stage, OpportunityStage)} · {t.money(o.value, o.currency)}"),
                        min_height=TOUCH,
                    ),
                )
            )
        for q in data.open_quotes:
            rows.append(
                tagged(
                    f"open-quote-{q.number}",
                    ft.ListTile(
                        leading=ft.Icon(ft.Icons.REQUEST_QUOTE, color=GREEN),
                        title=ft.Text(f"{q.number} v{q.version}"),
                        subtitle=ft.Text(
                            f"{t.label_of('QuoteStatus', q.status)} · {t.money(q.gross_total, q.currency)} · "
                            f"{t('quote.valid_until', date=t.date(q.valid_until))}"
                        ),
                        min_height=TOUCH,
                        on_click=on_event(self._open_quote, q.id),
                    ),
                )
            )
        if len(rows) == 1:
            rows.append(ft.Text(t("customer.no_open_business")))
        # A customer moved to this seller may come with drafts its old seller left.
        rows.append(
            tagged(
                "colleague-drafts-open",
                ft.TextButton(
                    t("customer.colleague_drafts"), icon=ft.Icons.PERSON_SEARCH, height=TOUCH, on_click=self._drafts
                ),
            )
        )
        return ft.Column(rows, spacing=2)

    def _contacts(self, data: Customer360) -> ft.Control:
        t, customer = self.ctx.t, data.detail.customer
        people = [(customer.legal_name, t("contacts.main"), customer.phone, customer.email, "main")]
        people += [(c.name, c.role, c.phone, c.email, c.id) for c in data.detail.contacts]
        rows: list[ft.Control] = [section_title(t("contacts.title"))]
        for name, role, phone, email, key in people:
            actions: list[ft.Control] = []
            if phone:
                actions.append(
                    tagged(
                        f"call-{key}",
                        ft.IconButton(
                            ft.Icons.CALL,
                            tooltip=t("contacts.call", phone=phone),
                            on_click=self._launch(f"tel:{phone}"),
                            width=TOUCH,
                            height=TOUCH,
                        ),
                    )
                )
            if email:
                actions.append(
                    tagged(
                        f"mail-{key}",
                        ft.IconButton(
                            ft.Icons.MAIL,
                            tooltip=t("contacts.mail", email=email),
                            on_click=self._launch(f"mailto:{email}"),
                            width=TOUCH,
                            height=TOUCH,
                        ),
                    )
                )
            rows.append(
                ft.ListTile(
                    title=ft.Text(name),
                    subtitle=ft.Text(" · ".join(p for p in (role, phone, email) if p)),
                    trailing=ft.Row(actions, tight=True),
                    min_height=TOUCH,
                )
            )
        return ft.Column(rows, spacing=0)

    def _timeline(self, entries: tuple[TimelineEntry, ...], shown: int = TIMELINE_FIRST) -> ft.Column:
        t = self.ctx.t
        rows: list[ft.Control] = [section_title(t("timeline.title"))]
        for entry in entries[:shown]:
            parts = [t(f"timeline.{entry.kind}")]
            if entry.title:
                parts.append(entry.title)
            if entry.kind == "order_status" and entry.status:
                parts = [
                    t(f"timeline.{entry.kind}"),
                    order_step_words(t, entry.status, entry.title, entry.quantity, entry.detail),
                ]
                if entry.order:
                    parts.append(entry.order)
                entry = replace(entry, detail="")
            if entry.status and entry.kind in STATUS_KINDS:
                parts.append(t.label_of(STATUS_KINDS[entry.kind], entry.status))
            if entry.order is not None and entry.kind == "invoice":
                parts.append(
                    t("timeline.invoices_order", order=entry.order) if entry.order else t("timeline.invoices_an_order")
                )
            if entry.order is not None and entry.kind == "payment":
                parts.append(
                    t("timeline.collects_order", order=entry.order) if entry.order else t("timeline.collects_an_order")
                )
            if entry.amount is not None and entry.currency:
                parts.append(t.money(entry.amount, entry.currency))
            if entry.lost_reason:
                parts.append(
                    lost_words(t, entry.lost_reason, entry.competitor, entry.competitor_price, entry.currency or "")
                )
            rows.append(
                ft.Row(
                    [
                        ft.Icon(TIMELINE_ICONS.get(entry.kind, ft.Icons.CIRCLE), size=18, color=GREEN),
                        ft.Text(t.date(entry.at.date()), width=110, size=12, color=ft.Colors.GREY_700),
                        ft.Text(
                            " · ".join(parts) + (f" — {entry.detail}" if entry.detail else ""),
                            size=13,
                            expand=True,
                            max_lines=2,
                            overflow=ft.TextOverflow.ELLIPSIS,
                        ),
                    ],
                    spacing=8,
                )
            )
        if len(rows) == 1:
            rows.append(ft.Text(t("timeline.empty")))
        column = ft.Column(rows, spacing=4)
        if len(entries) > shown:
            # The latest events first; the rest only when asked (a long history costs a render).
            async def show_all(_event=None) -> None:
                self._whole_timeline = True  # and when a sync round draws the page again
                column.controls = self._timeline(entries, len(entries)).controls
                self.ctx.refresh()

            rows.append(
                tagged(
                    "timeline-more",
                    ft.TextButton(
                        t.plural("timeline.more", len(entries) - shown),
                        icon=ft.Icons.EXPAND_MORE,
                        height=TOUCH,
                        on_click=show_all,
                    ),
                )
            )
        return column

    def _launch(self, url: str):
        async def launch(_event=None) -> None:
            await ft.UrlLauncher().launch_url(url)

        return launch

    async def _check_in(self, _event=None) -> None:
        location = await self.ctx.location.current()  # if the tablet says within a moment; never a wait
        try:
            visit = await self.ctx.call(check_in, self.ctx.session, self.code, location=location)
        except Exception as exc:
            self.ctx.toast(explain(self.ctx.t, exc), error=True)
            return
        await self.ctx.go(f"/visit/{visit.id}")

    async def _open_quote(self, quote_id: str) -> None:
        await self.ctx.go(f"/quote/{quote_id}")

    async def _plan_visit(self, _event=None) -> None:
        t = self.ctx.t
        tomorrow = date.today() + timedelta(days=1)
        day = ft.TextField(
            label=t("plan.date"), value=t.day_entry(tomorrow), hint_text=t.day_entry(tomorrow), width=200
        )
        hour = ft.TextField(label=t("plan.time"), value="09:00", width=120)
        purpose = ft.TextField(label=t("visit.purpose"), width=340)

        async def keep(_event=None) -> None:
            try:
                when = datetime.combine(
                    t.parse_day(day.value or "", t("plan.date")), time.fromisoformat((hour.value or "").strip())
                )
            except ValueError:
                said = t("plan.invalid", date=day.value or "", time=hour.value or "", example=t.day_entry(tomorrow))
                self.ctx.toast(said, error=True)
                return
            # Typed in the tablet's local time; kept in UTC like every moment.
            moment = when.astimezone().astimezone(UTC)
            try:
                await self.ctx.call(plan_visit, self.ctx.session, self.code, moment, purpose.value or "")
            except Exception as exc:
                self.ctx.toast(explain(t, exc), error=True)
                return
            self.ctx.page.pop_dialog()
            self.ctx.toast(t("plan.saved", when=t.datetime(moment)))

        self.ctx.page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(t("customer.plan_visit")),
                content=ft.Column(
                    [ft.Row([tagged("plan-date", day), tagged("plan-time", hour)]), tagged("plan-purpose", purpose)],
                    tight=True,
                ),
                actions=[
                    ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: self.ctx.page.pop_dialog()),
                    tagged("plan-save", ft.FilledButton(t("common.save"), height=TOUCH, on_click=keep)),
                ],
            )
        )

    async def _drafts(self, _event=None) -> None:
        await open_colleague_drafts(self.ctx, self.code)

    async def _new_quote(self, _event=None) -> None:
        await self.ctx.open_quote_builder(self.code, None)

    async def _quote_with(self, sku: str) -> None:
        await self.ctx.open_quote_builder(self.code, None, sku=sku)

    async def _new_observation(self, _event=None) -> None:
        await self.ctx.go(f"/observation/{self.code}")

    async def _new_opportunity(self, _event=None) -> None:
        async def saved(_opportunity) -> None:
            await self.load()

        open_opportunity_editor(self.ctx, self.code, saved)
