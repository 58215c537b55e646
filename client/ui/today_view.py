"""Today: what waits for a manager's decision, then the user's own visits planned or open,
alerts that matter now, dormant customers worth a call."""

from datetime import date

import flet as ft

from client.services.approvals import WaitingSummary, waiting_summary
from client.services.today import Alert, AlertKind, DormantCustomer, Today, VisitItem, today_agenda
from client.ui.approvals_view import age_words
from client.ui.context import AppContext
from client.ui.frame import section_title
from client.ui.widgets import GREEN, TOUCH, card, nothing, tagged
from client.ui.wording import describe_refusal

ALERT_ICONS = {
    AlertKind.BLOCKED: (ft.Icons.BLOCK, ft.Colors.RED_700),
    AlertKind.APPROVAL_DECIDED: (ft.Icons.GAVEL, GREEN),
    AlertKind.QUOTE_EXPIRING: (ft.Icons.HOURGLASS_BOTTOM, ft.Colors.ORANGE_800),
    AlertKind.EMAIL_FAILED: (ft.Icons.MAIL_LOCK, ft.Colors.RED_700),
    AlertKind.SYNC_REJECTED: (ft.Icons.SYNC_PROBLEM, ft.Colors.RED_700),
    AlertKind.COMMENT: (ft.Icons.FORUM, ft.Colors.BLUE_800),
}


