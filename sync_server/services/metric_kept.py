"""The dashboard's figures kept per seller and updated from the change log (docs/metrics.md "Cost").

`kept_snapshot` is what `GET /v1/metrics` answers: it first applies the changes the kept parts
do not follow yet (`update_kept`), makes the parts still missing (a seller never asked for, a
new period, a new day for the readings of now) and adds the parts up (`metrics.assemble`).
So a snapshot is always as of its request: no change is left out, and every figure equals
what `metrics.snapshot_for` computes from all the records at once (tests/sync_server/
test_metrics_kept.py). Applying changes drops only the parts they touch: a seller's push
moves her own parts (and those of whoever shares a quote number with her); ERP data
(customers, invoices, orders, products, categories, rates) may move anyone's, and drops all.
The server's `keep-metrics` job (`keep_up`) applies the changes of pushes and imports every
`metrics_update_seconds` and makes the day's parts, so a request seldom pays for them.
"""

import hashlib
import logging
from datetime import date, datetime
from typing import Any

from shared.rules.activity import is_dormant
from shared.rules.metric_filters import EVERYTHING, MetricFilter
from shared.rules.metrics import Period, rates_to
from sync_server.repository import metric_parts as store
from sync_server.repository.database import Connection, Engine, write_transaction
from sync_server.repository.metric_filter_reads import filter_choices
from sync_server.repository.metric_reads import read_fx_rates, read_metric_records
from sync_server.services.auth import Principal
from sync_server.services.metric_figures import Part
from sync_server.services.metric_narrowing import gap_records, read_narrowed
from sync_server.services.metric_now import gap_parts, now_parts
from sync_server.services.metrics import activity_parts, assemble, kept_slices, period_key, periods_of, slices_in
from sync_server.services.scope import sellers_in_scope

NOW_PART, GAPS_PART = "now", "gaps"
ROWS = "#rows"
"""After a month's name: the records behind its numbers, kept apart."""
_log = logging.getLogger(__name__)


def build_kept_snapshot(conn: Connection, principal: Principal, now: datetime, currency: str) -> dict[str, Any]:
    """The caller's metrics snapshot from the kept parts (in a write transaction), with the
    segments and categories it may be narrowed to (`metric_filtered`)."""
    sellers = sellers_in_scope(conn, principal)
    return kept_snapshot(conn, sellers, now, currency) | {"choices": filter_choices(conn, sellers)}


def update_kept(conn: Connection, now: datetime, currency: str) -> set[str]:
    """Apply the changes the kept parts do not follow yet: drop the parts they touch and make
    again those of the sellers whose activity moved (the others are made when asked for).
    Returns those sellers."""
    store.lock_parts(conn)
    newest = store.newest_seq(conn)
    applied = store.applied_seq(conn)
    if applied is not None and applied >= newest:
        return set()
    touched = store.changed_since(conn, applied, newest) if applied is not None else store.Touched(everything=True)
    today = now.date()
    slices = kept_slices(periods_of(today), today)
    if touched.everything:
        # ERP data (an import): every part is made again, the readings of now too
        activity = set(store.kept_sellers(conn))
        store.drop_parts(conn, None)
    else:
        activity = set(touched.since)
        dropped: dict[tuple[str, ...], list[str]] = {}
        for login, day in touched.since.items():  # only the slices from the first day that moved
            moved = [period_key(s) for s in slices if day is None or s.end >= day]
            dropped.setdefault(tuple(moved + [key + ROWS for key in moved]), []).append(login)
        for names, logins in dropped.items():  # sellers who moved from the same day: one statement
            store.drop_parts(conn, logins, names)
        store.drop_parts(conn, _readings_moved(conn, touched, today), names=(NOW_PART,))
    store.set_applied_seq(conn, newest)
    if activity:
        _make_missing(conn, sorted(activity), now, currency, with_readings=touched.everything, read=False)
    return activity


def _readings_moved(conn: Connection, touched: store.Touched, today: date) -> set[str]:
    """The sellers whose readings of now moved: the holders of customers whose opportunities
    changed (pipeline), or dormant and visited or quoted (followed up)."""
    last = store.last_invoices(conn, touched.touched_customers)
    dormant = {code for code, day in last.items() if is_dormant(day, today)}
    return store.holders(conn, touched.opportunity_customers | dormant) | touched.readings_gone


def keep_up(engine: Engine, now: datetime, currency: str) -> None:
    """The server's job (`jobs.py`): apply the changes of pushes and imports to the kept parts
    and make the day's parts of every seller figures were asked of, in a transaction of its
    own, so that snapshots seldom pay for it; a failure is logged and left for the next run
    or snapshot (which apply what it could not)."""
    try:
        with write_transaction(engine) as conn:
            update_kept(conn, now, currency)
            # yesterday's slices and months out of the periods are named no more
            store.drop_parts(conn, None, but_not=_names(now.date())[2])
            _make_missing(conn, store.kept_sellers(conn), now, currency, with_readings=True, read=False)
    except Exception:  # the database may be restarting: the next run or snapshot catches up
        _log.exception("keeping the metrics parts up to date failed; the next run catches up")


