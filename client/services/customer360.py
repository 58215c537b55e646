"""Customer 360: credit panel, commercial timeline, sales by category, open business, contacts.

One read transaction per screen; amounts are summed as Decimals from their stored strings.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from uuid import UUID

from sqlite_utils import Database

from client.services.competitor_prices import PriceGap, lost_price_gaps
from client.services.order_progress import ordered_invoices, step_time
from client.services.portfolio import CustomerDetail, get_customer
from client.services.session import Session
from client.services.today import has_table
from client.store import record_from_row
from shared.models import Opportunity
from shared.models.field import LostSale
from shared.rules.credit_ageing import AgeBucket
from shared.rules.quote_lifecycle import IN_PROGRESS_STATUSES

SALES_MONTHS = 12
TIMELINE_LIMIT = 60
OPEN_QUOTE_STATUSES = tuple(s.value for s in IN_PROGRESS_STATUSES)


@dataclass(frozen=True, slots=True)
class CategorySales:
    """Net sales of one top-level category in the period; zero for a category not bought."""

    code: str
    name: str
    amount: Decimal
    share: Decimal
    """Amount over the best category's amount (0–1): the bar's length."""


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event in the customer's history, newest first; `kind` names it for the UI."""

    at: datetime
    kind: str
    title: str
    detail: str = ""
    amount: Decimal | None = None
    currency: str | None = None
    status: str | None = None
    """An enum value of the event: visit outcome, stage, quote status, decision, delivery status."""
    reference: str | None = None
    lost_reason: str | None = None
    """Why a lost quote was lost (a LostReason value), with whom and at what price if known."""
    competitor: str = ""
    competitor_price: Decimal | None = None
    quantity: Decimal | None = None
    """Units an order step covers (a partial dispatch), when the ERP says."""
    order: str | None = None
    """An invoice that invoices a Terreno order, or a payment that collects it: the order's
    quote number (or the ERP's order number, '' if neither is known). None: no order."""


@dataclass(frozen=True, slots=True)
class QuoteSummary:
    """An open quote's last version."""

    id: str
    number: str
    version: int
    status: str
    gross_total: Decimal
    currency: str
    valid_until: date


@dataclass(frozen=True, slots=True)
class Customer360:
    """Everything the Customer 360 screen shows."""

    detail: CustomerDetail
    overdue_by_age: tuple[AgeBucket, ...]
    """The overdue figure's age buckets as of the day (they add up to it, with `detail.overdue.not_itemised`)."""
    timeline: tuple[TimelineEntry, ...]
    sales_by_category: tuple[CategorySales, ...]
    sales_since: date
    open_opportunities: tuple[Opportunity, ...]
    open_quotes: tuple[QuoteSummary, ...]
    lost_for_stock: tuple[LostSale, ...] = ()
    """Lines the customer dropped for lack of stock, newest first."""
    lost_to_competitors: tuple[PriceGap, ...] = ()
    """Lines of lost quotes with the competitor's unit price beside ours, newest first."""


def customer_360(session: Session, code: str, *, as_of: date | None = None) -> Customer360:
    """The customer's whole picture from the device; NotFound if not in the portfolio."""
    as_of = as_of or datetime.now(UTC).date()
    detail = get_customer(session.store, code, as_of=as_of)
    since = _months_before(as_of, SALES_MONTHS)
    with session.store.read() as db:
        return Customer360(
            detail=detail,
            overdue_by_age=detail.overdue.buckets,
            timeline=tuple(_timeline(db, code)),
            sales_by_category=tuple(_sales_by_category(db, code, since)),
            sales_since=since,
            open_opportunities=tuple(
                record_from_row(Opportunity, r)
                for r in db.query(
                    "SELECT * FROM opportunities WHERE customer_code = ? AND stage NOT IN ('won', 'lost') "
                    "ORDER BY id DESC",
                    [code],
                )
            ),
            open_quotes=tuple(_open_quotes(db, code)),
            lost_for_stock=tuple(
                record_from_row(LostSale, r)
                for r in db.query("SELECT * FROM lost_sales WHERE customer_code = ? ORDER BY id DESC", [code])
            ),
            lost_to_competitors=tuple(lost_price_gaps(db, code)),
        )


