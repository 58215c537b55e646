"""Pieces of the dashboard: a metric's tile and the bar charts (flet-charts)."""

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from decimal import Decimal

import flet as ft
import flet_charts as fch  # type: ignore[import-untyped]

from client.i18n import Translator
from client.services.dashboard import Tile
from client.ui.widgets import GREEN, tagged

log = logging.getLogger(__name__)

TILE_WIDTH = 250


def figure(t: Translator, unit: str, value: Decimal | None, currency: str) -> str:
    """A figure in its unit, as this language writes it; an em dash when there is none."""
    if value is None:
        return "—"
    if unit == "percent":
        return t.percent(value)
    if unit == "money":
        return t.money(value, currency)
    if unit == "days":
        return t.plural("dash.unit.days", value)
    if unit == "hours":
        return t.plural("dash.unit.hours", value)
    if unit == "points":
        return t("dash.unit.points", value=t.number(value))
    return t.number(value)


def comparison(t: Translator, tile: Tile, currency: str) -> str:
    """The previous period's figure and which way it moved."""
    if tile.is_now:
        return t("dash.now")
    before = figure(t, tile.unit, tile.previous, currency)
    if tile.value is None or tile.previous is None or tile.value == tile.previous:
        return t("dash.previous", value=before)
    return t("dash.previous_up" if tile.value > tile.previous else "dash.previous_down", value=before)


def detail(t: Translator, tile: Tile, currency: str) -> str:
    """The line under a tile's number (counts, what was not converted)."""
    values = {k: v for k, v in tile.detail.items() if k not in ("unconverted", "currencies", "top")}
    lines = [t(tile.detail_key, **{k: t.number(v) for k, v in values.items()})] if tile.detail_key else []
    if tile.metric == "lost_reasons" and tile.detail.get("top"):
        lines = [t("dash.lost_reasons.top", reason=t.label_of("LostReason", tile.detail["top"]))]
    if tile.metric == "margin":
        lines = [
            t("dash.margin.line", currency=c, quoted=t.percent(Decimal(q)) if q else "—",
              invoiced=t.percent(Decimal(i)) if i else "—", orders=t.number(n))
            for c, n, _qn, q, _in, i, _leak in tile.detail.get("currencies", [])
        ] or [t("dash.margin.none")]  # fmt: skip
    apart = tile.detail.get("unconverted") or []
    if apart:
        amounts = ", ".join(t.money(Decimal(v), c) for c, v in apart)
        lines.append(t("dash.unconverted", amounts=amounts))
    return "\n".join(line for line in lines if line)


def tile_card(
    t: Translator, tile: Tile, currency: str, as_of: datetime, on_open: Callable[[str], Awaitable[None]]
) -> ft.Control:
    """One metric: its name, the number, the previous period, a detail line, "as of"; a tap
    opens the records behind it."""

    async def open_records(_event=None) -> None:
        await on_open(tile.metric)

    card = ft.Container(
        width=TILE_WIDTH,
        padding=12,
        border=ft.Border.all(1, ft.Colors.GREY_300),
        border_radius=ft.BorderRadius.all(8),
        bgcolor=ft.Colors.WHITE,
        ink=True,
        on_click=open_records,
        content=ft.Column(
            [
                ft.Text(t(f"dash.{tile.metric}.title"), size=13, weight=ft.FontWeight.W_600, color=GREEN),
                tagged(f"dash-value-{tile.metric}", ft.Text(size=24, weight=ft.FontWeight.W_600)),
                ft.Text(size=12, color=ft.Colors.GREY_700),
                ft.Text(size=12, color=ft.Colors.GREY_800),
                ft.Text(size=11, color=ft.Colors.GREY_600),
            ],
            spacing=4,
        ),
    )
    shown = tagged(f"dash-tile-{tile.metric}", card)
    refill_tile(t, shown, tile, currency, as_of)
    return shown


def refill_tile(t: Translator, shown: ft.Control, tile: Tile, currency: str, as_of: datetime) -> None:
    """Show `tile`'s figures in the card `tile_card` made for its metric. The card stays: a
    tap on it as the figures change (another seller or team picked) opens the records, where
    a new card would have taken the tap's place and lost it."""
    lines = shown.content.content.controls  # type: ignore[attr-defined]  # tile_card's own layout
    lines[1].content.value = figure(t, tile.unit, tile.value, currency)
    lines[2].value = comparison(t, tile, currency)
    lines[3].value = detail(t, tile, currency)
    lines[4].value = t("dash.as_of", when=t.datetime(as_of))