def kept_snapshot(
    conn: Connection, sellers: list[str], now: datetime, currency: str, where: MetricFilter = EVERYTHING
) -> dict[str, Any]:
    """The snapshot of `sellers` added up from kept parts, made or updated where needed;
    narrowed by `where` from the parts kept for it (docs/metrics.md, "Segment and category")."""
    update_kept(conn, now, currency)
    parts = _make_missing(conn, sellers, now, currency, with_readings=True, where=where)
    today = now.date()
    periods = periods_of(today)
    first = min(previous.start for _, previous in periods.values())
    users = read_metric_records(conn, sellers, today, today, today, activity=False, portfolios=False)
    activity = {login: {name: part for (who, name), part in parts.items() if who == login} for login in sellers}
    readings = {name: {who: part for (who, n), part in parts.items() if n == name and part}
                for name in (NOW_PART, GAPS_PART)}  # fmt: skip
    return assemble(sellers, periods, now, currency, read_fx_rates(conn, first, today), activity,
                    readings[NOW_PART], readings[GAPS_PART], users)  # fmt: skip


def _names(today: date) -> tuple[list[Period], set[str], list[str]]:
    """Today's slices, the names of those whose rows are kept (the current periods') and every
    part name kept today."""
    periods = periods_of(today)
    slices = kept_slices(periods, today)
    # the records behind the numbers are kept apart and read only for the current periods
    with_rows = {period_key(s) for current, _ in periods.values() for s in slices_in(current, today)}
    names = [period_key(s) for s in slices] + [key + ROWS for key in sorted(with_rows)]
    return slices, with_rows, [*names, NOW_PART, GAPS_PART]


def _mark(where: MetricFilter) -> str:
    """What follows a part's name when it is narrowed by `where` (short: names are bounded)."""
    if not where.is_any:
        return ""
    digest = hashlib.sha1(f"{where.segment or ''}\x1f{where.category or ''}".encode(), usedforsecurity=False)
    return store.FILTERED + digest.hexdigest()[:10]


def _make_missing(
    conn: Connection,
    sellers: list[str],
    now: datetime,
    currency: str,
    with_readings: bool,
    read: bool = True,
    where: MetricFilter = EVERYTHING,
) -> dict[tuple[str, str], Part]:
    """The kept parts of `sellers` for today's slices (and readings of now), narrowed by
    `where`, making those missing; with `read` False, only those made (the others are not
    read). Parts are named here as without a filter; the store's names carry its mark."""
    today = now.date()
    mark = _mark(where)
    slices, with_rows, names = _names(today)
    if not with_readings:
        names = [name for name in names if name not in (NOW_PART, GAPS_PART)]
    by_name = {period_key(s): s for s in slices} | {period_key(s) + ROWS: s for s in slices}
    kept = {
        (login, name.removesuffix(mark) if mark else name): found
        for (login, name), found in store.read_parts(conn, sellers, [n + mark for n in names], with_data=read).items()
    }
    # The readings of now are of one day (dormancy and the last 12 months' purchases move with
    # it); so is a slice read up to an earlier day (a record dated ahead by a device's clock
    # counts once its day has come, as when computed whole).
    kept = {
        key: v
        for key, v in kept.items()
        if v[1].date() >= today or (key[1] in by_name and by_name[key[1]].end < v[1].date())
    }
    # a slice of the current periods is kept only with its rows
    present = {
        key for key in kept
        if not key[1].endswith(ROWS) and (key[1] not in with_rows or (key[0], key[1] + ROWS) in kept)
    }  # fmt: skip
    made: dict[tuple[str, str], Part] = {}
    lacking = sorted({login for login in sellers if any((login, period_key(s)) not in present for s in slices)})
    if lacking:
        # only the slices some seller lacks, read from the first of them (a push of the day
        # reads the day, not the half year)
        missing = [s for s in slices if any((login, period_key(s)) not in present for login in lacking)]
        records = read_metric_records(conn, lacking, missing[0].start, today, today, portfolios=False)
        records = read_narrowed(conn, records, where)
        for login, by_slice in activity_parts(records, lacking, missing).items():
            made |= {(login, name): part for name, part in by_slice.items()}
    for name in (NOW_PART, GAPS_PART) if with_readings else ():
        if lacking_now := sorted({login for login in sellers if (login, name) not in present}):
            made |= _readings(conn, name, lacking_now, now, currency, where)
    store.write_parts(
        conn, {(login, name + mark): part for (login, name), part in _rows_apart(made, with_rows).items()}, now
    )
    if not read:
        return made
    parts = {key: kept[key][0] for key in present}
    for login, key in present:
        if key in with_rows:
            parts[(login, key)]["rows"] = kept[(login, key + ROWS)][0]
    return parts | made


def _rows_apart(made: dict[tuple[str, str], Part], with_rows: set[str]) -> dict[tuple[str, str], Part]:
    """Parts as kept: a month's rows apart (kept for the current periods' months only)."""
    kept: dict[tuple[str, str], Part] = {}
    for (login, key), part in made.items():
        if "rows" in part:
            if key in with_rows:
                kept[(login, key + ROWS)] = part["rows"]
            part = {k: v for k, v in part.items() if k != "rows"}
        kept[(login, key)] = part
    return kept


def _readings(
    conn: Connection, name: str, sellers: list[str], now: datetime, currency: str, where: MetricFilter
) -> dict[tuple[str, str], Part]:
    today = now.date()
    records = read_metric_records(conn, sellers, today, today, today, activity=False, segments=name == GAPS_PART)
    if name == GAPS_PART:
        made = gap_parts(gap_records(records, where), where.category)
    else:
        records = read_narrowed(conn, records, where)
        rates = rates_to({o.currency for o in records.opportunities}, currency, records.fx_rates, today)
        made = now_parts(records, today, currency, rates)
    # a seller holding no customer has an empty part: kept too, so she is not read again
    return {(login, name): made.get(login, {}) for login in sellers}


__all__ = ["GAPS_PART", "NOW_PART", "build_kept_snapshot", "kept_snapshot", "keep_up", "update_kept"]
