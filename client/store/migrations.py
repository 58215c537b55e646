"""Schema of the device database, one migration per step, each in its own transaction.

The DDL is written out (not derived from the models) so that a shipped step never changes
under a device that already applied it. A field added to a shared model therefore needs a
new migration here; `tests/client/store/test_migrations.py` fails until it exists.
Migration names are stored on devices: never rename or edit a shipped one.
"""

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from client.store.schema import ENTITY_TABLES

migrations = Migrations("terreno-client")

_REFERENCE_TABLES = """
CREATE TABLE teams (
    id TEXT PRIMARY KEY, code TEXT, name TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY, login TEXT, name TEXT, email TEXT, role TEXT, team_code TEXT,
    home_warehouse TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE customers (
    id TEXT PRIMARY KEY, code TEXT, legal_name TEXT, trade_name TEXT, tax_id TEXT,
    segment TEXT, address TEXT, city TEXT, postal_code TEXT, country TEXT, email TEXT,
    phone TEXT, payment_terms TEXT, currency TEXT, seller_login TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE contacts (
    id TEXT PRIMARY KEY, customer_code TEXT, name TEXT, role TEXT, email TEXT, phone TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE credit (
    id TEXT PRIMARY KEY, customer_code TEXT, currency TEXT, credit_limit TEXT,
    open_balance TEXT, open_orders TEXT, overdue_amount TEXT, overdue_invoices INTEGER,
    oldest_overdue_days INTEGER, open_disputes INTEGER, disputed_amount TEXT,
    blocked INTEGER, block_reason TEXT, prepayment_required INTEGER,
    _version INTEGER NOT NULL
);
CREATE TABLE invoices (
    id TEXT PRIMARY KEY, number TEXT, customer_code TEXT, issue_date TEXT, due_date TEXT,
    currency TEXT, net_amount TEXT, tax_amount TEXT, gross_amount TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE invoice_lines (
    id TEXT PRIMARY KEY, invoice_number TEXT, line_no INTEGER, sku TEXT, quantity TEXT,
    unit_price TEXT, net_amount TEXT, cost_amount TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE payments (
    id TEXT PRIMARY KEY, customer_code TEXT, invoice_number TEXT, payment_date TEXT,
    currency TEXT, amount TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE categories (
    id TEXT PRIMARY KEY, code TEXT, name TEXT, parent_code TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE tax_classes (
    id TEXT PRIMARY KEY, code TEXT, name TEXT, rate_percent TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE products (
    id TEXT PRIMARY KEY, sku TEXT, name TEXT, description TEXT, category_code TEXT,
    unit TEXT, tax_class TEXT, currency TEXT, replacement_cost TEXT, active INTEGER,
    _version INTEGER NOT NULL
);
CREATE TABLE substitutes (
    id TEXT PRIMARY KEY, sku TEXT, substitute_sku TEXT, rank INTEGER,
    _version INTEGER NOT NULL
);
CREATE TABLE warehouses (
    id TEXT PRIMARY KEY, code TEXT, name TEXT, city TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE stock (
    id TEXT PRIMARY KEY, sku TEXT, warehouse_code TEXT, on_hand TEXT, reserved TEXT,
    damaged TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE incoming_lots (
    id TEXT PRIMARY KEY, lot TEXT, sku TEXT, warehouse_code TEXT, quantity TEXT,
    expected_date TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE price_lists (
    id TEXT PRIMARY KEY, code TEXT, name TEXT, kind TEXT, segment TEXT, customer_code TEXT,
    currency TEXT, valid_from TEXT, valid_to TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE price_list_items (
    id TEXT PRIMARY KEY, price_list_code TEXT, sku TEXT, min_quantity TEXT, unit_price TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE price_floors (
    id TEXT PRIMARY KEY, scope TEXT, code TEXT, currency TEXT, floor_price TEXT,
    min_margin_percent TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE fx_rates (
    id TEXT PRIMARY KEY, rate_date TEXT, base_currency TEXT, quote_currency TEXT, rate TEXT,
    _version INTEGER NOT NULL
);
CREATE INDEX ix_users_team_code ON users (team_code);
CREATE INDEX ix_customers_seller_login ON customers (seller_login, legal_name);
CREATE INDEX ix_customers_legal_name ON customers (legal_name);
CREATE INDEX ix_customers_code ON customers (code);
CREATE INDEX ix_contacts_customer_code ON contacts (customer_code);
CREATE INDEX ix_credit_customer_code ON credit (customer_code);
CREATE INDEX ix_invoices_customer_code ON invoices (customer_code, issue_date);
CREATE INDEX ix_invoice_lines_invoice_number ON invoice_lines (invoice_number, line_no);
CREATE INDEX ix_invoice_lines_sku ON invoice_lines (sku);
CREATE INDEX ix_payments_customer_code ON payments (customer_code, payment_date);
CREATE INDEX ix_products_sku ON products (sku);
CREATE INDEX ix_products_category_code ON products (category_code);
CREATE INDEX ix_substitutes_sku ON substitutes (sku, rank);
CREATE INDEX ix_stock_sku ON stock (sku, warehouse_code);
CREATE INDEX ix_stock_warehouse_code ON stock (warehouse_code);
CREATE INDEX ix_incoming_lots_sku ON incoming_lots (sku, expected_date);
CREATE INDEX ix_price_lists_customer_code ON price_lists (customer_code);
CREATE INDEX ix_price_lists_segment ON price_lists (segment);
CREATE INDEX ix_price_list_items_list_sku ON price_list_items (price_list_code, sku);
CREATE INDEX ix_price_list_items_sku ON price_list_items (sku);
CREATE INDEX ix_price_floors_code ON price_floors (scope, code);
CREATE INDEX ix_fx_rates_pair ON fx_rates (base_currency, quote_currency, rate_date);
"""

