"""The metrics snapshot a device keeps so its dashboard opens offline (docs/metrics.md).

A snapshot holds, for the caller's scope (`scope.sellers_in_scope`), this month and this
quarter each with the period before, the figures of everyone in view and of each seller,
the readings of now (pipeline, dormant customers, unpenetrated categories), the records
behind each number of the current periods, each seller's last sync and the time it was
computed ("as of"). It is JSON: Decimals travel as strings.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from shared.rules.metrics import Period, month_of, previous_of, quarter_of, quote_threads, rates_to
from sync_server.repository.database import Connection
from sync_server.repository.metric_reads import MetricRecords, read_metric_records
from sync_server.services.auth import Principal
from sync_server.services.metric_figures import (
    Scope,
    ScopeRecords,
    now_figures,
    now_readings,
    period_figures,
    root_categories,
    split_by_seller,
)
from sync_server.services.scope import sellers_in_scope

EVERYONE = "all"
"""The scope key of everyone in view (the only one in a seller's own snapshot)."""
PERIODS = {"month": month_of, "quarter": quarter_of}


def periods_of(today: date) -> dict[str, tuple[Period, Period]]:
    """The dashboard's periods holding `today`, each with the one before."""
    return {key: (make(today), previous_of(make(today))) for key, make in PERIODS.items()}


def build_snapshot(conn: Connection, principal: Principal, now: datetime, currency: str) -> dict[str, Any]:
    """The caller's metrics snapshot, computed now."""
    return snapshot_for(conn, sellers_in_scope(conn, principal), now, currency)


def snapshot_for(conn: Connection, sellers: list[str], now: datetime, currency: str) -> dict[str, Any]:
    """The metrics snapshot of `sellers` (see the module docstring)."""
    today = now.date()
    periods = periods_of(today)
    first = min(previous.start for _, previous in periods.values())
    records = read_metric_records(conn, sellers, first, today, today)
    return compute_snapshot(records, sellers, periods, now, currency)


def compute_snapshot(
    records: MetricRecords,
    sellers: list[str],
    periods: dict[str, tuple[Period, Period]],
    now: datetime,
    currency: str,
) -> dict[str, Any]:
    """The snapshot of already-read records (the part without I/O, timed by the bench)."""
    today = now.date()
    threads = list(quote_threads(records.quotes).values())
    scopes = {EVERYONE: Scope(None)}
    if len(sellers) > 1:
        scopes |= {login: Scope(frozenset({login})) for login in sellers}
    split = split_by_seller(records, threads)
    nobody = ScopeRecords([], [], [], [])
    currencies = _currencies(records)
    figures: dict[str, Any] = {}
    for key, (current, previous) in periods.items():
        figures[key] = {}
        for name, period in (("current", current), ("previous", previous)):
            rates = _rates(records, currencies, currency, min(period.end, today))
            figures[key][name] = {
                scope_key: period_figures(
                    records,
                    split.get(None if scope_key == EVERYONE else scope_key, nobody),
                    period,
                    now,
                    currency,
                    rates,
                    name == "current",
                )  # fmt: skip
                for scope_key in scopes
            }
    rates_now = _rates(records, currencies, currency, today)
    readings = now_readings(records, today, currency, rates_now, root_categories(records.category_parent))
    return {
        "as_of": now.isoformat(),
        "currency": currency,
        "sellers": [
            {
                "login": login,
                "name": records.seller_names.get(login, login),
                "last_sync": records.last_sync[login].isoformat() if login in records.last_sync else None,
            }
            for login in sellers
        ],
        "periods": {
            key: {"current": _days(current), "previous": _days(previous)}
            for key, (current, previous) in periods.items()
        },
        "figures": figures,
        "now": {scope_key: now_figures(records, readings, scope) for scope_key, scope in scopes.items()},
    }


def _days(period: Period) -> list[str]:
    return [period.start.isoformat(), period.end.isoformat()]


def _currencies(records: MetricRecords) -> set[str]:
    found = {q.currency for q in records.quotes}
    found |= {o.currency for o in records.opportunities}
    found |= {lost.currency for lost, _ in records.lost_sales}
    return found


def _rates(records: MetricRecords, currencies: set[str], currency: str, on: date) -> dict[str, Decimal]:
    return rates_to(currencies, currency, records.fx_rates, on)


__all__ = ["EVERYONE", "PERIODS", "build_snapshot", "compute_snapshot", "periods_of", "snapshot_for"]
