"""The device's reference tables (what the ERP export fills) and their full-text search
indexes, as the migrations create them (m0001, m0003, m0013). Written out, not derived from
the models: a shipped step never changes under a device that already applied it. Later steps
change what these made: m0010 drops ix_stock_warehouse_code again.
"""

from typing import NamedTuple

REFERENCE_TABLES_DDL = """
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
# During a first (or replacement) sync the triggers are switched off while the key
# `search_index_deferred` is in sync_state, and the index is rebuilt once with the last page:
# three times faster than row by row (see store/changes.py, measured there).
LIVE = "NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'search_index_deferred')"
SEARCH_INDEXES_DDL = f"""
CREATE VIRTUAL TABLE customers_fts USING fts5(
    code, legal_name, trade_name, tax_id, city,
    content='customers', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers WHEN {LIVE} BEGIN
    INSERT INTO customers_fts (rowid, code, legal_name, trade_name, tax_id, city)
    VALUES (new.rowid, new.code, new.legal_name, new.trade_name, new.tax_id, new.city);
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers WHEN {LIVE} BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, code, legal_name, trade_name, tax_id, city)
    VALUES ('delete', old.rowid, old.code, old.legal_name, old.trade_name, old.tax_id, old.city);
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE ON customers
WHEN {LIVE} AND (old.code IS NOT new.code OR old.legal_name IS NOT new.legal_name
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
CREATE TRIGGER products_fts_insert AFTER INSERT ON products WHEN {LIVE} BEGIN
    INSERT INTO products_fts (rowid, sku, name, description)
    VALUES (new.rowid, new.sku, new.name, new.description);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products WHEN {LIVE} BEGIN
    INSERT INTO products_fts (products_fts, rowid, sku, name, description)
    VALUES ('delete', old.rowid, old.sku, old.name, old.description);
END;
CREATE TRIGGER products_fts_update AFTER UPDATE ON products
WHEN {LIVE} AND (old.sku IS NOT new.sku OR old.name IS NOT new.name OR old.description IS NOT new.description)
BEGIN
    INSERT INTO products_fts (products_fts, rowid, sku, name, description)
    VALUES ('delete', old.rowid, old.sku, old.name, old.description);
    INSERT INTO products_fts (rowid, sku, name, description)
    VALUES (new.rowid, new.sku, new.name, new.description);
END;
"""

# Infix search (m0013): FTS5's trigram tokenizer indexes every three characters, so a
# word is found anywhere inside a value ("alara" in "Calara", "487" in "P-00487"), not
# only where a word starts. Its values are folded first (`terreno_fold`, store/search_text.py):
# this SQLite's trigram cannot drop accents itself. The external content is a view of the
# folded values, so FTS5's 'rebuild' (after a bulk load, a VACUUM) reads what the triggers
# write. Only codes and names: a description's substrings are mostly noise, and would make
# the index several times bigger (the word index above still searches descriptions).
INFIX_SEARCH_DDL = f"""
CREATE VIEW customers_infix_text AS
SELECT rowid AS customer_rowid, terreno_fold(code) AS code, terreno_fold(legal_name) AS legal_name,
    terreno_fold(trade_name) AS trade_name, terreno_fold(tax_id) AS tax_id
FROM customers;
CREATE VIRTUAL TABLE customers_infix USING fts5(
    code, legal_name, trade_name, tax_id,
    content='customers_infix_text', content_rowid='customer_rowid',
    tokenize='trigram case_sensitive 0'
);
CREATE TRIGGER customers_infix_insert AFTER INSERT ON customers WHEN {LIVE} BEGIN
    INSERT INTO customers_infix (rowid, code, legal_name, trade_name, tax_id)
    VALUES (new.rowid, terreno_fold(new.code), terreno_fold(new.legal_name), terreno_fold(new.trade_name),
        terreno_fold(new.tax_id));
END;
CREATE TRIGGER customers_infix_delete AFTER DELETE ON customers WHEN {LIVE} BEGIN
    INSERT INTO customers_infix (customers_infix, rowid, code, legal_name, trade_name, tax_id)
    VALUES ('delete', old.rowid, terreno_fold(old.code), terreno_fold(old.legal_name), terreno_fold(old.trade_name),
        terreno_fold(old.tax_id));
END;
CREATE TRIGGER customers_infix_update AFTER UPDATE ON customers
WHEN {LIVE} AND (old.code IS NOT new.code OR old.legal_name IS NOT new.legal_name
  OR old.trade_name IS NOT new.trade_name OR old.tax_id IS NOT new.tax_id)
BEGIN
    INSERT INTO customers_infix (customers_infix, rowid, code, legal_name, trade_name, tax_id)
    VALUES ('delete', old.rowid, terreno_fold(old.code), terreno_fold(old.legal_name), terreno_fold(old.trade_name),
        terreno_fold(old.tax_id));
    INSERT INTO customers_infix (rowid, code, legal_name, trade_name, tax_id)
    VALUES (new.rowid, terreno_fold(new.code), terreno_fold(new.legal_name), terreno_fold(new.trade_name),
        terreno_fold(new.tax_id));
END;
CREATE VIEW products_infix_text AS
SELECT rowid AS product_rowid, terreno_fold(sku) AS sku, terreno_fold(name) AS name
FROM products;
CREATE VIRTUAL TABLE products_infix USING fts5(
    sku, name,
    content='products_infix_text', content_rowid='product_rowid',
    tokenize='trigram case_sensitive 0'
);
CREATE TRIGGER products_infix_insert AFTER INSERT ON products WHEN {LIVE} BEGIN
    INSERT INTO products_infix (rowid, sku, name)
    VALUES (new.rowid, terreno_fold(new.sku), terreno_fold(new.name));
END;
CREATE TRIGGER products_infix_delete AFTER DELETE ON products WHEN {LIVE} BEGIN
    INSERT INTO products_infix (products_infix, rowid, sku, name)
    VALUES ('delete', old.rowid, terreno_fold(old.sku), terreno_fold(old.name));
END;
CREATE TRIGGER products_infix_update AFTER UPDATE ON products
WHEN {LIVE} AND (old.sku IS NOT new.sku OR old.name IS NOT new.name)
BEGIN
    INSERT INTO products_infix (products_infix, rowid, sku, name)
    VALUES ('delete', old.rowid, terreno_fold(old.sku), terreno_fold(old.name));
    INSERT INTO products_infix (rowid, sku, name)
    VALUES (new.rowid, terreno_fold(new.sku), terreno_fold(new.name));
END;
"""


class SearchIndex(NamedTuple):
    """An FTS5 index over external content, and where its values come from."""

    name: str
    source: str
    """What 'rebuild' reads, and a bulk load copies new rows from: the table, or a view of it."""
    source_rowid: str
    """The source's column holding the table's rowid."""


SEARCHED_TABLES: dict[str, tuple[SearchIndex, ...]] = {
    "customers": (
        SearchIndex("customers_fts", "customers", "rowid"),
        SearchIndex("customers_infix", "customers_infix_text", "customer_rowid"),
    ),
    "products": (
        SearchIndex("products_fts", "products", "rowid"),
        SearchIndex("products_infix", "products_infix_text", "product_rowid"),
    ),
}
"""Content table → its search indexes."""

SEARCH_INDEXES = tuple(index.name for indexes in SEARCHED_TABLES.values() for index in indexes)
"""FTS5 tables over external content; `'rebuild'` re-reads them from their sources."""


__all__ = [
    "INFIX_SEARCH_DDL",
    "LIVE",
    "REFERENCE_TABLES_DDL",
    "SEARCHED_TABLES",
    "SEARCH_INDEXES",
    "SEARCH_INDEXES_DDL",
    "SearchIndex",
]
