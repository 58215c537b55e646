"""The dashboard of pre-invoice metrics, read from the snapshot kept on the device.

The server computes the figures (docs/metrics.md); the app fetches the snapshot at the end
of every sync round (`refresh_metrics`) and keeps it, so the dashboard opens offline on the
last one. This module picks what the screen shows — a period, everyone, a team or one seller — as
tiles with the previous period beside, chart series, the records behind a number and their
CSV. Words are the view's: tiles and columns carry message keys and raw values.
"""

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from client.services.session import Session
from client.sync.errors import Offline
from shared.protocol import metrics_team_scope
from shared.spreadsheet import safe_row

EVERYONE = "all"


REFRESH_AFTER = timedelta(minutes=10)
"""A snapshot younger than this is kept as it is at the end of a sync round that moved no
records (rounds come every minute; a round that pushed or pulled something fetches it again)."""


def refresh_metrics(session: Session, *, now: datetime | None = None, max_age: timedelta = REFRESH_AFTER) -> bool:
    """Fetch the user's metrics snapshot and keep it (replacing the last one) unless the
    kept one is younger than `max_age`; whether it fetched."""
    moment = now or datetime.now(UTC)
    with session.store.read() as db:
        row = db.execute("SELECT fetched_at FROM metrics_snapshot WHERE id = 1").fetchone()
    if row and moment - datetime.fromisoformat(row[0]) < max_age:
        return False
    body = session.api.metrics()
    now_text = moment.isoformat()
    with session.store.write() as db:
        db.execute(
            "INSERT INTO metrics_snapshot (id, data, as_of, fetched_at) VALUES (1, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET data = excluded.data, as_of = excluded.as_of, "
            "fetched_at = excluded.fetched_at",
            [json.dumps(body, separators=(",", ":")), str(body["as_of"]), now_text],
        )
    return True


def kept_snapshot(session: Session) -> dict[str, Any] | None:
    """The last snapshot fetched, or None before the first sync that brought one."""
    with session.store.read() as db:
        row = db.execute("SELECT data FROM metrics_snapshot WHERE id = 1").fetchone()
    return json.loads(row[0]) if row else None


@dataclass(frozen=True, slots=True)
class Narrowed:
    """A snapshot narrowed to a segment or category: fetched now, or the one kept from the last
    time it was looked at online (`fresh` False: the server could not be reached), or none."""

    snapshot: dict[str, Any] | None
    fresh: bool


