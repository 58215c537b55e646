"""The metrics snapshot a device keeps so its dashboard opens offline (docs/metrics.md).

A snapshot holds, for the caller's scope (`scope.sellers_in_scope`), this month and this
quarter each with the period before, the figures of everyone in view and of each seller,
the readings of now (pipeline, dormant customers, unpenetrated categories), the records
behind each number of the current periods, each seller's last sync and the time it was
computed ("as of"). When several teams are in view, each team's figures too (scope
`team:CODE`, its subtree's sellers in view added up like everyone's). It is JSON: Decimals travel as strings.

Figures are added up from per-seller parts (`metric_figures`, `metric_now`, added up by
`metric_combine`): `snapshot_for` computes every part from the records, `metric_kept` keeps
them in the server's database and updates only those whose records changed.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from shared.models import FxRate
from shared.protocol import metrics_team_scope
from shared.rules.metrics import Period, month_of, months_in, previous_of, quarter_of, quote_threads, rates_to
from shared.rules.teams import teams_in_view
from sync_server.repository.database import Connection
from sync_server.repository.metric_reads import MetricRecords, read_metric_records
from sync_server.services.metric_combine import figures_of
from sync_server.services.metric_figures import Part, ScopeRecords, period_part, split_by_seller
from sync_server.services.metric_now import gap_parts, now_of, now_parts

EVERYONE = "all"
"""The scope key of everyone in view (the only one in a seller's own snapshot)."""
PERIODS = {"month": month_of, "quarter": quarter_of}


def periods_of(today: date) -> dict[str, tuple[Period, Period]]:
    """The dashboard's periods holding `today`, each with the one before."""
    return {key: (make(today), previous_of(make(today))) for key, make in PERIODS.items()}


def period_key(period: Period) -> str:
    """A period's name among kept parts: its first and last day."""
    return f"{period.start.isoformat()}/{period.end.isoformat()}"


def snapshot_for(conn: Connection, sellers: list[str], now: datetime, currency: str) -> dict[str, Any]:
    """The metrics snapshot of `sellers` (see the module docstring), every part computed now."""
    today = now.date()
    periods = periods_of(today)
    first = min(previous.start for _, previous in periods.values())
    records = read_metric_records(conn, sellers, first, today, today)
    return compute_snapshot(records, sellers, periods, now, currency)


def activity_parts(
    records: MetricRecords, sellers: Iterable[str], slices: Iterable[Period]
) -> dict[str, dict[str, Part]]:
    """Per seller, per slice (`kept_slices`, its key), her part of the slice's figures: a
    period's figures are its slices' parts added up (every component adds up over disjoint days)."""
    split = split_by_seller(records, list(quote_threads(records.quotes).values()))
    nothing = ScopeRecords([], [], [], [])
    chosen = list(slices)
    return {
        login: {period_key(m): period_part(records, split.get(login, nothing), m, True) for m in chosen}
        for login in sellers
    }


def slices_of(month: Period, today: date) -> list[Period]:
    """The slices a calendar month's parts are kept in as of `today`: a past month whole; the
    current one as its days before today and today itself (most changes are of the day: they
    remake only today's slice, whose records are few whatever the history); none for a month
    not begun (records are read up to today)."""
    if month.end < today:
        return [month]
    if month.start > today:
        return []
    before = [Period(month.start, today - timedelta(days=1))] if today > month.start else []
    return [*before, Period(today, today)]


def slices_in(period: Period, today: date) -> list[Period]:
    """The slices of a period made of whole calendar months (see `slices_of`)."""
    return [s for month in months_in(period) for s in slices_of(month, today)]


def kept_slices(periods: dict[str, tuple[Period, Period]], today: date) -> list[Period]:
    """Every slice of the periods as of `today`, in order."""
    found = {s for pair in periods.values() for p in pair for s in slices_in(p, today)}
    return sorted(found, key=lambda s: s.start)


def compute_snapshot(
    records: MetricRecords,
    sellers: list[str],
    periods: dict[str, tuple[Period, Period]],
    now: datetime,
    currency: str,
) -> dict[str, Any]:
    """The snapshot of already-read records (the part without I/O, timed by the bench)."""
    today = now.date()
    activity = activity_parts(records, sellers, kept_slices(periods, today))
    rates_now = rates_to(_currencies(records), currency, records.fx_rates, today)
    now_kept = now_parts(records, today, currency, rates_now)
    gaps_kept = gap_parts(records)
    return assemble(
        sellers, periods, now, currency, records.fx_rates, activity, now_kept, gaps_kept,
        records,
    )  # fmt: skip


def assemble(
    sellers: list[str],
    periods: dict[str, tuple[Period, Period]],
    now: datetime,
    currency: str,
    fx_rates: list[FxRate],
    activity: dict[str, dict[str, Part]],
    now_kept: dict[str, Part],
    gaps_kept: dict[str, Part],
    users: MetricRecords,
) -> dict[str, Any]:
    """The snapshot of `sellers` added up from their parts (computed now or kept); `users`
    gives their names, last syncs and teams."""
    today = now.date()
    seller_names, last_sync = users.seller_names, users.last_sync
    scopes: dict[str, list[str]] = {EVERYONE: sellers}
    if len(sellers) > 1:
        scopes |= {login: [login] for login in sellers}
    parents = {code: parent for code, (_, parent) in users.teams.items()}
    teams = teams_in_view(parents, {login: users.seller_teams.get(login) for login in sellers})
    scopes |= {metrics_team_scope(code): list(logins) for code, logins in teams.items()}
    figures: dict[str, Any] = {}
    for key, (current, previous) in periods.items():
        figures[key] = {}
        for name, period in (("current", current), ("previous", previous)):
            keys = [period_key(s) for s in slices_in(period, today)]
            parts = {login: [activity[login][k] for k in keys] for login in sellers}
            currencies = {c for kept in parts.values() for part in kept for c, _, _ in part["lost"]}
            rates = rates_to(currencies, currency, fx_rates, min(period.end, today))
            figures[key][name] = {
                scope: figures_of(
                    [p for login in logins for p in parts[login]], now, currency, rates, name == "current"
                )
                for scope, logins in scopes.items()
            }
    return {
        "as_of": now.isoformat(),
        "currency": currency,
        "sellers": [
            {
                "login": login,
                "name": seller_names.get(login, login),
                "last_sync": last_sync[login].isoformat() if login in last_sync else None,
            }
            for login in sellers
        ],
        "teams": [
            {
                "code": code,
                "name": users.teams.get(code, (code, None))[0],
                "parent_code": parents.get(code),
                "sellers": list(logins),
            }
            for code, logins in teams.items()
        ],  # fmt: skip
        "periods": {
            key: {"current": _days(current), "previous": _days(previous)}
            for key, (current, previous) in periods.items()
        },
        "figures": figures,
        "now": {
            scope: now_of(
                [now_kept[x] for x in logins if x in now_kept], [gaps_kept[x] for x in logins if x in gaps_kept]
            )
            for scope, logins in scopes.items()
        },
    }


def _days(period: Period) -> list[str]:
    return [period.start.isoformat(), period.end.isoformat()]


def _currencies(records: MetricRecords) -> set[str]:
    found = {q.currency for q in records.quotes}
    found |= {o.currency for o in records.opportunities}
    found |= {lost.currency for lost, _ in records.lost_sales}
    return found


__all__ = ["EVERYONE", "PERIODS", "activity_parts", "assemble", "compute_snapshot", "kept_slices", "period_key", "periods_of",
           "slices_in", "slices_of", "snapshot_for"]  # fmt: skip