# External-content FTS5 indexes kept in step by triggers, which are exact after every
# put and delete. `remove_diacritics 2` makes "penalara" find "Peñalara"; the prefix
# indexes make the 2- and 3-letter prefixes a seller types first cheap. Update triggers
# fire only when an indexed column changed, so a price-only refresh costs the index nothing.
# During a first (or replacement) sync the triggers stand down while the key
# `search_index_deferred` is in sync_state, and the index is rebuilt once with the last page:
# three times faster than row by row (see store/changes.py, measured there).
_LIVE = "NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_index_deferred')"
_SEARCH_INDEXES = f"""
CREATE VIRTUAL TABLE customers_fts USING fts5(
    code, legal_name, trade_name, tax_id, city,
    content='customers', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers WHEN {_LIVE} BEGIN
    INSERT INTO customers_fts (rowid, code, legal_name, trade_name, tax_id, city)
    VALUES (new.rowid, new.code, new.legal_name, new.trade_name, new.tax_id, new.city);
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers WHEN {_LIVE} BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, code, legal_name, trade_name, tax_id, city)
    VALUES ('delete', old.rowid, old.code, old.legal_name, old.trade_name, old.tax_id, old.city);
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE ON customers
WHEN {_LIVE} AND (old.code IS NOT new.code OR old.legal_name IS NOT new.legal_name
  OR old.trade_name IS NOT new.trade_name OR old.tax_id IS NOT new.tax_id OR old.city IS NOT new.city)
BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, code, legal_name, trade_name, tax_id, city)
    VALUES ('delete', old.rowid, old.code, old.legal_name, old.trade_name, old.tax_id, old.city);
    INSERT INTO customers_fts (rowid, code, legal_name, trade_name, tax_id, city)
    VALUES (new.rowid, new.code, new.legal_name, new.trade_name, new.tax_id, new.city);
END;
CREATE VIRTUAL TABLE products_fts USING fts5(
    sku, name, description,
    content='products', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER products_fts_insert AFTER INSERT ON products WHEN {_LIVE} BEGIN
    INSERT INTO products_fts (rowid, sku, name, description)
    VALUES (new.rowid, new.sku, new.name, new.description);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products WHEN {_LIVE} BEGIN
    INSERT INTO products_fts (products_fts, rowid, sku, name, description)
    VALUES ('delete', old.rowid, old.sku, old.name, old.description);
END;
CREATE TRIGGER products_fts_update AFTER UPDATE ON products
WHEN {_LIVE} AND (old.sku IS NOT new.sku OR old.name IS NOT new.name OR old.description IS NOT new.description)
BEGIN
    INSERT INTO products_fts (products_fts, rowid, sku, name, description)
    VALUES ('delete', old.rowid, old.sku, old.name, old.description);
    INSERT INTO products_fts (rowid, sku, name, description)
    VALUES (new.rowid, new.sku, new.name, new.description);
END;
"""