class TodayView:
    """The first screen after sign-in."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.visits = ft.Column(spacing=4)
        self.alerts = ft.Column(spacing=4)
        self.dormant = ft.Column(spacing=4)
        self.for_you = ft.Column(spacing=4)
        """A manager's: what waits for her decision."""
        self._shown: tuple[Today, WaitingSummary | None] | None = None
        """What the lists show, so a round that changed nothing does not draw them again."""

    def build(self) -> ft.Control:
        """The screen's content: three panels that wrap under each other in portrait."""
        t = self.ctx.t
        waiting = (
            [card(ft.Column([section_title(t("today.for_you")), self.for_you]), "today-for-you", col={"xs": 12})]
            if self.ctx.session.is_manager
            else []
        )
        return ft.Column(
            [
                section_title(t("today.title"), "today-title"),
                ft.ResponsiveRow(
                    [
                        *waiting,
                        card(
                            ft.Column([section_title(t("today.visits")), self.visits]),
                            "today-visits",
                            col={"xs": 12, "md": 6},
                        ),
                        card(
                            ft.Column([section_title(t("today.alerts")), self.alerts]),
                            "today-alerts",
                            col={"xs": 12, "md": 6},
                        ),
                        card(
                            ft.Column([section_title(t("today.dormant")), self.dormant]),
                            "today-dormant",
                            col={"xs": 12},
                        ),
                    ],
                ),
            ],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
        )

    async def load(self) -> None:
        """Read the day from the device and render it."""
        self._render(*await self._read())

    async def after_round(self) -> None:
        """A sync round ended: it may have brought a comment, a decision or a refusal. Drawn
        again only when the day changed (a redraw of the same lists sends nothing new); its
        visits and dormant customers are keyed, so a tap on one as it is drawn again holds."""
        day = await self._read()
        if day != self._shown:
            self._render(*day)

    async def _read(self) -> tuple[Today, WaitingSummary | None]:
        today: Today = await self.ctx.call(today_agenda, self.ctx.session)
        waiting = await self.ctx.call(waiting_summary, self.ctx.session) if self.ctx.session.is_manager else None
        return today, waiting

    def _render(self, today: Today, waiting: WaitingSummary | None) -> None:
        self._shown = (today, waiting)
        t = self.ctx.t
        self.visits.controls = [self._visit(v) for v in today.visits] or [nothing("visits-none", t("today.no_visits"))]
        self.alerts.controls = [self._alert(a) for a in today.alerts] or [nothing("alerts-none", t("today.no_alerts"))]
        self.dormant.controls = [self._dormant(d) for d in today.dormant] or self._no_dormant()
        if waiting is not None:
            self.for_you.controls = self._waiting(waiting)
        self.ctx.refresh()

    def _waiting(self, summary: WaitingSummary) -> list[ft.Control]:
        t = self.ctx.t
        oldest = t("today.oldest_waiting", age=age_words(t, summary.oldest_age)) if summary.oldest_age else ""
        rows: list[ft.Control] = [
            tagged(
                "today-approvals",
                ft.ListTile(
                    leading=ft.Icon(ft.Icons.GAVEL, color=GREEN if summary.count == 0 else ft.Colors.ORANGE_800),
                    title=ft.Text(
                        t.plural("today.approvals_waiting", summary.count) if summary.count else t("today.no_approvals")
                    ),
                    subtitle=ft.Text(oldest) if oldest else None,
                    on_click=self._open("/approvals"),
                    min_height=TOUCH,
                ),
            )
        ]
        if summary.refused:
            rows.append(
                tagged(
                    "today-approvals-changed",
                    ft.ListTile(
                        leading=ft.Icon(ft.Icons.SYNC_PROBLEM, color=ft.Colors.RED_700),
                        title=ft.Text(t.plural("today.decisions_changed", summary.refused)),
                        on_click=self._open("/approvals"),
                        min_height=TOUCH,
                    ),
                )
            )
        return rows

    def _no_dormant(self) -> list[ft.Control]:
        t = self.ctx.t
        if not self.ctx.session.is_manager:
            return [ft.Text(t("today.no_dormant"))]
        # Her day lists her own customers only: her team's lapsed customers are a figure of
        # theirs, one tap away (a manager read "No dormant customers" beside 210 in Figures).
        return [
            ft.Text(t("today.no_dormant_own")),
            tagged(
                "today-team-dormant",
                ft.TextButton(
                    t("today.team_dormant"), icon=ft.Icons.INSIGHTS, height=TOUCH, on_click=self._open("/dashboard")
                ),
            ),
        ]

    def _open(self, route: str):
        async def go(_event=None) -> None:
            await self.ctx.go(route)

        return go

    def _visit(self, visit: VisitItem) -> ft.Control:
        t = self.ctx.t
        when = (
            t("today.checked_in_at", time=t.time(visit.checked_in_at))
            if visit.is_open
            else t("today.planned_for", when=t.datetime(visit.planned_at))
        )
        return tagged(
            f"today-visit-{visit.customer_code}",
            ft.ListTile(
                leading=ft.Icon(ft.Icons.PLACE if visit.is_open else ft.Icons.EVENT, color=GREEN),
                title=ft.Text(visit.customer_name),
                subtitle=ft.Text(" · ".join(p for p in (when, visit.purpose) if p)),
                on_click=self._open(f"/visit/{visit.id}"),
                min_height=TOUCH,
            ),
            key=str(visit.id),  # kept across redraws; a customer may have two visits in a day
        )

    def _alert(self, alert: Alert) -> ft.Control:
        t = self.ctx.t
        icon, colour = ALERT_ICONS[alert.kind]
        detail = alert.detail
        if alert.kind == AlertKind.APPROVAL_DECIDED:
            detail = t.label_of("QuoteStatus", alert.detail)  # said of the quote
        elif alert.kind == AlertKind.QUOTE_EXPIRING:
            detail = t.date(date.fromisoformat(alert.detail))
        elif alert.kind == AlertKind.SYNC_REJECTED:
            detail = describe_refusal(t, alert.code, alert.key, alert.params, alert.detail)
        text = t(
            f"today.alert.{alert.kind.value}",
            customer=alert.customer_name,
            detail=detail,
            reference=alert.reference or "",
            author=alert.params.get("author", ""),
        )
        route = f"/customer/{alert.customer_code}" if alert.customer_code else "/outbox"
        if alert.kind == AlertKind.COMMENT:  # to the thread: her own visit, or a team member's
            own = alert.params.get("visit_seller") == self.ctx.session.login
            route = f"/visit/{alert.reference}" if own else f"/team-visit/{alert.reference}"
        return tagged(
            f"alert-{alert.kind.value}",
            ft.ListTile(
                leading=ft.Icon(icon, color=colour),
                title=ft.Text(text),
                on_click=self._open(route),
                min_height=TOUCH,
            ),
        )

    def _dormant(self, customer: DormantCustomer) -> ft.Control:
        t = self.ctx.t
        subtitle = t(
            "today.dormant_since",
            date=t.date(customer.last_invoice_date),
            amount=t.money(customer.lifetime_sales, customer.currency),
        )
        if customer.phone:  # the number to call, where the call is decided
            subtitle += f" · {customer.phone}"
        return tagged(
            f"dormant-{customer.code}",
            ft.ListTile(
                leading=ft.Icon(ft.Icons.PHONE_CALLBACK, color=ft.Colors.BLUE_GREY_700),
                title=ft.Text(f"{customer.name} · {customer.city}" if customer.city else customer.name),
                subtitle=ft.Text(subtitle),
                on_click=self._open(f"/customer/{customer.code}"),
                min_height=TOUCH,
            ),
            kept=True,
        )
