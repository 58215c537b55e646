"""Team visits: the manager's feed of her sellers' synced visits, newest first, with filters
(seller, customer, period, outcome, words), what each visit recorded and unread replies."""

import logging
from datetime import date, timedelta

import flet as ft

from client.services.team_visits import Feed, FeedVisit, VisitFilter, team_feed
from client.ui.context import AppContext, explain
from client.ui.day_field import DayField
from client.ui.frame import section_title
from client.ui.widgets import GREEN, TOUCH, chip, tagged
from shared.errors import DomainError
from shared.models import VisitOutcome

_ALL = "all"

log = logging.getLogger(__name__)


class TeamVisitsView:
    """Filters above the list; the dropdowns apply at once, the words and days on "Show"."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        t = ctx.t
        self.seller = ft.Dropdown(label=t("feed.seller"), width=260, value=_ALL, on_select=self._apply)
        self.outcome = ft.Dropdown(
            label=t("visit.outcome"),
            width=220,
            value=_ALL,
            options=[ft.DropdownOption(key=_ALL, text=t("feed.any_outcome"))]
            + [ft.DropdownOption(key=o.value, text=t.label(o)) for o in VisitOutcome],
            on_select=self._apply,
        )
        self.customer = ft.TextField(label=t("feed.customer"), width=260, on_submit=self._apply)
        self.words = ft.TextField(label=t("feed.words"), width=260, on_submit=self._apply)
        first = date.today() - timedelta(days=730)
        self.since = DayField(ctx, t("feed.since"), "feed-since", first=first, years=3)
        self.until = DayField(ctx, t("feed.until"), "feed-until", first=first, years=3)
        for day in (self.since, self.until):  # side by side with the other filters, not a line each
            day.control.tight = True
        self.count = ft.Text("", color=ft.Colors.GREY_700)
        self.list = ft.Column(spacing=0)
        self._shown: Feed | None = None
        self._applied: VisitFilter | None = None
        """The filters the list was last drawn with."""

    def build(self) -> ft.Control:
        t = self.ctx.t
        show = ft.FilledButton(t("feed.show"), icon=ft.Icons.FILTER_LIST, height=TOUCH, on_click=self._apply)
        return ft.Column(
            [
                section_title(t("feed.title"), "feed-title"),
                ft.Row(
                    [
                        tagged("feed-seller", self.seller),
                        tagged("feed-customer", self.customer),
                        tagged("feed-outcome", self.outcome),
                        tagged("feed-words", self.words),
                        self.since.control,
                        self.until.control,
                        tagged("feed-apply", show),
                    ],
                    wrap=True,
                    spacing=8,
                    run_spacing=8,
                ),
                tagged("feed-count", self.count),
                tagged("feed-list", self.list),
            ],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=10,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    async def load(self) -> None:
        await self._apply()

    async def after_round(self) -> None:
        """A sync round ended: it may have brought the sellers' visits and notes of the day,
        or a colleague's comment. Drawn again only when the feed changed, with the filters the
        list was last drawn with (one she is still typing and has not entered waits for her)."""
        if self._applied is None:
            return  # not read yet: `load` draws it
        try:
            feed: Feed = await self.ctx.call(team_feed, self.ctx.session, self._applied)
        except DomainError:
            # The list stays as drawn; the manager meets the refusal when she applies filters.
            log.warning("team visits not read again after a sync round", exc_info=True)
            return
        if feed != self._shown:
            self._render(feed)

    def _wanted(self) -> VisitFilter:
        return VisitFilter(
            seller="" if self.seller.value in (None, _ALL) else str(self.seller.value),
            customer=self.customer.value or "",
            since=self.since.day(),
            until=self.until.day(),
            outcome=None if self.outcome.value in (None, _ALL) else VisitOutcome(str(self.outcome.value)),
            text=self.words.value or "",
        )

    async def _apply(self, _event=None) -> None:
        try:
            wanted = self._wanted()
            feed: Feed = await self.ctx.call(team_feed, self.ctx.session, wanted)
        except (ValueError, DomainError) as exc:  # a day that is not a date, a period the wrong way round
            self.ctx.toast(explain(self.ctx.t, exc), error=True)
            return
        self._applied = wanted
        self._render(feed)

    def _render(self, feed: Feed) -> None:
        self._shown = feed
        t = self.ctx.t
        self.seller.options = [ft.DropdownOption(key=_ALL, text=t("feed.every_seller"))] + [
            ft.DropdownOption(key=login, text=name) for login, name in feed.sellers
        ]
        shown = t.plural("feed.count", len(feed.visits))
        self.count.value = t("feed.more", shown=shown) if feed.more else shown
        self.list.controls = [self._row(item) for item in feed.visits] or [ft.Text(t("feed.none"))]
        self.ctx.refresh()

    def _row(self, item: FeedVisit) -> ft.Control:
        t = self.ctx.t
        visit = item.visit
        when = t.datetime(item.when) if item.when else ""
        state = t.label_of("VisitOutcome", visit.outcome) if visit.checked_in_at else t("feed.planned")
        facts = [
            t.plural("feed.observations", item.observations) if item.observations else "",
            t.plural("feed.claims", item.claims) if item.claims else "",
            t.plural("feed.comments", item.comments) if item.comments else "",
        ]
        lines: list[ft.Control] = [ft.Text(" · ".join(x for x in (item.seller_name, when, state, *facts) if x))]
        if visit.notes:
            lines.append(ft.Text(visit.notes, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS, color=ft.Colors.GREY_800))
        title: list[ft.Control] = [ft.Text(item.customer_name, weight=ft.FontWeight.W_500)]
        if item.unread:
            title.append(chip(t.plural("feed.unread", item.unread), ft.Colors.BLUE_50, ft.Colors.BLUE_900))

        async def open_visit(_event=None) -> None:
            await self.ctx.go(f"/team-visit/{visit.id}")

        return tagged(
            f"feed-visit-{visit.customer_code}",
            ft.ListTile(
                title=ft.Row(title, spacing=8, wrap=True),
                subtitle=ft.Column(lines, spacing=2),
                trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT, color=GREEN),
                min_height=TOUCH,
                on_click=open_visit,
            ),
            key=str(visit.id),  # a tap on a row as a sync round draws the feed again still opens it
        )


__all__ = ["TeamVisitsView"]
