"""One of the team's visits as the manager reads it: what the seller wrote, what she recorded
on it (competitor observations, claims), her opportunities and that day's quotes for the
customer, and the thread, where the manager comments (sent at the next sync)."""

from uuid import UUID

import flet as ft

from client.services.team_visits import TeamVisit, team_visit
from client.services.visit_comments import comment_on_visit, mark_thread_read
from client.ui.comment_thread import ThreadDraft, thread_panel
from client.ui.context import AppContext, explain
from client.ui.frame import section_title
from client.ui.location import location_words
from client.ui.widgets import GREEN, TOUCH, card, field_row, tagged
from shared.errors import DomainError


class TeamVisitView:
    def __init__(self, ctx: AppContext, visit_id: UUID) -> None:
        self.ctx, self.visit_id = ctx, visit_id
        self.body = ft.Column(spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self._shown: TeamVisit | None = None
        self._draft = ThreadDraft()

    def build(self) -> ft.Control:
        t = self.ctx.t
        back = ft.TextButton(t("feed.back"), icon=ft.Icons.ARROW_BACK, on_click=self._back, height=TOUCH)
        return ft.Column(
            [tagged("team-visit-back", back), self.body],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=8,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    async def load(self) -> None:
        t = self.ctx.t
        try:
            shown: TeamVisit = await self.ctx.call(team_visit, self.ctx.session, self.visit_id)
        except DomainError as exc:
            self.body.controls = [ft.Text(explain(t, exc), color=ft.Colors.RED_700)]
            self.ctx.refresh()
            return
        await self._render(shown)

    async def after_round(self) -> None:
        """A sync round ended: it may have brought the seller's reply, a colleague's comment
        or what the seller recorded since. Drawn again only when the visit changed; what the
        manager is typing in the comment box stays."""
        try:
            shown: TeamVisit = await self.ctx.call(team_visit, self.ctx.session, self.visit_id)
        except DomainError:  # no longer on the device: `load` says so on the page
            await self.load()
            return
        if shown != self._shown:
            await self._render(shown)

    async def _render(self, shown: TeamVisit) -> None:
        self._shown = shown
        self.body.controls = [
            card(self._header(shown), "team-visit-header"),
            card(self._recorded(shown), "team-visit-recorded"),
            card(self._thread(shown), "team-visit-thread"),
        ]
        self.ctx.refresh()
        if any(line.unread for line in shown.thread):
            await self.ctx.call(mark_thread_read, self.ctx.session, self.visit_id)

    def _header(self, shown: TeamVisit) -> ft.Control:
        t, visit = self.ctx.t, shown.visit
        if visit.checked_in_at is not None:
            end = t.time(visit.checked_out_at) if visit.checked_out_at else t("feed.still_open")
            when = t("visit.closed", start=t.datetime(visit.checked_in_at), end=end)
        else:
            when = t("visit.planned", when=t.datetime(visit.planned_at))
        rows: list[ft.Control] = [
            section_title(shown.customer_name, "team-visit-title"),
            field_row(t("feed.seller"), shown.seller_name, "team-visit-seller"),
            field_row(t("feed.when"), when),
            field_row(t("visit.outcome"), t.label_of("VisitOutcome", visit.outcome)),
        ]
        if visit.location is not None:
            rows.append(field_row(t("feed.where"), location_words(t, visit)))
        for label, value in ((t("visit.purpose"), visit.purpose), (t("visit.next_step"), visit.next_step)):
            if value:
                rows.append(field_row(label, value))
        rows.append(section_title(t("visit.notes")))
        rows.append(tagged("team-visit-notes", ft.Text(visit.notes or t("feed.no_notes"), size=14)))
        return ft.Column(rows, spacing=6)

    def _recorded(self, shown: TeamVisit) -> ft.Control:
        t = self.ctx.t
        rows: list[ft.Control] = [section_title(t("feed.recorded"))]
        for o in shown.observations:
            price = t.money(o.observed_price, o.currency) if o.observed_price is not None and o.currency else ""
            what = " · ".join(x for x in (o.competitor, o.sku or o.category_code or "", price, o.notes) if x)
            rows.append(self._line(ft.Icons.VISIBILITY, t("feed.observation"), what))
        for c in shown.claims:
            rows.append(
                self._line(
                    ft.Icons.REPORT_PROBLEM,
                    t.label_of("ClaimKind", c.kind),
                    f"{c.description} · {t.label_of('ClaimStatus', c.status)}",
                )
            )
        for p in shown.opportunities:
            value = t.money(p.value, p.currency)
            rows.append(
                self._line(ft.Icons.TRENDING_UP, p.title, f"{t.label_of('OpportunityStage', p.stage)} · {value}")
            )
        for q in shown.quotes:
            total = t.money(q.gross_total, q.currency)
            rows.append(
                self._line(
                    ft.Icons.REQUEST_QUOTE,
                    f"{q.number} · v{q.version}",
                    f"{t(f'quote.status.{q.status}')} · {total}",
                    route=f"/quote/{q.id}",
                )
            )
        if len(rows) == 1:
            rows.append(ft.Text(t("feed.nothing_recorded"), color=ft.Colors.GREY_700))
        return ft.Column(rows, spacing=2)

    def _line(self, icon: ft.IconData, title: str, detail: str, route: str | None = None) -> ft.Control:
        async def go(_event=None) -> None:
            if route:
                await self.ctx.go(route)

        return ft.ListTile(
            leading=ft.Icon(icon, color=GREEN),
            title=ft.Text(title),
            subtitle=ft.Text(detail),
            min_height=TOUCH,
            on_click=go if route else None,
        )

    def _thread(self, shown: TeamVisit) -> ft.Control:
        t = self.ctx.t

        async def write(text: str) -> bool:
            try:
                await self.ctx.call(comment_on_visit, self.ctx.session, self.visit_id, text)
            except DomainError as exc:
                self.ctx.toast(explain(t, exc), error=True)
                return False
            self.ctx.toast(t("feed.comment_saved"))
            await self.load()
            return True

        return thread_panel(
            t,
            shown.thread,
            self.ctx.session.login,
            box_label=t("feed.comment"),
            button_label=t("feed.comment_send"),
            on_write=write,
            draft=self._draft,
        )

    async def _back(self, _event=None) -> None:
        await self.ctx.go("/team-visits")


__all__ = ["TeamVisitView"]
