"""The seller's portfolio: search, count and open customers in the local store.

Everything in a user's database is in their scope by construction (the server only sends
their buckets), so no query here filters by permission; `seller_login` is a filter a
manager uses to look at one seller of the team.

Search matches whole words by prefix and ignores accents ("penalara" finds "Peñalara",
"sum mad" finds "Suministros ... Madrid") over code, legal and trade name, tax id and city;
then a word of three or more characters anywhere inside the code, names or tax id ("alara"
finds "Calara", "487" finds "P-00487"; search_terms.py). A code typed whole comes first.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlite_utils import Database

from client.services.credit_chip import CreditChip, chips_from_row, credit_chips, is_unpaid
from client.services.quote_facts import load_credit_as_of
from client.services.search_terms import SearchIndexes, hits_sql, search_terms
from client.store import NAME_COLLATION, Store, record_from_row
from shared.errors import NotFound
from shared.models import Contact, Credit, Customer
from shared.rules.activity import dormant_before, is_dormant
from shared.rules.credit_ageing import Overdue
from shared.rules.prospects import PROSPECT_SEGMENT
from shared.rules.quote_lifecycle import OPEN_STATUSES

"""A customer whose last invoice is more than this many days old is dormant."""

# bm25 weights per column (code, legal_name, trade_name, tax_id, city; infix: the same
# without city): an identifier hit is almost certainly the customer meant; a city hit only narrows down.
_INDEXES = SearchIndexes(
    words="customers_fts",
    words_rank="bm25(customers_fts, 10.0, 5.0, 4.0, 10.0, 1.0)",
    infix="customers_infix",
    infix_rank="bm25(customers_infix, 10.0, 5.0, 4.0, 10.0)",
)
CREDIT_COLUMNS = (
    "blocked",
    "overdue_amount",
    "overdue_invoices",
    "prepayment_required",
    "credit_limit",
    "open_balance",
    "open_orders",
)
_CHIP_FUNCTION = "terreno_credit_chip"
_UNPAID_FUNCTION = "terreno_is_unpaid"
# Whether an open invoice of the customer fell due before the day (`shared.rules.credit_ageing`
# counts it as overdue however the ERP's row read when it was exported). Only looked for when the
# row itself says nothing is overdue, and only for a customer with a credit row (no row: no chips).
_LATE_OPEN = (
    "CASE WHEN cr.blocked IS NULL OR CAST(cr.overdue_invoices AS INTEGER) > 0 THEN 0 ELSE EXISTS ("
    "SELECT 1 FROM invoices i WHERE i.customer_code = c.code AND i.due_date < ? "
    f"AND {_UNPAID_FUNCTION}(i.gross_amount, (SELECT group_concat(p.amount, ' ') FROM payments p "
    "WHERE p.customer_code = i.customer_code AND p.invoice_number = i.number))) END"
)


@dataclass(frozen=True, slots=True)
class CustomerFilters:
    """Narrowing of a portfolio search; None/False means "any"."""

    segment: str | None = None
    city: str | None = None
    seller_login: str | None = None
    credit_chip: CreditChip | None = None
    """Customers whose most severe chip is this one."""
    dormant_only: bool = False
    with_open_quote: bool = False
    """Customers with a quote still open (waiting for approval, approved or sent)."""


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """One line of the portfolio list."""

    code: str
    legal_name: str
    trade_name: str
    city: str
    segment: str
    seller_login: str | None
    credit_chips: tuple[CreditChip, ...]
    """Most severe first; empty when the ERP sent no credit for the customer."""
    last_invoice_date: date | None
    is_dormant: bool

    @property
    def credit_chip(self) -> CreditChip | None:
        """The most severe chip, the one to show when there is room for only one."""
        return self.credit_chips[0] if self.credit_chips else None

    @property
    def is_prospect(self) -> bool:
        """A prospect made on a tablet, not (yet) an ERP customer."""
        return self.segment == PROSPECT_SEGMENT


@dataclass(frozen=True, slots=True)
class CustomerDetail:
    """A customer with its contacts and credit, for the customer screen."""

    customer: Customer
    contacts: tuple[Contact, ...]
    credit: Credit | None
    """The ERP's row with its overdue figures read as of the day (see `overdue`)."""
    overdue: Overdue
    """What is overdue as of the day, with its age buckets (shared.rules.credit_ageing)."""
    credit_chips: tuple[CreditChip, ...]
    last_invoice_date: date | None
    is_dormant: bool

    @property
    def is_prospect(self) -> bool:
        """A prospect made on a tablet, not (yet) an ERP customer: no history, no credit."""
        return self.customer.segment == PROSPECT_SEGMENT


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """Values present in the portfolio, to fill the filter pickers."""

    segments: tuple[str, ...]
    cities: tuple[str, ...]
    seller_logins: tuple[str, ...]


def search_customers(
    store: Store,
    text: str = "",
    filters: CustomerFilters | None = None,
    limit: int = 50,
    offset: int = 0,
    *,
    as_of: date | None = None,
) -> list[CustomerRow]:
    """Customers matching `text` and `filters`, best match first, then by name."""
    as_of = as_of or _today()
    sql, params = _query(text, filters or CustomerFilters(), as_of, count=False)
    with store.read() as db:
        _register_chip_function(db)
        rows = db.execute(f"{sql} LIMIT ? OFFSET ?", [*params, max(0, limit), max(0, offset)]).fetchall()
    return [_row(r, as_of) for r in rows]


def count_customers(
    store: Store,
    text: str = "",
    filters: CustomerFilters | None = None,
    *,
    as_of: date | None = None,
) -> int:
    """How many customers `search_customers` would return without a limit."""
    sql, params = _query(text, filters or CustomerFilters(), as_of or _today(), count=True)
    with store.read() as db:
        _register_chip_function(db)
        return int(db.execute(sql, params).fetchone()[0])