def created_at(record_id: str | UUID) -> datetime | None:
    """When a device created a record, read from its UUID v7 id (None for other ids)."""
    try:
        value = record_id if isinstance(record_id, UUID) else UUID(str(record_id))
    except ValueError:
        return None
    if value.version != 7:
        return None
    return datetime.fromtimestamp((value.int >> 80) / 1000, UTC)


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    return date(month_index // 12, month_index % 12 + 1, 1)


def _roots(db: Database) -> tuple[dict[str, str], dict[str, str]]:
    parents, names = {}, {}
    for code, name, parent in db.execute("SELECT code, name, parent_code FROM categories").fetchall():
        parents[code], names[code] = parent, name

    def root(code: str) -> str:
        seen = set()
        while parents.get(code) and code not in seen:  # a cycle in bad data must not hang the screen
            seen.add(code)
            code = parents[code]
        return code

    return {code: root(code) for code in parents}, names


def _sales_by_category(db: Database, code: str, since: date) -> list[CategorySales]:
    root_of, names = _roots(db)
    totals: dict[str, Decimal] = {code: Decimal(0) for code in set(root_of.values())}
    rows = db.execute(
        "SELECT p.category_code, l.net_amount FROM invoices i JOIN invoice_lines l ON l.invoice_number = i.number "
        "JOIN products p ON p.sku = l.sku WHERE i.customer_code = ? AND i.issue_date >= ?",
        [code, since.isoformat()],
    ).fetchall()
    for category, amount in rows:
        root = root_of.get(category, category)
        totals[root] = totals.get(root, Decimal(0)) + Decimal(amount)
    best = max(totals.values(), default=Decimal(0))
    ordered = sorted(totals.items(), key=lambda item: (-item[1], names.get(item[0], item[0])))
    return [
        CategorySales(c, names.get(c, c), amount, (amount / best) if best > 0 else Decimal(0)) for c, amount in ordered
    ]


def _open_quotes(db: Database, code: str) -> list[QuoteSummary]:
    if not has_table(db, "quotes"):
        return []
    marks = ", ".join("?" for _ in OPEN_QUOTE_STATUSES)
    rows = db.execute(
        f"SELECT id, number, version, status, gross_total, currency, valid_until FROM quotes q "
        f"WHERE customer_code = ? AND status IN ({marks}) AND version = (SELECT max(version) FROM quotes x "
        f"WHERE x.number = q.number) ORDER BY valid_until",
        [code, *OPEN_QUOTE_STATUSES],
    ).fetchall()
    return [QuoteSummary(r[0], r[1], int(r[2]), r[3], Decimal(r[4] or 0), r[5], date.fromisoformat(r[6])) for r in rows]


def _day(text: str) -> datetime:
    return datetime.combine(date.fromisoformat(text), time(12), UTC)


def _timeline(db: Database, code: str) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    limit = [code, TIMELINE_LIMIT]
    for r in db.execute(
        "SELECT id, planned_at, checked_in_at, purpose, outcome, notes FROM visits "
        "WHERE customer_code = ? ORDER BY coalesce(checked_in_at, planned_at) DESC LIMIT ?",
        limit,
    ):
        at = r[2] or r[1]
        entries.append(
            TimelineEntry(
                datetime.fromisoformat(at) if at else created_at(r[0]) or _epoch(),
                "visit",
                r[3] or "",
                r[5] or "",
                status=r[4],
                reference=r[0],
            )
        )
    for r in db.execute(
        "SELECT id, competitor, observed_price, currency, notes FROM competitor_observations "
        "WHERE customer_code = ? ORDER BY id DESC LIMIT ?",
        limit,
    ):
        entries.append(
            TimelineEntry(
                created_at(r[0]) or _epoch(),
                "observation",
                r[1],
                r[4] or "",
                Decimal(r[2]) if r[2] else None,
                r[3],
                reference=r[0],
            )
        )
    for r in db.execute(
        "SELECT id, title, stage, value, currency FROM opportunities WHERE customer_code = ? ORDER BY id DESC LIMIT ?",
        limit,
    ):
        entries.append(
            TimelineEntry(
                created_at(r[0]) or _epoch(), "opportunity", r[1], "", Decimal(r[3]), r[4], r[2], reference=r[0]
            )
        )
    for r in db.execute(
        "SELECT id, kind, description, invoice_number FROM claims WHERE customer_code = ? ORDER BY id DESC LIMIT ?",
        limit,
    ):
        entries.append(TimelineEntry(created_at(r[0]) or _epoch(), "claim", r[2], status=r[1], reference=r[3]))
    orders = _order_names(db, code)
    invoiced = {number: orders.get(order_id, "") for number, order_id in ordered_invoices(db, code).items()}
    for r in db.execute(
        "SELECT number, issue_date, gross_amount, currency FROM invoices "
        "WHERE customer_code = ? ORDER BY issue_date DESC LIMIT ?",
        limit,
    ):
        entries.append(
            TimelineEntry(_day(r[1]), "invoice", r[0], amount=Decimal(r[2]), currency=r[3], order=invoiced.get(r[0]))
        )
    for r in db.execute(
        "SELECT id, payment_date, amount, currency, invoice_number FROM payments "
        "WHERE customer_code = ? ORDER BY payment_date DESC LIMIT ?",
        limit,
    ):
        entries.append(
            TimelineEntry(
                _day(r[1]), "payment", r[4] or "", amount=Decimal(r[2]), currency=r[3], order=invoiced.get(r[4] or "")
            )
        )
    for r in db.execute(
        "SELECT order_id, status, status_date, erp_order, quantity, reason FROM order_statuses "
        "WHERE customer_code = ? ORDER BY status_date DESC LIMIT ?",
        limit,
    ):
        entries.append(
            TimelineEntry(
                step_time(date.fromisoformat(r[2]), r[1]),
                "order_status",
                r[3] or "",
                r[5] or "",
                status=r[1],
                reference=r[0],
                quantity=Decimal(r[4]) if r[4] else None,
                order=orders.get(r[0], ""),
            )
        )
    entries += _quote_timeline(db, code)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:TIMELINE_LIMIT]


