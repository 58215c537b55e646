"""What the pre-invoice metrics read: a set of sellers' records for a stretch of days.

One call, `read_metric_records`, runs a fixed number of queries (never one per seller or per
record) and returns the shared models the formulas of `shared.rules.metrics*` take, plus the
few aggregates (last invoice, last visit or quote, categories bought) that would be costly to
ship as rows. The same SQLAlchemy Core runs on SQLite and PostgreSQL.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Connection, func, select

from shared.models import (
    ApprovalDecision,
    ApprovalRequest,
    Customer,
    FxRate,
    InvoiceLine,
    Lead,
    LostSale,
    Opportunity,
    Order,
    Quote,
    QuoteLine,
    Record,
    Visit,
)
from shared.models.field import CompetitorLinePrice
from shared.rules.account_intelligence import PERIOD_MONTHS, months_before
from sync_server.repository.quote_reads import load_models, plain_decimal
from sync_server.repository.tables import ENTITY_TABLES, changes, devices

_t = ENTITY_TABLES
R = TypeVar("R", bound=Record)
_CHUNK = 500  # bound IN lists: SQLite allows 32766 parameters, but a long list plans badly


@dataclass
class MetricRecords:
    """The records behind one snapshot of metrics (see `read_metric_records`)."""

    quotes: list[Quote] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    """The sellers' leads created in the days."""
    linked_leads: list[Lead] = field(default_factory=list)
    """The leads that became the quotes' opportunities (whenever created)."""
    visits: list[Visit] = field(default_factory=list)
    requests: list[ApprovalRequest] = field(default_factory=list)
    decisions: list[ApprovalDecision] = field(default_factory=list)
    request_quotes: dict[UUID, tuple[str, str]] = field(default_factory=dict)
    """Per approval request's quote id: (quote number, customer code)."""
    orders: list[Order] = field(default_factory=list)
    invoice_lines: list[InvoiceLine] = field(default_factory=list)
    invoice_currency: dict[str, str] = field(default_factory=dict)
    lost_sales: list[tuple[LostSale, date]] = field(default_factory=list)
    stock_products: frozenset[str] | None = None
    """Under a category filter, the products whose lines count when their quote was lost for
    stock (the quote is kept whole for its other figures); None: every product."""
    held: list[Customer] = field(default_factory=list)
    """The customers the sellers hold now."""
    segments: dict[str, str] = field(default_factory=dict)
    """Segment of every customer of `held`, of the quotes and of the segments' peers."""
    names: dict[str, str] = field(default_factory=dict)
    """Legal name of every customer of `held` and of the quotes."""
    opportunities: list[Opportunity] = field(default_factory=list)
    last_invoice: dict[str, date] = field(default_factory=dict)
    last_touch: dict[str, date] = field(default_factory=dict)
    peers: list[Customer] = field(default_factory=list)
    """Every customer of the held customers' segments (the share of a category is read
    against the whole segment, not only the team's part of it)."""
    bought_categories: dict[str, set[str]] = field(default_factory=dict)
    """Per peer, the product categories (leaves) it bought in the 12 months before the day."""
    category_parent: dict[str, str | None] = field(default_factory=dict)
    fx_rates: list[FxRate] = field(default_factory=list)
    seller_names: dict[str, str] = field(default_factory=dict)
    last_sync: dict[str, datetime] = field(default_factory=dict)
    seller_teams: dict[str, str | None] = field(default_factory=dict)
    """Each seller's own team."""
    teams: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    """Every team: its name and parent's code (a team's figures take in the teams below it)."""


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)] or [[]]


def _in(conn: Connection, model: type[R], column: str, values: list[Any], *where: Any) -> list[R]:
    """Rows of `model` whose `column` is one of `values`, read in bounded chunks."""
    col = _t[model.ENTITY].c[column]
    found: list[R] = []
    for chunk in _chunks(sorted({str(v) for v in values})):
        if chunk:
            found += load_models(conn, model, col.in_(chunk), *where)
    return found


def _start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def read_metric_records(
    conn: Connection,
    sellers: list[str],
    first: date,
    last: date,
    today: date,
    *,
    activity: bool = True,
    portfolios: bool = True,
    segments: bool = True,
) -> MetricRecords:
    """Everything the metrics of `sellers` need for the days `first`…`last` (quote numbers first
    offered then, leads created then, …: `activity`) and their portfolios as of `today`
    (`portfolios`; with `segments`, the held customers' segments and what they bought, which
    unpenetrated categories read). The names and segments of the customers named are always read."""
    found = MetricRecords()
    if activity:
        _read_quotes(conn, found, sellers, first, last)
        _read_requests(conn, found, sellers, first, last)
        _read_sales(conn, found, sellers, first, last)
    if portfolios:
        _read_portfolios(conn, found, sellers, today, segments)
    _read_names(conn, found)
    found.fx_rates = read_fx_rates(conn, first, today)
    return _with_users(conn, found, sellers)