def choices_of(snapshot: dict[str, Any]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The segments and top-level categories (code, name) the snapshot may be narrowed to."""
    offered = snapshot.get("choices") or {}
    return tuple(offered.get("segments") or ()), tuple((c, n) for c, n in offered.get("categories") or ())


def narrowed_snapshot(
    session: Session, segment: str | None, category: str | None, *, now: datetime | None = None
) -> Narrowed:
    """The snapshot narrowed to `segment` and `category` (docs/metrics.md, "Segment and
    category"): computed by the server when asked for and kept, so it opens offline later."""
    key = f"{segment or ''}|{category or ''}"
    try:
        body = session.api.metrics(segment=segment, category=category)
    except Offline:
        with session.store.read() as db:
            row = db.execute("SELECT data FROM metrics_narrowed WHERE filter = ?", [key]).fetchone()
        return Narrowed(json.loads(row[0]) if row else None, fresh=False)
    with session.store.write() as db:
        db.execute(
            "INSERT INTO metrics_narrowed (filter, data, as_of, fetched_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(filter) DO UPDATE SET data = excluded.data, as_of = excluded.as_of, "
            "fetched_at = excluded.fetched_at",
            [key, json.dumps(body, separators=(",", ":")), str(body["as_of"]), (now or datetime.now(UTC)).isoformat()],
        )
    return Narrowed(body, fresh=True)


@dataclass(frozen=True, slots=True)
class Tile:
    """One number of the dashboard: its metric, value, unit and the previous period's value
    (None for readings of now), plus a detail (message key and values) under it."""

    metric: str
    unit: str
    """percent, days, hours, count, money or points."""
    value: Decimal | None
    previous: Decimal | None
    detail_key: str
    detail: dict[str, Any]
    is_now: bool = False


@dataclass(frozen=True, slots=True)
class SellerSync:
    login: str
    name: str
    last_sync: datetime | None


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What the screen shows for one period and scope."""

    as_of: datetime
    currency: str
    period: tuple[str, str]
    previous: tuple[str, str]
    sellers: tuple[SellerSync, ...]
    tiles: tuple[Tile, ...]
    channels: tuple[tuple[str, int, int], ...]
    """Leads by channel: (channel, leads, managed)."""
    reasons: tuple[tuple[str, int], ...]
    conversion_by_seller: tuple[tuple[str, Decimal | None], ...]
    """(seller name, conversion %), for a manager looking at everyone."""


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# metric → (section, path to the headline, unit, detail key, detail fields)
_TILES: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("leads", "figures", "rate", "percent", "dash.leads.detail", ("leads", "managed")),
    ("pipeline", "now", "value", "money", "dash.pipeline.detail", ("open", "customers", "with_open")),
    ("first_quote", "figures", "median", "days", "dash.first_quote.detail", ("count", "unmeasured")),
    ("approval", "figures", "median", "hours", "dash.approval.detail", ("decided", "pending")),
    ("quotes", "figures", "quotes", "count", "dash.quotes.detail", ("versions", "offered")),
    ("conversion", "figures", "rate", "percent", "dash.conversion.detail", ("offered", "accepted", "unanswered")),
    ("prices", "figures", "products", "count", "dash.prices.detail", ()),
    ("margin", "figures", "leak", "points", "dash.margin.detail", ()),
    ("lost_stock", "figures", "value", "money", "dash.lost_stock.detail", ("lines", "products")),
    ("dormant", "now", "customers", "count", "dash.dormant.detail", ("followed_up",)),
    ("unpenetrated", "now", "gaps", "count", "dash.unpenetrated.detail", ("customers",)),
    ("credit", "figures", "quotes", "count", "dash.credit.detail", ("blocked", "went_on")),
    ("lost_reasons", "figures", "lost", "count", "dash.lost_reasons.detail", ()),
)
METRICS = tuple(metric for metric, *_ in _TILES)


@dataclass(frozen=True, slots=True)
class TeamInView:
    """A team whose figures the snapshot holds: `scope` is their key, `sellers` its sellers in view
    (those of the teams below it too)."""

    code: str
    name: str
    scope: str
    sellers: tuple[str, ...]


def scopes_of(snapshot: dict[str, Any]) -> tuple[str, ...]:
    """The scopes the snapshot holds for everyone and the sellers: everyone, then each seller
    (a manager's snapshot); teams' are `teams_of`'s."""
    teams = {team.scope for team in teams_of(snapshot)}
    return tuple(s for s in next(iter(snapshot["figures"].values()))["current"] if s not in teams)


def teams_of(snapshot: dict[str, Any]) -> tuple[TeamInView, ...]:
    """The teams in view, by name (none when the snapshot holds one team, or predates teams)."""
    teams = [
        TeamInView(t["code"], t["name"], metrics_team_scope(t["code"]), tuple(t["sellers"]))
        for t in snapshot.get("teams") or ()
    ]
    return tuple(sorted(teams, key=lambda team: (team.name.casefold(), team.code)))


def members_of(snapshot: dict[str, Any], scope: str) -> tuple[str, ...]:
    """The sellers whose work `scope` (everyone, a team's scope or a login) adds up."""
    if scope == EVERYONE:
        return tuple(s["login"] for s in snapshot["sellers"])
    team = next((team for team in teams_of(snapshot) if team.scope == scope), None)
    return team.sellers if team else (scope,)


def dashboard(snapshot: dict[str, Any], period: str, scope: str = EVERYONE) -> Dashboard:
    """The tiles and charts of `period` (month or quarter) for `scope` (everyone, a team's
    scope from `teams_of` or a login)."""
    if period not in snapshot["figures"]:
        raise ValueError(f"no period {period!r} in the snapshot")
    current = snapshot["figures"][period]["current"].get(scope)
    if current is None:
        raise ValueError(f"no figures for {scope!r} in the snapshot")
    previous = snapshot["figures"][period]["previous"][scope]
    now = snapshot["now"][scope]
    tiles = []
    for metric, section, field, unit, detail_key, detail_fields in _TILES:
        figures = now[metric] if section == "now" else current[metric]
        before = None if section == "now" else _dec(previous[metric][field])
        detail = {name: figures[name] for name in detail_fields}
        if metric == "lost_stock":
            detail["unconverted"] = figures["unconverted"]
        if metric == "pipeline":
            detail["unconverted"] = figures["unconverted"]
        if metric == "margin":
            detail["currencies"] = figures["currencies"]
        if metric == "lost_reasons":
            detail["top"] = figures["reasons"][0][0] if figures["reasons"] else None
        tiles.append(Tile(metric, unit, _dec(figures[field]), before, detail_key, detail, section == "now"))
    names = {s["login"]: s["name"] for s in snapshot["sellers"]}
    members = members_of(snapshot, scope)
    by_seller: tuple[tuple[str, Decimal | None], ...] = ()
    figures = snapshot["figures"][period]["current"]
    is_team = any(team.scope == scope for team in teams_of(snapshot))
    if is_team or (scope == EVERYONE and len(members) > 1):
        by_seller = tuple(
            (names.get(login, login), _dec(figures[login]["conversion"]["rate"]))
            for login in members
            if login in figures
        )
    days = snapshot["periods"][period]
    return Dashboard(
        as_of=datetime.fromisoformat(snapshot["as_of"]),
        currency=snapshot["currency"],
        period=(days["current"][0], days["current"][1]),
        previous=(days["previous"][0], days["previous"][1]),
        sellers=tuple(
            SellerSync(s["login"], s["name"], datetime.fromisoformat(s["last_sync"]) if s["last_sync"] else None)
            for s in snapshot["sellers"]
            if s["login"] in members
        ),
        tiles=tuple(tiles),
        channels=tuple((c[0], c[1], c[2]) for c in current["leads"]["channels"]),
        reasons=tuple((r[0], r[1]) for r in current["lost_reasons"]["reasons"]),
        conversion_by_seller=by_seller,
    )


COLUMNS: dict[str, tuple[str, ...]] = {
    "leads": ("name", "channel", "lead_status", "created", "seller"),
    "first_quote": ("number", "customer", "customer_name", "days", "seller"),
    "approval": ("number", "customer", "rules", "requested", "hours", "decided", "seller"),
    "quotes": ("number", "customer", "customer_name", "versions", "quote_status", "currency", "net", "offered_on", "seller"),
    "conversion": ("number", "customer", "customer_name", "versions", "quote_status", "currency", "net", "offered_on", "seller"),
    "prices": ("sku", "segment", "currency", "won_lines", "won_price", "lost_lines", "lost_price", "competitor_lines",
               "competitor_price"),
    "margin": ("number", "customer", "currency", "quoted_percent", "invoiced_percent", "leak", "seller"),
    "lost_stock": ("sku", "customer", "customer_name", "quantity", "currency", "value", "day", "seller"),
    "credit": ("number", "customer", "customer_name", "rules", "quote_status", "seller"),
    "lost_reasons": ("number", "customer", "customer_name", "reason", "currency", "net", "seller"),
    "pipeline": ("customer", "customer_name", "title", "stage", "currency", "value", "probability", "seller"),
    "dormant": ("customer", "customer_name", "last_invoice", "last_touch", "followed_up", "seller"),
    "unpenetrated": ("customer", "customer_name", "category", "percent", "seller"),
}  # fmt: skip
"""The columns of each metric's records, in the order the server sends them."""


@dataclass(frozen=True, slots=True)
class Drill:
    """The records behind one number: columns, rows (raw values) and how many there are in all."""

    metric: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: int


def drill(snapshot: dict[str, Any], period: str, scope: str, metric: str) -> Drill:
    """The records behind `metric`'s number in `period` for `scope`."""
    if metric not in COLUMNS:
        raise ValueError(f"no records are kept for {metric!r}")
    section = snapshot["now"][scope] if metric in ("pipeline", "dormant", "unpenetrated") else (
        snapshot["figures"][period]["current"][scope]
    )  # fmt: skip
    kept = section["rows"][metric]
    return Drill(metric, COLUMNS[metric], tuple(tuple(row) for row in kept["rows"]), int(kept["total"]))


def drill_csv(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """The rows shown as CSV (UTF-8 with a BOM, so spreadsheets read accents), every cell
    escaped so none is read as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in (headers, *rows):
        writer.writerow(safe_row({str(i): cell for i, cell in enumerate(row)}).values())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


__all__ = [
    "COLUMNS",
    "EVERYONE",
    "METRICS",
    "REFRESH_AFTER",
    "Dashboard",
    "Drill",
    "SellerSync",
    "TeamInView",
    "Tile",
    "dashboard",
    "drill",
    "drill_csv",
    "Narrowed",
    "choices_of",
    "kept_snapshot",
    "members_of",
    "narrowed_snapshot",
    "refresh_metrics",
    "scopes_of",
    "teams_of",
]
