"""The dashboard: the pre-invoice metrics of a period for everyone in view, a team or one
seller, with the previous period beside, charts, the records behind each number and their CSV.

It reads the snapshot kept from the last sync (it opens offline); a manager picks a team (when
several are in view: a regional director) and a seller, a seller sees her own figures. A
customer segment or a product category narrows the figures: the server computes those when
asked (each is kept, so one looked at online opens offline later).
"""

from datetime import date
from typing import Any

import flet as ft

from client.services.dashboard import (
    COLUMNS,
    EVERYONE,
    Dashboard,
    Drill,
    choices_of,
    dashboard,
    drill,
    drill_csv,
    kept_snapshot,
    members_of,
    narrowed_snapshot,
    scopes_of,
    teams_of,
)
from client.ui.context import AppContext, explain
from client.ui.dashboard_parts import bar_chart, refill_tile, shown_cells, table_columns, tile_card
from client.ui.frame import section_title
from client.ui.widgets import TOUCH, tagged
from shared.errors import DomainError

_ENUMS = {
    "channel": "LeadChannel",
    "lead_status": "LeadStatus",
    "quote_status": "QuoteStatus",
    "reason": "LostReason",
    "stage": "OpportunityStage",
}


class DashboardView:
    """Filters and "as of" on top, the tiles, the charts; a tile opens its records."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        t = ctx.t
        self.snapshot: dict[str, Any] | None = None
        self.period = ft.Dropdown(
            label=t("dash.period"),
            width=220,
            value="month",
            options=[ft.DropdownOption(key=k, text=t(f"dash.period.{k}")) for k in ("month", "quarter")],
            on_select=self._apply,
        )
        self.team = ft.Dropdown(label=t("dash.team"), width=260, value=EVERYONE, on_select=self._pick_team)
        # Shown only when several teams are in view (a regional director, an administrator).
        self.team_box = tagged("dash-team", self.team, visible=False)
        self.seller = ft.Dropdown(label=t("dash.seller"), width=260, value=EVERYONE, on_select=self._apply)
        # Shown only to whoever sees several sellers (a hidden wrapped control draws an error box:
        # the wrapper is what hides).
        self.seller_box = tagged("dash-seller", self.seller, visible=False)
        self.segment = ft.Dropdown(label=t("dash.segment"), width=260, value=EVERYONE, on_select=self._narrow)
        self.category = ft.Dropdown(label=t("dash.category"), width=300, value=EVERYONE, on_select=self._narrow)
        self.narrow_box = ft.Row(
            [tagged("dash-segment", self.segment), tagged("dash-category", self.category)], spacing=8, visible=False
        )
        self.narrow_status = ft.Text("", color=ft.Colors.ORANGE_800)
        self.narrow_note = tagged("dash-narrow-status", self.narrow_status, visible=False)  # the wrapper hides
        self.base: dict[str, Any] | None = None
        """The whole snapshot kept from the last sync (`snapshot` is it, or it narrowed)."""
        self.as_of = ft.Text("", color=ft.Colors.GREY_700)
        self.syncs = ft.Text("", size=12, color=ft.Colors.GREY_700)
        self.tiles = ft.Row(wrap=True, spacing=10, run_spacing=10)
        self.charts = ft.Row(wrap=True, spacing=10, run_spacing=10)

    def build(self) -> ft.Control:
        t = self.ctx.t
        return ft.Column(
            [
                section_title(t("dash.title"), "dash-title"),
                ft.Row(
                    [tagged("dash-period", self.period), self.team_box, self.seller_box, self.narrow_box],
                    wrap=True,
                    spacing=8,
                ),
                self.narrow_note,
                tagged("dash-as-of", self.as_of),
                tagged("dash-syncs", self.syncs),
                tagged("dash-tiles", self.tiles),
                tagged("dash-charts", self.charts),
            ],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            spacing=10,
        )

    async def load(self) -> None:
        self.snapshot = self.base = await self.ctx.call(kept_snapshot, self.ctx.session)
        if self.snapshot and self.snapshot.get("figures"):
            self._narrow_options()
            teams = teams_of(self.snapshot)
            self.team.options = [
                ft.DropdownOption(key=key, text=text, content=tagged(f"dash-team-{code}", ft.Text(text)))
                for key, code, text in [(EVERYONE, EVERYONE, self.ctx.t("dash.all_teams"))]
                + [(team.scope, team.code, team.name) for team in teams]
            ]
            self.team.value = EVERYONE
            self.team_box.visible = len(teams) > 1
            self._seller_options()
            self.seller_box.visible = len(scopes_of(self.snapshot)) > 1
        await self._apply()

    async def after_round(self) -> None:
        """A sync round ended: it may have brought the server's new figures. Drawn again only
        when they changed, with the period, team and seller the manager chose (those still
        in the figures); figures she narrowed to a segment or category stay until she lets go
        of it, and then the new whole figures show."""
        kept = await self.ctx.call(kept_snapshot, self.ctx.session)
        if kept == self.base:
            return
        if self.snapshot is not self.base:  # narrowed (or its figures unavailable)
            self.base = kept
            return
        team, seller = self.team.value, self.seller.value
        await self.load()
        if self.team_box.visible and team in {option.key for option in self.team.options}:
            self.team.value = team
            self._seller_options()
        if self.seller_box.visible and seller in {option.key for option in self.seller.options}:
            self.seller.value = seller
        if (self.team.value, self.seller.value) != (EVERYONE, EVERYONE):
            await self._apply()

    def _narrow_options(self) -> None:
        """Every segment and category, then each the snapshot offers (shown when it offers any)."""
        assert self.snapshot is not None
        t = self.ctx.t
        segments, categories = choices_of(self.snapshot)
        self.segment.options = [
            ft.DropdownOption(key=key, text=text, content=tagged(f"dash-segment-{key}", ft.Text(text)))
            for key, text in [(EVERYONE, t("dash.all_segments"))] + [(s, t.segment(s)) for s in segments]
        ]
        self.category.options = [
            ft.DropdownOption(key=key, text=text, content=tagged(f"dash-category-{key}", ft.Text(text)))
            for key, text in [(EVERYONE, t("dash.all_categories")), *categories]
        ]
        self.segment.value = self.category.value = EVERYONE
        self.narrow_box.visible = bool(segments or categories)

    async def _narrow(self, _event=None) -> None:
        """The figures of the segment and category picked: fetched from the server, or kept
        from the last time they were looked at when it cannot be reached."""
        t = self.ctx.t
        segment = None if self.segment.value in (None, EVERYONE) else str(self.segment.value)
        category = None if self.category.value in (None, EVERYONE) else str(self.category.value)
        if segment is None and category is None:
            self.snapshot, self.narrow_note.visible = self.base, False
            await self._apply()
            return
        self.narrow_status.value, self.narrow_note.visible = t("dash.narrowing"), True
        self.ctx.refresh()
        try:
            narrowed = await self.ctx.call(narrowed_snapshot, self.ctx.session, segment, category)
        except DomainError as exc:  # a refusal (a segment gone since): said here, the whole figures stay
            self.snapshot = self.base
            self.narrow_status.value = explain(t, exc)
            await self._apply()
            return
        if narrowed.snapshot is None:
            self.snapshot = None
            self.narrow_status.value = t("dash.narrowed_unavailable")
        else:
            self.snapshot = narrowed.snapshot
            self.narrow_status.value = t("dash.narrowed_note") if narrowed.fresh else t("dash.narrowed_offline")
        await self._apply()

    def _team_scope(self) -> str:
        return str(self.team.value or EVERYONE) if self.team_box.visible else EVERYONE

    def _seller_options(self) -> None:
        """Everyone of the chosen team (or in view), then each of its sellers."""
        assert self.snapshot is not None
        names = {s["login"]: s["name"] for s in self.snapshot["sellers"]}
        sellers = set(scopes_of(self.snapshot)) - {EVERYONE}
        in_team = [login for login in members_of(self.snapshot, self._team_scope()) if login in sellers]
        self.seller.options = [
            ft.DropdownOption(key=login, text=text, content=tagged(f"dash-seller-{login}", ft.Text(text)))
            for login, text in [(EVERYONE, self.ctx.t("dash.everyone"))] + [(x, names.get(x, x)) for x in in_team]
        ]
        self.seller.value = EVERYONE

    async def _pick_team(self, _event=None) -> None:
        """A team narrows the figures and the sellers to pick from (the seller picked is let go)."""
        self._seller_options()
        await self._apply()

    def _scope(self) -> str:
        """What the figures add up: the seller picked, else the team picked, else everyone."""
        seller = str(self.seller.value or EVERYONE) if self.seller_box.visible else EVERYONE
        return seller if seller != EVERYONE else self._team_scope()

    async def _apply(self, _event=None) -> None:
        t = self.ctx.t
        if not self.snapshot or not self.snapshot.get("figures"):
            self.as_of.value = "" if self.base and self.base.get("figures") else t("dash.none")
            self.tiles.controls, self.charts.controls = [], []
            if not self.base or not self.base.get("figures"):
                self.seller_box.visible = self.team_box.visible = self.narrow_box.visible = False
            self.ctx.refresh()
            return
        shown = dashboard(self.snapshot, str(self.period.value or "month"), self._scope())
        self.as_of.value = t(
            "dash.as_of_period",
            when=t.datetime(shown.as_of),
            first=t.date(date.fromisoformat(shown.period[0])),
            last=t.date(date.fromisoformat(shown.period[1])),
            previous_first=t.date(date.fromisoformat(shown.previous[0])),
            previous_last=t.date(date.fromisoformat(shown.previous[1])),
        )
        self.syncs.value = t(
            "dash.last_syncs",
            sellers="; ".join(
                f"{s.name}: {t.datetime(s.last_sync) if s.last_sync else t('dash.never_synced')}" for s in shown.sellers
            ),
        )
        cards = self.tiles.controls  # the same metrics: their cards stay (see refill_tile)
        if [c.identifier for c in cards] == [f"dash-tile-{tile.metric}" for tile in shown.tiles]:  # type: ignore[attr-defined]
            for card, tile in zip(cards, shown.tiles, strict=True):
                refill_tile(t, card, tile, shown.currency, shown.as_of)
        else:
            self.tiles.controls = [tile_card(t, tile, shown.currency, shown.as_of, self._open) for tile in shown.tiles]
        self.charts.controls = self._charts(shown)
        self.ctx.refresh()

    def _charts(self, shown: Dashboard) -> list[ft.Control]:
        t = self.ctx.t
        charts = []
        if shown.channels:
            charts.append(
                bar_chart(
                    t("dash.chart.leads"),
                    [t.label_of("LeadChannel", c) for c, _, _ in shown.channels],
                    [
                        (t("dash.chart.leads_in"), ft.Colors.BLUE_400, [float(n) for _, n, _ in shown.channels]),
                        (t("dash.chart.managed"), ft.Colors.GREEN_600, [float(m) for _, _, m in shown.channels]),
                    ],
                    "dash-chart-leads",
                )
            )
        if shown.reasons:
            charts.append(
                bar_chart(
                    t("dash.chart.reasons"),
                    [t.label_of("LostReason", r) for r, _ in shown.reasons],
                    [(t("dash.chart.lost"), ft.Colors.RED_400, [float(n) for _, n in shown.reasons])],
                    "dash-chart-reasons",
                )
            )
        if shown.conversion_by_seller:
            charts.append(
                bar_chart(
                    t("dash.chart.conversion"),
                    [name for name, _ in shown.conversion_by_seller],
                    [
                        (
                            t("dash.conversion.title"),
                            ft.Colors.TEAL_400,
                            [float(rate or 0) for _, rate in shown.conversion_by_seller],
                        )
                    ],
                    "dash-chart-conversion",
                )  # fmt: skip
            )
        return charts

    async def _open(self, metric: str) -> None:
        """The records behind a tile's number, in a dialog with their CSV."""
        assert self.snapshot is not None
        t = self.ctx.t
        records = drill(self.snapshot, str(self.period.value or "month"), self._scope(), metric)
        headers = [t(f"dash.col.{c}") for c in records.columns]
        rows = [self._cells(records, row) for row in records.rows]
        names = {s["login"]: s["name"] for s in self.snapshot.get("sellers", [])}
        shown = [
            shown_cells(t, records.columns, raw, words, names) for raw, words in zip(records.rows, rows, strict=True)
        ]

        async def export(_event=None) -> None:
            # a team's scope holds a colon, which no file name on Windows may
            narrowed = [str(v) for v in (self.segment.value, self.category.value) if v not in (None, EVERYONE)]
            parts = [metric, str(self.period.value), self._scope().replace(":", "-"), *narrowed]
            name = "terreno-" + "-".join(parts) + ".csv"
            await ft.FilePicker().save_file(file_name=name, src_bytes=drill_csv(headers, rows))

        kept = table_columns(records.columns)
        table = ft.DataTable(
            columns=[ft.DataColumn(label=ft.Text(headers[i], weight=ft.FontWeight.W_600)) for i in kept],
            rows=[ft.DataRow(cells=[ft.DataCell(ft.Text(row[i])) for i in kept]) for row in shown],
            column_spacing=16,
        )
        count = t.plural("dash.records", records.total)
        if records.total > len(rows):
            count = t("dash.records_shown", shown=len(rows), count=count)
        self.ctx.page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(t(f"dash.{metric}.title")),
                content=tagged(
                    "dash-drill",
                    ft.Column(
                        [ft.Text(count), ft.Row([table], scroll=ft.ScrollMode.AUTO)]
                        if rows
                        else [ft.Text(t("dash.no_records"))],
                        scroll=ft.ScrollMode.AUTO,
                        width=900,
                        height=420,
                    ),
                ),
                actions=[
                    tagged(
                        "dash-export",
                        ft.TextButton(
                            t("dash.export"), icon=ft.Icons.DOWNLOAD, height=TOUCH, on_click=export, disabled=not rows
                        ),
                    ),
                    ft.TextButton(t("common.close"), height=TOUCH, on_click=lambda _e: self.ctx.page.pop_dialog()),
                ],  # fmt: skip
            )
        )

    def _cells(self, records: Drill, row: tuple[Any, ...]) -> list[str]:
        """A record's values in words: statuses and reasons in this language, yes/no, dashes."""
        t = self.ctx.t
        cells = []
        for column, value in zip(COLUMNS[records.metric], row, strict=False):
            if value is None or value == "":
                cells.append("—")
            elif isinstance(value, bool):
                cells.append(t("common.yes") if value else t("common.no"))
            elif column in _ENUMS:
                cells.append(t.label_of(_ENUMS[column], str(value)))
            elif column == "rules":
                cells.append(", ".join(t.label_of("ApprovalRule", r) for r in str(value).split(", ") if r))
            elif column == "segment":
                cells.append(t.segment(str(value)))
            else:
                cells.append(str(value))
        return cells


__all__ = ["DashboardView"]