SEARCH_INDEXES = ("customers_fts", "products_fts")
"""FTS5 tables over external content; `'rebuild'` re-reads them from their tables."""

# AUTOINCREMENT is what keeps mutation ids strictly increasing: without it SQLite may reuse
# the id of an acknowledged (deleted) mutation, which the server would then answer with the
# stored result of the old one — a lost write.
_SYNC_TABLES = """
CREATE TABLE sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE outbox (
    mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    args TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""


# Field data recorded on devices (DESIGN §3). `_version` is the server's version of the row;
# 0 marks a row recorded here that the server has not sent back yet. Rows with pending
# outbox mutations show the local edit on top of the server's state (store/effects.py).
_FIELD_TABLES = """
CREATE TABLE visits (
    id TEXT PRIMARY KEY, customer_code TEXT, seller_login TEXT, planned_at TEXT,
    checked_in_at TEXT, checked_out_at TEXT, location TEXT, purpose TEXT, notes TEXT,
    outcome TEXT, next_step TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE visit_comments (
    id TEXT PRIMARY KEY, visit_id TEXT, author_login TEXT, text TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE competitor_observations (
    id TEXT PRIMARY KEY, customer_code TEXT, seller_login TEXT, visit_id TEXT, competitor TEXT,
    sku TEXT, category_code TEXT, currency TEXT, observed_price TEXT, presence TEXT, notes TEXT,
    photo_sha256 TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE claims (
    id TEXT PRIMARY KEY, customer_code TEXT, seller_login TEXT, visit_id TEXT, kind TEXT,
    invoice_number TEXT, description TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE opportunities (
    id TEXT PRIMARY KEY, customer_code TEXT, seller_login TEXT, title TEXT, stage TEXT,
    currency TEXT, value TEXT, probability_percent TEXT, expected_close TEXT,
    category_codes TEXT, lost_reason TEXT, version INTEGER,
    _version INTEGER NOT NULL
);
CREATE INDEX ix_visits_customer_code ON visits (customer_code, checked_in_at);
CREATE INDEX ix_visit_comments_visit_id ON visit_comments (visit_id);
CREATE INDEX ix_competitor_observations_customer_code ON competitor_observations (customer_code);
CREATE INDEX ix_competitor_observations_visit_id ON competitor_observations (visit_id);
CREATE INDEX ix_claims_customer_code ON claims (customer_code);
CREATE INDEX ix_claims_visit_id ON claims (visit_id);
CREATE INDEX ix_opportunities_customer_code ON opportunities (customer_code, stage);
"""

# What needs the seller's attention after a push: a mutation the server refused for good
# (kind 'rejected': its name and args are kept so nothing the seller typed is lost) or an
# edit merged with the server's value winning on some fields (kind 'conflict').
# UNIQUE(kind, mutation_id): results re-sent after a lost response are recorded once.
_SYNC_ISSUES = """
CREATE TABLE sync_issues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('rejected', 'conflict')),
    mutation_id INTEGER,
    name TEXT,
    args TEXT,
    code TEXT,
    entity TEXT,
    entity_id TEXT,
    fields TEXT NOT NULL DEFAULT '[]',
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    resolved_at TEXT,
    UNIQUE (kind, mutation_id)
);
CREATE INDEX ix_sync_issues_open ON sync_issues (resolved_at, id);
"""


_QUOTING_TABLES = """
CREATE TABLE quotes (
    id TEXT PRIMARY KEY, number TEXT, version INTEGER, customer_code TEXT, seller_login TEXT,
    status TEXT, currency TEXT, issue_date TEXT, valid_until TEXT, payment_terms TEXT,
    header_discount_percent TEXT, lines TEXT, net_total TEXT, tax_total TEXT, gross_total TEXT,
    fired_rules TEXT, lost_reason TEXT, competitor TEXT, competitor_price TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE approval_requests (
    id TEXT PRIMARY KEY, quote_id TEXT, requested_by TEXT, reasons TEXT, note TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE approval_decisions (
    id TEXT PRIMARY KEY, request_id TEXT, decided_by TEXT, decision TEXT, comment TEXT,
    decided_at TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE email_deliveries (
    id TEXT PRIMARY KEY, quote_id TEXT, recipients TEXT, subject TEXT, message TEXT,
    pdf_sha256 TEXT, status TEXT, failure_reason TEXT,
    _version INTEGER NOT NULL
);
CREATE TABLE orders (
    id TEXT PRIMARY KEY, quote_id TEXT, customer_code TEXT, seller_login TEXT, currency TEXT,
    gross_total TEXT,
    _version INTEGER NOT NULL
);
CREATE INDEX ix_quotes_customer_code ON quotes (customer_code, status);
CREATE INDEX ix_quotes_number ON quotes (number, version);
CREATE INDEX ix_approval_requests_quote_id ON approval_requests (quote_id);
CREATE INDEX ix_approval_decisions_request_id ON approval_decisions (request_id);
CREATE INDEX ix_email_deliveries_quote_id ON email_deliveries (quote_id);
CREATE INDEX ix_orders_quote_id ON orders (quote_id);
CREATE TABLE policies (
    name TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    uploaded_at TEXT
);
CREATE INDEX ix_attachments_pending ON attachments (uploaded_at);
CREATE TABLE held_sends (
    quote_id TEXT PRIMARY KEY,
    delivery TEXT NOT NULL,
    held_at TEXT NOT NULL
);
"""


def _run(db: Database, script: str) -> None:
    # Statement by statement: executescript() would COMMIT the migration's transaction.
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if statement.strip() and sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement!r}")


@migrations()
def m0001_reference_tables(db: Database) -> None:
    """One table per reference entity, with the indexes portfolio and quoting queries use."""
    _run(db, _REFERENCE_TABLES)


@migrations()
def m0002_sync_state_and_outbox(db: Database) -> None:
    """Sync bookkeeping (cursor, token, ...) and the outbox of local mutations."""
    _run(db, _SYNC_TABLES)


@migrations()
def m0003_search_indexes(db: Database) -> None:
    """Accent-insensitive full-text search over customers and products."""
    _run(db, _SEARCH_INDEXES)


@migrations()
def m0004_field_data_and_sync_issues(db: Database) -> None:
    """Visits, comments, observations, claims, opportunities; issues needing the seller."""
    _run(db, _FIELD_TABLES)
    _run(db, _SYNC_ISSUES)


@migrations()
def m0005_quotes_policies_attachments(db: Database) -> None:
    """Quotes and their approvals, deliveries and orders; policies; files waiting to upload;
    sends the seller queued while a quote waits for its approval."""
    _run(db, _QUOTING_TABLES)


# Per-bucket totals for checkpoint verification (DESIGN §4.7). Each synced row remembers the
# bucket the server sent it in (`_bucket`); triggers keep (records, checksum) per bucket in
# step with the rows themselves, so verifying costs one read of `bucket_totals` whatever the
# database size, and a row lost, added or rolled back by anything at all shows up as a
# disagreement. Only rows with a server version count (`_version` > 0: rows recorded here
# and not yet sent back are the device's own). The checksum is `shared.protocol.record_checksum`,
# registered on every connection as `terreno_record_checksum` (store/bucket_totals.py).
# Like the search index, the triggers stand down during a bulk first sync, and the totals
# are recomputed once when it catches up.
_CHECKSUM_MODULUS = 2**32


def _bucket_tracking(table: str, entity: str) -> str:
    """The `_bucket` column and total-keeping triggers of one synced table (frozen: shipped in m0006)."""
    add = (f"INSERT INTO bucket_totals (bucket, records, checksum) "
           f"SELECT new._bucket, 1, terreno_record_checksum('{entity}', new.id, new._version) "
           f"WHERE new._version > 0 AND new._bucket IS NOT NULL "
           f"ON CONFLICT(bucket) DO UPDATE SET records = records + 1, "
           f"checksum = (checksum + excluded.checksum) % {_CHECKSUM_MODULUS};")
    remove = (f"UPDATE bucket_totals SET records = records - 1, checksum = (checksum + {_CHECKSUM_MODULUS} "
              f"- terreno_record_checksum('{entity}', old.id, old._version)) % {_CHECKSUM_MODULUS} "
              f"WHERE bucket = old._bucket AND old._version > 0;")
    return f"""
ALTER TABLE {table} ADD COLUMN _bucket TEXT;
CREATE TRIGGER {table}_totals_insert AFTER INSERT ON {table} WHEN {_LIVE} BEGIN
    {add}
END;
CREATE TRIGGER {table}_totals_delete AFTER DELETE ON {table} WHEN {_LIVE} BEGIN
    {remove}
END;
CREATE TRIGGER {table}_totals_update AFTER UPDATE OF id, _version, _bucket ON {table}
WHEN {_LIVE} AND (old.id IS NOT new.id OR old._version IS NOT new._version OR old._bucket IS NOT new._bucket)
BEGIN
    {remove}
    {add}
END;
"""


# `bucket_repair_seen` marks the records a running bucket repair has received, so the rows
# of that bucket it did not receive can be removed at the end; `bucket_repairs` is the
# history of repairs, for support.
_BUCKET_TABLES = """
CREATE TABLE bucket_totals (
    bucket TEXT PRIMARY KEY,
    records INTEGER NOT NULL,
    checksum INTEGER NOT NULL
);
CREATE TABLE bucket_repair_seen (
    bucket TEXT NOT NULL,
    entity TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (bucket, entity, id)
) WITHOUT ROWID;
CREATE TABLE bucket_repairs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bucket TEXT NOT NULL,
    at TEXT NOT NULL,
    expected_records INTEGER,
    expected_checksum INTEGER,
    found_records INTEGER NOT NULL,
    found_checksum INTEGER NOT NULL,
    written INTEGER NOT NULL,
    removed INTEGER NOT NULL
);
"""


@migrations()
def m0006_bucket_totals(db: Database) -> None:
    """Each synced row's bucket, and per-bucket totals kept by triggers, for verification.

    Rows pulled before this step have no bucket and count nowhere: the first verification
    finds their buckets short and repairs them, which fills the bucket in.
    """
    _run(db, _BUCKET_TABLES)
    # The tables that exist now; a later migration that creates an entity table calls
    # `_bucket_tracking` for it itself.
    existing = set(db.table_names())
    for entity, table in ENTITY_TABLES.items():
        if table in existing:
            _run(db, _bucket_tracking(table, entity))


_LOST_SALES = """
CREATE TABLE lost_sales (
    id TEXT PRIMARY KEY, customer_code TEXT, seller_login TEXT, quote_id TEXT, sku TEXT,
    quantity TEXT, sellable TEXT, currency TEXT, unit_price TEXT, reason TEXT,
    _version INTEGER NOT NULL
);
CREATE INDEX ix_lost_sales_customer_code ON lost_sales (customer_code);
CREATE INDEX ix_lost_sales_quote_id ON lost_sales (quote_id);
"""


@migrations()
def m0008_lost_sales(db: Database) -> None:
    """Lines customers dropped for lack of stock, with their bucket tracking (see m0006)."""
    _run(db, _LOST_SALES)
    _run(db, _bucket_tracking("lost_sales", "lost_sale"))


def migrate(db: Database) -> None:
    """Apply every pending migration, each step in its own transaction."""
    migrations.apply(db)


__all__ = ["SEARCH_INDEXES", "migrate", "migrations"]
