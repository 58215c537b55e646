"""The device database's first steps (m0001–m0015) and the helpers every step uses.

The DDL is written out (not derived from the models) so that a shipped step never changes
under a device that already applied it. A field added to a shared model therefore needs a
new migration here; `tests/client/store/test_migrations.py` fails until it exists.
Migration names are stored on devices: never rename or edit a shipped one.
"""

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from client.store.reference_ddl import (
    INFIX_SEARCH_DDL,
    LIVE,
    REFERENCE_TABLES_DDL,
    SEARCH_INDEXES_DDL,
)
from client.store.schema import ENTITY_TABLES

migrations = Migrations("terreno-client")

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


def run_sql(db: Database, script: str) -> None:
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
    run_sql(db, REFERENCE_TABLES_DDL)


@migrations()
def m0002_sync_state_and_outbox(db: Database) -> None:
    """Sync bookkeeping (cursor, token, ...) and the outbox of local mutations."""
    run_sql(db, _SYNC_TABLES)


@migrations()
def m0003_search_indexes(db: Database) -> None:
    """Accent-insensitive full-text search over customers and products."""
    run_sql(db, SEARCH_INDEXES_DDL)


@migrations()
def m0004_field_data_and_sync_issues(db: Database) -> None:
    """Visits, comments, observations, claims, opportunities; issues needing the seller."""
    run_sql(db, _FIELD_TABLES)
    run_sql(db, _SYNC_ISSUES)


@migrations()
def m0005_quotes_policies_attachments(db: Database) -> None:
    """Quotes and their approvals, deliveries and orders; policies; files waiting to upload;
    sends the seller queued while a quote waits for its approval."""
    run_sql(db, _QUOTING_TABLES)


# Per-bucket totals for checkpoint verification (DESIGN §4.7). Each synced row remembers the
# bucket the server sent it in (`_bucket`); triggers keep (records, checksum) per bucket in
# step with the rows themselves, so verifying costs one read of `bucket_totals` whatever the
# database size, and a row lost, added or rolled back by anything at all shows up as a
# disagreement. Only rows with a server version count (`_version` > 0: rows recorded here
# and not yet sent back are the device's own). The checksum is `shared.protocol.record_checksum`,
# registered on every connection as `terreno_record_checksum` (store/bucket_totals.py).
# Like the search index, the triggers are switched off during a bulk first sync, and the totals
# are recomputed once when it catches up.
_CHECKSUM_MODULUS = 2**32


def bucket_tracking(table: str, entity: str) -> str:
    """The `_bucket` column and total-keeping triggers of one synced table (frozen: shipped in m0006)."""
    add = (
        f"INSERT INTO bucket_totals (bucket, records, checksum) "
        f"SELECT new._bucket, 1, terreno_record_checksum('{entity}', new.id, new._version) "
        f"WHERE new._version > 0 AND new._bucket IS NOT NULL "
        f"ON CONFLICT(bucket) DO UPDATE SET records = records + 1, "
        f"checksum = (checksum + excluded.checksum) % {_CHECKSUM_MODULUS};"
    )
    remove = (
        f"UPDATE bucket_totals SET records = records - 1, checksum = (checksum + {_CHECKSUM_MODULUS} "
        f"- terreno_record_checksum('{entity}', old.id, old._version)) % {_CHECKSUM_MODULUS} "
        f"WHERE bucket = old._bucket AND old._version > 0;"
    )
    return f"""
ALTER TABLE {table} ADD COLUMN _bucket TEXT;
CREATE TRIGGER {table}_totals_insert AFTER INSERT ON {table} WHEN {LIVE} BEGIN
    {add}
END;
CREATE TRIGGER {table}_totals_delete AFTER DELETE ON {table} WHEN {LIVE} BEGIN
    {remove}
END;
CREATE TRIGGER {table}_totals_update AFTER UPDATE OF id, _version, _bucket ON {table}
WHEN {LIVE} AND (old.id IS NOT new.id OR old._version IS NOT new._version OR old._bucket IS NOT new._bucket)
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
    run_sql(db, _BUCKET_TABLES)
    # The tables that exist now; a later migration that creates an entity table calls
    # `bucket_tracking` for it itself.
    existing = set(db.table_names())
    for entity, table in ENTITY_TABLES.items():
        if table in existing:
            run_sql(db, bucket_tracking(table, entity))


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
    run_sql(db, _LOST_SALES)
    run_sql(db, bucket_tracking("lost_sales", "lost_sale"))


@migrations()
def m0009_sync_issue_messages(db: Database) -> None:
    """The message key and values of a refusal, so the seller reads it in their language."""
    run_sql(
        db,
        """