def bar_chart(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float]]], identifier: str
) -> ft.Control:
    """Bars per label, one rod per series ((name, colour, values)); a legend under it."""
    top = max((v for _, _, values in series for v in values), default=0) or 1
    groups = [
        fch.BarChartGroup(
            x=i,
            rods=[
                fch.BarChartRod(
                    from_y=0, to_y=values[i], width=14, color=colour, border_radius=2, tooltip=f"{name}: {values[i]:g}"
                )
                for name, colour, values in series
            ],  # fmt: skip
        )
        for i in range(len(labels))
    ]
    chart = fch.BarChart(
        groups=groups,
        max_y=top * 1.15,
        interactive=True,
        left_axis=fch.ChartAxis(label_size=36, show_max=False),  # the headroom above the tallest bar is no value
        bottom_axis=fch.ChartAxis(
            label_size=36,
            labels=[fch.ChartAxisLabel(value=i, label=ft.Text(label, size=11)) for i, label in enumerate(labels)],
        ),
        horizontal_grid_lines=fch.ChartGridLines(color=ft.Colors.GREY_300, width=1, dash_pattern=[3, 3]),
        height=220,
    )
    legend = ft.Row(
        [
            ft.Row([ft.Container(width=12, height=12, bgcolor=colour), ft.Text(name, size=12)], spacing=4)
            for name, colour, _ in series
        ],
        spacing=16,
    )
    panel = ft.Container(
        width=max(320, 90 * len(labels) + 80),
        padding=12,
        border=ft.Border.all(1, ft.Colors.GREY_300),
        border_radius=ft.BorderRadius.all(8),
        content=ft.Column([ft.Text(title, weight=ft.FontWeight.W_600), chart, legend], spacing=6),
    )
    return tagged(identifier, panel)


__all__ = ["bar_chart", "comparison", "detail", "figure", "shown_cells", "table_columns", "tile_card"]


MONEY_COLUMNS = frozenset({"net", "value", "won_price", "lost_price", "competitor_price"})
"""Amounts in the row's own currency (its `currency` column)."""
PERCENT_COLUMNS = frozenset({"quoted_percent", "invoiced_percent", "leak", "percent", "probability"})
DAY_COLUMNS = frozenset({"created", "requested", "decided", "offered_on", "day", "last_invoice", "last_touch"})


def table_columns(columns: Sequence[str]) -> list[int]:
    """The columns the table shows, by position: the currency goes when the row's amounts
    carry it ("€120.00"); the CSV keeps every column."""
    carried = any(c in MONEY_COLUMNS for c in columns)
    return [i for i, c in enumerate(columns) if not (carried and c == "currency")]


def shown_cells(
    t: Translator, columns: Sequence[str], raw: Sequence[object], words: Sequence[str], names: dict[str, str]
) -> list[str]:
    """A record's cells as the table shows them: amounts in their currency, percentages and
    days as the language writes them, sellers by name. `words` are the cells of the CSV
    export (plain numbers and ISO days, which a spreadsheet reads); any value that is not
    what its column expects is shown as it is."""
    row = dict(zip(columns, raw, strict=False))
    shown = list(words)
    for index, (column, value) in enumerate(zip(columns, raw, strict=False)):
        if value is None or value == "":
            continue
        try:
            if column in MONEY_COLUMNS and row.get("currency"):
                shown[index] = t.money(Decimal(str(value)), str(row["currency"]))
            elif column in PERCENT_COLUMNS:
                shown[index] = t.percent(Decimal(str(value)))
            elif column in DAY_COLUMNS:
                text = str(value)
                moment = datetime.fromisoformat(text)
                shown[index] = t.date(moment.date()) if len(text) <= 10 else t.datetime(moment)
            elif column == "seller":
                shown[index] = names.get(str(value), str(value))
        except (ArithmeticError, ValueError):
            # Shown as it came, so the record still reads; logged, as the server sent a value
            # its column does not hold (a bug there, or a snapshot from another version).
            log.warning("dashboard record: %s %r is not what the column holds", column, value)
    return shown
