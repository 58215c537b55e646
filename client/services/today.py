"""The seller's day: planned and open visits, alerts that matter now, dormant customers to call.

Everything is read from the device; quote tables are read only once their migration has
created them (a device on an older schema simply shows no quote alerts).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlite_utils import Database

from client.services.session import Session
from client.services.visit_comments import unread_comments
from client.store import list_issues
from shared.models import QuoteStatus
from shared.rules.activity import dormant_before

QUOTE_EXPIRY_DAYS = 7
"""A sent or approved quote whose validity ends within this many days is worth a call."""
RECENT_DECISION_DAYS = 7
"""Approval decisions younger than this are news."""
DORMANT_LIMIT = 10


class AlertKind(StrEnum):
    """What an alert on Today is about (the UI words each kind in the seller's language)."""

    BLOCKED = "blocked"
    APPROVAL_DECIDED = "approval_decided"
    QUOTE_EXPIRING = "quote_expiring"
    EMAIL_FAILED = "email_failed"
    SYNC_REJECTED = "sync_rejected"
    COMMENT = "comment"


@dataclass(frozen=True, slots=True)
class VisitItem:
    """A visit planned for today or earlier and not started, or one checked in and not out."""

    id: str
    customer_code: str
    customer_name: str
    planned_at: datetime | None
    checked_in_at: datetime | None
    purpose: str

    @property
    def is_open(self) -> bool:
        """Checked in and not yet checked out."""
        return self.checked_in_at is not None


@dataclass(frozen=True, slots=True)
class Alert:
    """Something that needs the seller now; `detail` holds the data's own words."""

    kind: AlertKind
    customer_code: str | None
    customer_name: str
    detail: str
    reference: str | None = None
    """The quote number, decision or sync issue id the alert is about."""
    code: str | None = None
    """A refused change: the server's error code, message key and values (see shared.messages)."""
    key: str | None = None
    params: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class DormantCustomer:
    """A customer who used to buy and stopped: worth a call."""

    code: str
    name: str
    city: str
    phone: str
    last_invoice_date: date
    lifetime_sales: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Today:
    """Everything on the Today screen."""

    visits: tuple[VisitItem, ...]
    alerts: tuple[Alert, ...]
    dormant: tuple[DormantCustomer, ...]


def today_agenda(session: Session, now: datetime | None = None) -> Today:
    """The user's own day as this device knows it (no network). A manager's device holds her
    team's visits, quotes and customers too: only her own are her day."""
    now = now or datetime.now(UTC)
    with session.store.read() as db:
        return Today(
            visits=tuple(_visits(db, session.login, now)),
            alerts=tuple(
                _comments(db, session.login)
                + _blocked(db, session.login)
                + _quote_alerts(db, session.login, now)
                + _rejected(db)
            ),
            dormant=tuple(_dormant(db, session.login, now.date())),
        )


def has_table(db: Database, name: str) -> bool:
    """Whether the device's schema has this table yet (quote tables arrive with a migration)."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone() is not None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _visits(db: Database, login: str, now: datetime) -> list[VisitItem]:
    end_of_day = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC).isoformat()
    rows = db.execute(
        "SELECT v.id, v.customer_code, coalesce(c.legal_name, v.customer_code), v.planned_at, v.checked_in_at, "
        "coalesce(v.purpose, '') FROM visits v LEFT JOIN customers c ON c.code = v.customer_code "
        "WHERE v.seller_login = ? AND v.checked_out_at IS NULL AND (v.checked_in_at IS NOT NULL OR v.planned_at < ?) "
        "ORDER BY v.checked_in_at IS NULL, coalesce(v.checked_in_at, v.planned_at) LIMIT 50",
        [login, end_of_day],
    ).fetchall()
    return [VisitItem(r[0], r[1], r[2], _moment(r[3]), _moment(r[4]), r[5]) for r in rows]


def _blocked(db: Database, login: str) -> list[Alert]:
    # Blocked customers the seller is working with: a visit on record or an open opportunity.
    rows = db.execute(
        "SELECT c.code, c.legal_name, coalesce(cr.block_reason, '') FROM credit cr JOIN customers c ON c.code = "
        "cr.customer_code WHERE cr.blocked = 1 AND c.seller_login = ? AND (EXISTS (SELECT 1 FROM visits v WHERE v.customer_code = c.code) "
        "OR EXISTS (SELECT 1 FROM opportunities o WHERE o.customer_code = c.code AND o.stage NOT IN ('won', 'lost'))) "
        "ORDER BY c.legal_name LIMIT 20",
        [login],
    ).fetchall()
    return [Alert(AlertKind.BLOCKED, r[0], r[1], r[2]) for r in rows]


def _quote_alerts(db: Database, login: str, now: datetime) -> list[Alert]:
    if not has_table(db, "quotes"):
        return []
    alerts = []
    today = now.date()
    rows = db.execute(
        "SELECT q.customer_code, coalesce(c.legal_name, q.customer_code), q.number, q.valid_until FROM quotes q "
        "LEFT JOIN customers c ON c.code = q.customer_code WHERE q.status IN (?, ?) "
        "AND q.valid_until BETWEEN ? AND ? AND q.seller_login = ? ORDER BY q.valid_until LIMIT 20",
        [
            QuoteStatus.SENT.value,
            QuoteStatus.APPROVED.value,
            today.isoformat(),
            (today + timedelta(days=QUOTE_EXPIRY_DAYS)).isoformat(),
            login,
        ],
    ).fetchall()
    alerts += [Alert(AlertKind.QUOTE_EXPIRING, r[0], r[1], r[3], r[2]) for r in rows]
    if has_table(db, "approval_decisions") and has_table(db, "approval_requests"):
        since = (now - timedelta(days=RECENT_DECISION_DAYS)).isoformat()
        rows = db.execute(
            "SELECT q.customer_code, coalesce(c.legal_name, q.customer_code), q.number, d.decision FROM "
            "approval_decisions d JOIN approval_requests r ON r.id = d.request_id JOIN quotes q ON q.id = r.quote_id "
            "LEFT JOIN customers c ON c.code = q.customer_code WHERE r.requested_by = ? AND d.decided_at >= ? "
            "ORDER BY d.decided_at DESC LIMIT 20",
            [login, since],
        ).fetchall()
        alerts += [Alert(AlertKind.APPROVAL_DECIDED, r[0], r[1], r[3], r[2]) for r in rows]
    if has_table(db, "email_deliveries"):
        rows = db.execute(
            "SELECT q.customer_code, coalesce(c.legal_name, q.customer_code), q.number, "
            "coalesce(e.failure_reason, '') FROM email_deliveries e JOIN quotes q ON q.id = e.quote_id "
            "LEFT JOIN customers c ON c.code = q.customer_code WHERE e.status = 'failed' AND q.seller_login = ? LIMIT 20",
            [login],
        ).fetchall()
        alerts += [Alert(AlertKind.EMAIL_FAILED, r[0], r[1], r[3], r[2]) for r in rows]
    return alerts


def _comments(db: Database, login: str) -> list[Alert]:
    # Unread lines on the seller's visits (her manager's comments) and, for a manager, the
    # replies on visits she commented on: first, since someone is waiting for an answer.
    if not has_table(db, "comment_reads"):
        return []
    return [
        Alert(
            AlertKind.COMMENT,
            c.customer_code,
            c.customer_name,
            c.text,
            c.visit_id,
            params={"author": c.author_name, "visit_seller": c.visit_seller},
        )
        for c in unread_comments(db, login)
    ]


def _rejected(db: Database) -> list[Alert]:
    # One alert a record, as the Sync screen shows them (the latest refusal's reason).
    latest = {i.looked_at_as: i for i in list_issues(db) if i.kind == "rejected"}
    return [
        Alert(AlertKind.SYNC_REJECTED, None, "", issue.detail, str(issue.id), issue.code, issue.key, issue.params)
        for issue in latest.values()
    ]


def _dormant(db: Database, login: str, today: date) -> list[DormantCustomer]:
    # The most valuable lapsed customers first: they are the calls worth making. The REAL sum
    # only orders the rows; the amount shown is summed exactly, as Decimals, from the strings.
    before = dormant_before(today).isoformat()
    rows = db.execute(
        "SELECT c.code, c.legal_name, coalesce(c.city, ''), coalesce(c.phone, ''), i.last_date, i.total, "
        "c.currency FROM (SELECT customer_code, max(issue_date) AS last_date, "
        "sum(CAST(net_amount AS REAL)) AS rank_total, group_concat(net_amount, '|') AS total "
        "FROM invoices GROUP BY customer_code HAVING max(issue_date) < ?) i "
        "JOIN customers c ON c.code = i.customer_code WHERE c.seller_login = ? ORDER BY i.rank_total DESC LIMIT ?",
        [before, login, DORMANT_LIMIT],
    ).fetchall()
    return [
        DormantCustomer(
            r[0],
            r[1],
            r[2],
            r[3],
            date.fromisoformat(r[4]),
            sum((Decimal(x) for x in r[5].split("|")), Decimal(0)),
            r[6],
        )
        for r in rows
    ]


__all__ = ["AlertKind", "Alert", "DormantCustomer", "Today", "VisitItem", "has_table", "today_agenda"]