ALTER TABLE sync_issues ADD COLUMN message_key TEXT;
ALTER TABLE sync_issues ADD COLUMN message_params TEXT NOT NULL DEFAULT '{}';
""",
    )


@migrations()
def m0010_no_stock_by_warehouse_index(db: Database) -> None:
    """Stock is only ever looked up by SKU (ix_stock_sku): the index by warehouse alone was
    read by no query, and building it was about 3% of a 1M-row first sync."""
    db.execute("DROP INDEX IF EXISTS ix_stock_warehouse_code")


@migrations()
def m0011_quote_answers(db: Database) -> None:
    """What an answer carries: the customer's PO number and wanted delivery day (on the quote
    and its order), and the seller's note on a lost quote."""
    run_sql(
        db,
        """
ALTER TABLE quotes ADD COLUMN lost_note TEXT;
ALTER TABLE quotes ADD COLUMN customer_po TEXT;
ALTER TABLE quotes ADD COLUMN requested_delivery TEXT;
ALTER TABLE orders ADD COLUMN customer_po TEXT;
ALTER TABLE orders ADD COLUMN requested_delivery TEXT;
""",
    )


@migrations()
def m0012_quote_notes(db: Database) -> None:
    """A quote's note for the customer, its note for the team and the conditions agreed."""
    run_sql(
        db,
        """
ALTER TABLE quotes ADD COLUMN customer_note TEXT;
ALTER TABLE quotes ADD COLUMN internal_note TEXT;
ALTER TABLE quotes ADD COLUMN conditions TEXT;
""",
    )


@migrations()
def m0013_infix_search(db: Database) -> None:
    """Search inside codes and names ("alara" finds "Calara", "487" finds "P-00487"): trigram
    indexes of the accent-folded values, kept by triggers like the word indexes of m0003, and
    filled from what the device holds already."""
    run_sql(db, INFIX_SEARCH_DDL)
    # Frozen names, not SEARCH_INDEXES: a later index must not be rebuilt by this shipped step.
    for index in ("customers_infix", "products_infix"):
        db.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")


@migrations()
def m0014_claim_status(db: Database) -> None:
    """A claim's product and quantity, its status and how it ended."""
    run_sql(
        db,
        """
ALTER TABLE claims ADD COLUMN sku TEXT;
ALTER TABLE claims ADD COLUMN quantity TEXT;
ALTER TABLE claims ADD COLUMN status TEXT;
ALTER TABLE claims ADD COLUMN resolution TEXT;
""",
    )


_ORDER_STATUSES = """
CREATE TABLE order_statuses (
    id TEXT PRIMARY KEY, order_id TEXT, erp_order TEXT, customer_code TEXT, status TEXT,
    status_date TEXT, quantity TEXT, reason TEXT,
    _version INTEGER NOT NULL
);
CREATE INDEX ix_order_statuses_customer_code ON order_statuses (customer_code, status_date);
CREATE INDEX ix_order_statuses_order_id ON order_statuses (order_id);
ALTER TABLE invoice_lines ADD COLUMN order_id TEXT;
CREATE INDEX ix_invoice_lines_order_id ON invoice_lines (order_id);
"""


@migrations()
def m0015_order_statuses(db: Database) -> None:
    """The ERP's steps for an exported order (with bucket tracking, see m0006), and the order
    an invoice line delivered. Lines pulled before this step name none until sent again."""
    run_sql(db, _ORDER_STATUSES)
    run_sql(db, bucket_tracking("order_statuses", "order_status"))
