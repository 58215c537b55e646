"""The team's visits as a manager reads them: a feed with filters, and one visit with what
hangs off it. All from the device (a manager pulls her team's activity), so it works offline
on what was last synced.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from sqlite_utils import Database

from client.services.session import Session
from client.services.visit_comments import ThreadLine, thread
from client.store import FIELD_TABLES, record_from_row
from shared.errors import NotFound, ValidationFailed
from shared.models import Claim, CompetitorObservation, Visit, VisitOutcome
from shared.models.field import Opportunity, Quote

FEED_LIMIT = 200
_VISITS = FIELD_TABLES["visit"]
_COMMENTS = FIELD_TABLES["visit_comment"]
_QUOTES = FIELD_TABLES["quote"]


@dataclass(frozen=True, slots=True)
class VisitFilter:
    """What the manager narrows the feed to; empty fields narrow nothing."""

    seller: str = ""
    customer: str = ""
    """A name or code, or part of one."""
    since: date | None = None
    until: date | None = None
    outcome: VisitOutcome | None = None
    text: str = ""
    """Words in the purpose, the notes or the next step."""


@dataclass(frozen=True, slots=True)
class FeedVisit:
    """One visit in the feed, with counts of what was recorded on it."""

    visit: Visit
    seller_name: str
    customer_name: str
    observations: int
    claims: int
    comments: int
    unread: int

    @property
    def when(self) -> datetime | None:
        """When it happened, or when it is planned."""
        return self.visit.checked_in_at or self.visit.planned_at


@dataclass(frozen=True, slots=True)
class Feed:
    visits: tuple[FeedVisit, ...]
    sellers: tuple[tuple[str, str], ...]
    """(login, name) of every seller whose visits this device holds, for the seller filter."""
    more: bool
    """More visits match than the feed shows."""


@dataclass(frozen=True, slots=True)
class TeamVisit:
    """One visit as the manager reads it, with what was recorded on it and its thread."""

    visit: Visit
    seller_name: str
    customer_name: str
    observations: tuple[CompetitorObservation, ...]
    claims: tuple[Claim, ...]
    opportunities: tuple[Opportunity, ...]
    """The seller's opportunities for that customer."""
    quotes: tuple[Quote, ...]
    """The quotes started on the visit (the latest version of each)."""
    thread: tuple[ThreadLine, ...] = field(default=())


def team_feed(session: Session, wanted: VisitFilter, limit: int = FEED_LIMIT) -> Feed:
    """The visits that match, the newest first (planned ones by their planned time)."""
    if wanted.since and wanted.until and wanted.until < wanted.since:
        raise ValidationFailed("the end of the period is before its start", key="problem.feed.period_reversed")
    where, args = _conditions(wanted)
    with session.store.read() as db:
        rows = db.query(
            f"SELECT v.*, coalesce(u.name, v.seller_login) AS seller_name, coalesce(k.legal_name, v.customer_code) "
            f'AS customer_name, (SELECT count(*) FROM "{FIELD_TABLES["competitor_observation"]}" o WHERE o.visit_id = v.id) '
            f'AS n_observations, (SELECT count(*) FROM "{FIELD_TABLES["claim"]}" c WHERE c.visit_id = v.id) AS n_claims, '
            f'(SELECT count(*) FROM "{_COMMENTS}" m WHERE m.visit_id = v.id) AS n_comments, '
            f'(SELECT count(*) FROM "{_COMMENTS}" m WHERE m.visit_id = v.id AND m.author_login <> ? AND NOT EXISTS '
            "(SELECT 1 FROM comment_reads r WHERE r.comment_id = m.id)) AS n_unread "
            f'FROM "{_VISITS}" v LEFT JOIN users u ON u.login = v.seller_login '
            f"LEFT JOIN customers k ON k.code = v.customer_code WHERE {where} "
            "ORDER BY coalesce(v.checked_in_at, v.planned_at) DESC, v.id DESC LIMIT ?",
            [session.login, *args, limit + 1],
        )
        found = [
            FeedVisit(
                record_from_row(Visit, r),
                r["seller_name"],
                r["customer_name"],
                r["n_observations"],
                r["n_claims"],
                r["n_comments"],
                r["n_unread"],
            )
            for r in rows
        ]
        sellers = _sellers(db)
    return Feed(tuple(found[:limit]), sellers, len(found) > limit)