def read_fx_rates(conn: Connection, first: date, today: date) -> list[FxRate]:
    """The exchange rates a snapshot from `first` to `today` may convert with."""
    fx = _t["fx_rate"].c
    return load_models(conn, FxRate, fx.rate_date >= first - timedelta(days=14), fx.rate_date <= today)


def _with_users(conn: Connection, found: MetricRecords, sellers: list[str]) -> MetricRecords:
    users = _t["user"].c
    in_view = list(conn.execute(select(users.login, users.name, users.team_code).where(users.login.in_(sellers))))
    found.seller_names = {row.login: row.name for row in in_view}
    found.seller_teams = {row.login: row.team_code for row in in_view}
    teams = _t["team"].c
    found.teams = {
        row.code: (row.name, row.parent_code) for row in conn.execute(select(teams.code, teams.name, teams.parent_code))
    }
    query = select(devices.c.login, func.max(devices.c.last_seen_at)).where(devices.c.login.in_(sellers))
    found.last_sync = dict(conn.execute(query.group_by(devices.c.login)).all())
    return found


def _read_quotes(conn: Connection, found: MetricRecords, sellers: list[str], first: date, last: date) -> None:
    # the numbers whose first version by `sellers` was issued in the days: one of theirs
    # then and none before (an index range per seller, not every seller's history grouped)
    q, earlier = _t["quote"].c, _t["quote"].alias("earlier").c
    before = select(earlier.number).where(
        earlier.number == q.number, earlier.seller_login.in_(sellers), earlier.issue_date < first
    )
    numbers = select(q.number).where(
        q.seller_login.in_(sellers), q.issue_date >= first, q.issue_date <= last, ~before.exists()
    )
    found.quotes = _quotes(conn, _t["quote"].c.number.in_(numbers))
    opportunity_ids = [x.opportunity_id for x in found.quotes if x.opportunity_id]
    visit_ids = [x.visit_id for x in found.quotes if x.visit_id]
    leads = _t["lead"].c
    by_id = {
        lead.id: lead
        for lead in load_models(
            conn,
            Lead,
            leads.seller_login.in_(sellers),
            leads.created_at >= _start(first),
            leads.created_at < _start(last + timedelta(days=1)),
        )  # fmt: skip
    }
    found.leads = list(by_id.values())
    found.linked_leads = _in(conn, Lead, "opportunity_id", opportunity_ids)
    found.visits = _in(conn, Visit, "id", visit_ids)
    accepted = [x.id for x in found.quotes if x.status == "accepted"]
    found.orders = _in(conn, Order, "quote_id", accepted)
    found.invoice_lines = _in(conn, InvoiceLine, "order_id", [o.id for o in found.orders])
    inv = _t["invoice"].c
    for chunk in _chunks(sorted({line.invoice_number for line in found.invoice_lines})):
        found.invoice_currency |= dict(
            conn.execute(select(inv.number, inv.currency).where(inv.number.in_(chunk))).all()
        )


_DECIDED = frozenset({"accepted", "lost"})
_UUIDS = ("id", "visit_id", "opportunity_id")


def _quotes(conn: Connection, where: Any) -> list[Quote]:
    """Quote versions built without validating every field again (they were when written;
    a team's half year holds thousands): ids as UUIDs, Decimals plain, and the lines of the
    accepted and lost ones — the only lines a metric reads — validated."""
    found = []
    for row in conn.execute(select(_t["quote"]).where(where)):
        data: dict[str, Any] = {k: plain_decimal(v) if isinstance(v, Decimal) else v for k, v in row._mapping.items()}
        for key in _UUIDS:
            if data[key] is not None:
                data[key] = UUID(data[key])
        decided = data["status"] in _DECIDED
        data["lines"] = tuple(QuoteLine.model_validate(x) for x in data["lines"] or ()) if decided else ()
        data["competitor_lines"] = tuple(CompetitorLinePrice.model_validate(x) for x in data["competitor_lines"] or ())
        data["fired_rules"] = tuple(data["fired_rules"] or ())
        found.append(Quote.model_construct(**data))
    return found


def _read_requests(conn: Connection, found: MetricRecords, sellers: list[str], first: date, last: date) -> None:
    r, q = _t["approval_request"].c, _t["quote"].c
    found.requests = load_models(
        conn, ApprovalRequest, r.requested_by.in_(sellers), r.requested_at >= _start(first),
        r.requested_at < _start(last + timedelta(days=1)),
    )  # fmt: skip
    found.decisions = _in(conn, ApprovalDecision, "request_id", [x.id for x in found.requests])
    for chunk in _chunks(sorted({str(x.quote_id) for x in found.requests})):
        rows = conn.execute(select(q.id, q.number, q.customer_code).where(q.id.in_(chunk)))
        found.request_quotes |= {UUID(row.id): (row.number, row.customer_code) for row in rows}