def _order_names(db: Database, code: str) -> dict[str, str]:
    """How the seller knows each of the customer's orders: its quote's number, else the ERP's."""
    names = {
        r[0]: r[1]
        for r in db.execute(
            "SELECT order_id, max(erp_order) FROM order_statuses WHERE customer_code = ? GROUP BY order_id", [code]
        )
        if r[1]
    }
    if has_table(db, "orders"):
        for order_id, number in db.execute(
            "SELECT o.id, q.number FROM orders o JOIN quotes q ON q.id = o.quote_id WHERE o.customer_code = ?", [code]
        ):
            names[order_id] = number
    return names


def _quote_timeline(db: Database, code: str) -> list[TimelineEntry]:
    if not has_table(db, "quotes"):
        return []
    entries = []
    limit = [code, TIMELINE_LIMIT]
    for r in db.execute(
        "SELECT id, number, version, status, gross_total, currency, issue_date, lost_reason, competitor, "
        "competitor_price FROM quotes WHERE customer_code = ? ORDER BY issue_date DESC, version DESC LIMIT ?",
        limit,
    ):
        entries.append(
            TimelineEntry(
                created_at(r[0]) or _day(r[6]),
                "quote",
                f"{r[1]} v{r[2]}",
                "",
                Decimal(r[4] or 0),
                r[5],
                r[3],
                reference=r[0],
                lost_reason=r[7],
                competitor=r[8] or "",
                competitor_price=Decimal(r[9]) if r[9] else None,
            )
        )
    if has_table(db, "approval_decisions") and has_table(db, "approval_requests"):
        for r in db.execute(
            "SELECT d.decided_at, q.number, d.decision, d.comment FROM approval_decisions d "
            "JOIN approval_requests a ON a.id = d.request_id JOIN quotes q ON q.id = a.quote_id "
            "WHERE q.customer_code = ? ORDER BY d.decided_at DESC LIMIT ?",
            limit,
        ):
            entries.append(TimelineEntry(datetime.fromisoformat(r[0]), "approval", r[1], r[3] or "", status=r[2]))
    if has_table(db, "email_deliveries"):
        for r in db.execute(
            "SELECT e.id, q.number, e.status, e.failure_reason FROM email_deliveries e "
            "JOIN quotes q ON q.id = e.quote_id WHERE q.customer_code = ? ORDER BY e.id DESC "
            "LIMIT ?",
            limit,
        ):
            entries.append(TimelineEntry(created_at(r[0]) or _epoch(), "email", r[1], r[3] or "", status=r[2]))
    if has_table(db, "orders"):
        for r in db.execute(
            "SELECT id, gross_total, currency FROM orders WHERE customer_code = ? ORDER BY id DESC LIMIT ?", limit
        ):
            entries.append(
                TimelineEntry(
                    created_at(r[0]) or _epoch(), "order", "", amount=Decimal(r[1]), currency=r[2], reference=r[0]
                )
            )
    return entries


def _epoch() -> datetime:
    # Records without a creation time sort last: the timeline is about what is recent.
    return datetime(1970, 1, 1, tzinfo=UTC)


__all__ = [
    "CategorySales",
    "Customer360",
    "QuoteSummary",
    "TimelineEntry",
    "created_at",
    "customer_360",
]