def team_visit(session: Session, visit_id: UUID) -> TeamVisit:
    """One visit with its observations, claims, the opportunities and quotes around it, and its thread."""
    with session.store.read() as db:
        rows = list(db.query(f'SELECT * FROM "{_VISITS}" WHERE id = ?', [str(visit_id)]))
        if not rows:
            raise NotFound(f"visit {visit_id} is not on this device", key="problem.visit.not_on_device")
        visit = record_from_row(Visit, rows[0])
        seller = db.execute("SELECT name FROM users WHERE login = ?", [visit.seller_login]).fetchone()
        customer = db.execute("SELECT legal_name FROM customers WHERE code = ?", [visit.customer_code]).fetchone()
        return TeamVisit(
            visit,
            seller[0] if seller else visit.seller_login,
            customer[0] if customer else visit.customer_code,
            _linked(db, CompetitorObservation, "competitor_observation", visit_id),
            _linked(db, Claim, "claim", visit_id),
            tuple(
                record_from_row(Opportunity, r)
                for r in db.query(
                    f'SELECT * FROM "{FIELD_TABLES["opportunity"]}" WHERE customer_code = ? AND seller_login = ? '
                    "ORDER BY id",
                    [visit.customer_code, visit.seller_login],
                )
            ),
            tuple(
                record_from_row(Quote, r)
                for r in db.query(
                    f'SELECT * FROM "{_QUOTES}" q WHERE q.visit_id = ? AND q.version = '
                    f'(SELECT max(v.version) FROM "{_QUOTES}" v WHERE v.number = q.number) ORDER BY q.number',
                    [str(visit_id)],
                )
            ),
            thread(db, visit_id, session.login),
        )


def _conditions(wanted: VisitFilter) -> tuple[str, list[object]]:
    # Only visits that took place or are planned: a bare record with neither says nothing.
    where = ["(v.checked_in_at IS NOT NULL OR v.planned_at IS NOT NULL)"]
    args: list[object] = []
    if wanted.seller:
        where.append("v.seller_login = ?")
        args.append(wanted.seller)
    if wanted.customer.strip():
        where.append("(k.legal_name LIKE ? OR k.trade_name LIKE ? OR v.customer_code LIKE ?)")
        args += [f"%{wanted.customer.strip()}%"] * 3
    moment = "coalesce(v.checked_in_at, v.planned_at)"
    if wanted.since:
        where.append(f"{moment} >= ?")
        args.append(datetime.combine(wanted.since, time.min, UTC).isoformat())
    if wanted.until:
        where.append(f"{moment} < ?")
        args.append(datetime.combine(wanted.until + timedelta(days=1), time.min, UTC).isoformat())
    if wanted.outcome:
        where.append("v.outcome = ?")
        args.append(wanted.outcome.value)
    if wanted.text.strip():
        where.append("(v.notes LIKE ? OR v.purpose LIKE ? OR v.next_step LIKE ?)")
        args += [f"%{wanted.text.strip()}%"] * 3
    return " AND ".join(where), args


def _sellers(db: Database) -> tuple[tuple[str, str], ...]:
    rows = db.execute(
        f'SELECT DISTINCT v.seller_login, coalesce(u.name, v.seller_login) FROM "{_VISITS}" v '
        "LEFT JOIN users u ON u.login = v.seller_login ORDER BY 2"
    ).fetchall()
    return tuple((r[0], r[1]) for r in rows)


def _linked(db: Database, model, entity: str, visit_id: UUID) -> tuple:
    return tuple(
        record_from_row(model, r)
        for r in db.query(f'SELECT * FROM "{FIELD_TABLES[entity]}" WHERE visit_id = ? ORDER BY id', [str(visit_id)])
    )


__all__ = ["FEED_LIMIT", "Feed", "FeedVisit", "TeamVisit", "VisitFilter", "team_feed", "team_visit"]