def _read_sales(conn: Connection, found: MetricRecords, sellers: list[str], first: date, last: date) -> None:
    """Lost sales recorded (first received by the server) in the days, each with that day."""
    ls = _t["lost_sale"]
    # their lost sales' first arrivals: an index lookup in the log per lost sale of theirs,
    # not every lost sale the log holds grouped
    arrived = (
        select(changes.c.entity_id, func.min(changes.c.created_at).label("first_at"))
        .join(ls, ls.c.id == changes.c.entity_id)
        .where(changes.c.entity == "lost_sale", ls.c.seller_login.in_(sellers))
        .group_by(changes.c.entity_id)
        .subquery()
    )
    query = (
        select(ls, arrived.c.first_at)
        .join(arrived, arrived.c.entity_id == ls.c.id)
        .where(arrived.c.first_at >= _start(first), arrived.c.first_at < _start(last + timedelta(days=1)))
    )
    for row in conn.execute(query):
        data: dict[str, Any] = {k: plain_decimal(v) if isinstance(v, Decimal) else v for k, v in row._mapping.items()}
        day = data.pop("first_at").astimezone(UTC).date()
        found.lost_sales.append((LostSale.model_validate(data), day))


def _read_portfolios(conn: Connection, found: MetricRecords, sellers: list[str], today: date, peers: bool) -> None:
    c = _t["customer"].c
    columns = (c.code, c.legal_name, c.segment, c.seller_login, c.currency)
    # Only the few columns the metrics read, built without validation: these rows are the
    # database's own (validated when written) and a segment may hold tens of thousands.
    if peers:
        segments = sorted(conn.execute(select(c.segment).where(c.seller_login.in_(sellers)).distinct()).scalars())
        query = select(*columns).where(c.segment.in_(segments))
        found.peers = [Customer.model_construct(**row._mapping) for row in conn.execute(query)] if segments else []
        chosen = set(sellers)
        found.held = [x for x in found.peers if x.seller_login in chosen]
    else:
        query = select(*columns).where(c.seller_login.in_(sellers))
        found.held = [Customer.model_construct(**row._mapping) for row in conn.execute(query)]
    held_codes = select(c.code).where(c.seller_login.in_(sellers))
    o = _t["opportunity"].c
    found.opportunities = load_models(conn, Opportunity, o.customer_code.in_(held_codes))
    inv = _t["invoice"].c
    last_invoice = select(inv.customer_code, func.max(inv.issue_date)).where(
        inv.customer_code.in_(held_codes), inv.net_amount > 0
    )
    found.last_invoice = dict(conn.execute(last_invoice.group_by(inv.customer_code)).all())
    v, q = _t["visit"].c, _t["quote"].c
    touches: dict[str, date] = {}
    visited = select(v.customer_code, func.max(v.checked_in_at)).where(v.customer_code.in_(held_codes))
    for code, when in conn.execute(visited.group_by(v.customer_code)):
        if when is not None:
            touches[code] = when.astimezone(UTC).date()
    quoted = select(q.customer_code, func.max(q.issue_date)).where(q.customer_code.in_(held_codes))
    for code, day in conn.execute(quoted.group_by(q.customer_code)):
        touches[code] = max(day, touches.get(code, day))
    found.last_touch = touches
    if peers:
        _read_categories_bought(conn, found, segments, today)


def _read_names(conn: Connection, found: MetricRecords) -> None:
    """Segment and name of every customer read, quoted or lost a sale (each seller's figures
    name the same customers whoever else is in the snapshot)."""
    c = _t["customer"].c
    known = found.peers or found.held
    named = {x.customer_code for x in found.quotes} | {lost.customer_code for lost, _ in found.lost_sales}
    others = [row for chunk in _chunks(sorted(named - {x.code for x in known})) if chunk
              for row in conn.execute(select(c.code, c.segment, c.legal_name).where(c.code.in_(chunk)))]  # fmt: skip
    found.segments = {x.code: x.segment for x in known} | {row.code: row.segment for row in others}
    found.names = {x.code: x.legal_name for x in known} | {row.code: row.legal_name for row in others}


def _read_categories_bought(conn: Connection, found: MetricRecords, segments: list[str], today: date) -> None:
    cat = _t["category"].c
    found.category_parent = dict(conn.execute(select(cat.code, cat.parent_code)).all())
    if not segments:
        return
    inv, line, product, c = _t["invoice"].c, _t["invoice_line"].c, _t["product"].c, _t["customer"].c
    year_ago = months_before(today, PERIOD_MONTHS)
    query = (
        select(inv.customer_code, product.category_code)
        .select_from(_t["invoice_line"])
        .join(_t["invoice"], inv.number == line.invoice_number)
        .join(_t["product"], product.sku == line.sku)
        .join(_t["customer"], c.code == inv.customer_code)
        .where(c.segment.in_(segments), inv.issue_date > year_ago, inv.issue_date <= today, line.net_amount > 0)
        .distinct()
    )
    bought: dict[str, set[str]] = defaultdict(set)
    for code, category in conn.execute(query):
        bought[code].add(category)
    found.bought_categories = dict(bought)


__all__ = ["MetricRecords", "read_fx_rates", "read_metric_records"]