def get_customer(store: Store, code: str, *, as_of: date | None = None) -> CustomerDetail:
    """One customer with contacts and credit; NotFound if it is not in the portfolio."""
    as_of = as_of or _today()
    with store.read() as db:
        row = next(db.query("SELECT * FROM customers WHERE code = ?", [code]), None)
        if row is None:
            raise NotFound(
                f"customer {code} is not in your portfolio",
                key="problem.customer.not_in_portfolio",
                params={"customer": code},
            )
        contact_rows = db.query("SELECT * FROM contacts WHERE customer_code = ? ORDER BY name", [code])
        contacts = tuple(record_from_row(Contact, c) for c in contact_rows)
        credit, overdue = load_credit_as_of(db, code, as_of)
        last = db.execute("SELECT max(issue_date) FROM invoices WHERE customer_code = ?", [code]).fetchone()[0]
    last_invoice = date.fromisoformat(last) if last else None
    return CustomerDetail(
        customer=record_from_row(Customer, row),
        contacts=contacts,
        credit=credit,
        overdue=overdue,
        credit_chips=credit_chips(credit),
        last_invoice_date=last_invoice,
        is_dormant=is_dormant(last_invoice, as_of),
    )


def list_filter_options(store: Store) -> FilterOptions:
    """Distinct segments, cities and sellers of the customers on this device."""
    with store.read() as db:

        def distinct(column: str) -> tuple[str, ...]:
            sql = (
                f"SELECT DISTINCT {column} FROM customers WHERE coalesce({column}, '') != '' "
                f"ORDER BY {column} COLLATE {NAME_COLLATION}"
            )
            return tuple(r[0] for r in db.execute(sql).fetchall())

        return FilterOptions(distinct("segment"), distinct("city"), distinct("seller_login"))


def _query(text: str, filters: CustomerFilters, as_of: date, *, count: bool) -> tuple[str, list[Any]]:
    terms = search_terms(text)
    credit = ", ".join(f"cr.{c}" for c in CREDIT_COLUMNS)
    last_invoice = "(SELECT max(i.issue_date) FROM invoices i WHERE i.customer_code = c.code)"
    where: list[str] = []
    params: list[Any] = []
    if terms:
        hits, params = hits_sql(_INDEXES, terms)
        source = f"({hits}) AS hit JOIN customers c ON c.rowid = hit.rowid"
    else:
        source = "customers c"
    for column in ("segment", "city", "seller_login"):
        value = getattr(filters, column)
        if value:
            where.append(f"c.{column} = ?")
            params.append(value)
    if filters.credit_chip is not None:
        where.append(f"{_CHIP_FUNCTION}({credit}, {_LATE_OPEN}) = ?")
        params += [as_of.isoformat(), CreditChip(filters.credit_chip).value]
    if filters.dormant_only:
        where.append(f"{last_invoice} < ?")
        params.append(dormant_before(as_of).isoformat())
    if filters.with_open_quote:
        marks = ", ".join("?" for _ in OPEN_STATUSES)
        where.append(f"EXISTS (SELECT 1 FROM quotes q WHERE q.customer_code = c.code AND q.status IN ({marks}))")
        params.extend(s.value for s in OPEN_STATUSES)
    joins = "LEFT JOIN credit cr ON cr.id = c.code"  # credit's record id is the customer code
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    if count:
        return f"SELECT count(*) FROM {source} {joins} {condition}", params
    order = ""
    if terms:
        order = "c.code = ? COLLATE NOCASE DESC, hit.tier, hit.score, "
        params.append(text.strip())
    sql = (
        f"SELECT c.code, c.legal_name, c.trade_name, c.city, c.segment, c.seller_login, {credit}, "
        f"{last_invoice} AS last_invoice_date, {_LATE_OPEN} AS late_open FROM {source} {joins} {condition} "
        f"ORDER BY {order}c.legal_name COLLATE {NAME_COLLATION}, c.code"
    )
    # The select list's day comes before the search's and the filters' values.
    return sql, [as_of.isoformat(), *params]


def _row(r: tuple[Any, ...], as_of: date) -> CustomerRow:
    code, legal_name, trade_name, city, segment, seller_login = r[:6]
    chips = chips_from_row(r[6:13], has_late_invoice=bool(r[14]))
    last = date.fromisoformat(r[13]) if r[13] else None
    return CustomerRow(
        code=code,
        legal_name=legal_name or "",
        trade_name=trade_name or "",
        city=city or "",
        segment=segment or "",
        seller_login=seller_login,
        credit_chips=chips,
        last_invoice_date=last,
        is_dormant=is_dormant(last, as_of),
    )


def _register_chip_function(db: Database) -> None:
    # Eight named parameters: sqlite-utils registers the function with its Python arity.
    def worst_chip(blocked, overdue_amount, overdue_invoices, prepayment, limit, balance, orders, late) -> str | None:
        row = (blocked, overdue_amount, overdue_invoices, prepayment, limit, balance, orders)
        chips = chips_from_row(row, has_late_invoice=bool(late))
        return chips[0].value if chips else None

    # sqlite-utils registers a (name, arity) once per connection and skips repeats.
    db.register_function(worst_chip, deterministic=True, name=_CHIP_FUNCTION)
    db.register_function(is_unpaid, deterministic=True, name=_UNPAID_FUNCTION)


def _today() -> date:
    return datetime.now(UTC).date()


__all__ = [
    "CREDIT_COLUMNS",
    "CustomerDetail",
    "CustomerFilters",
    "CustomerRow",
    "FilterOptions",
    "count_customers",
    "get_customer",
    "list_filter_options",
    "search_customers",
]
