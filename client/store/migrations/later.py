"""The device database's steps from m0016 on; a new step goes at the end of this module."""

from sqlite_utils import Database

from client.store.migrations.first import bucket_tracking, migrations, run_sql


@migrations()
def m0016_unit_rules(db: Database) -> None:
    """A product's unit rules: divisible or not, its order minimum and multiple."""
    run_sql(
        db,
        """
ALTER TABLE products ADD COLUMN divisible INTEGER;
ALTER TABLE products ADD COLUMN order_minimum TEXT;
ALTER TABLE products ADD COLUMN order_multiple TEXT;
""",
    )


_LEADS = """
CREATE TABLE leads (
    id TEXT PRIMARY KEY, seller_login TEXT, name TEXT, contact TEXT, city TEXT, channel TEXT,
    source TEXT, notes TEXT, status TEXT, customer_code TEXT, opportunity_id TEXT,
    discard_reason TEXT, created_at TEXT, first_contact_at TEXT,
    _version INTEGER NOT NULL
);
CREATE INDEX ix_leads_status ON leads (status, created_at);
"""


@migrations()
def m0017_leads(db: Database) -> None:
    """The seller's leads, with their bucket tracking (see m0006)."""
    run_sql(db, _LEADS)
    run_sql(db, bucket_tracking("leads", "lead"))


@migrations()
def m0018_quote_links(db: Database) -> None:
    """The visit and opportunity a quote came from, the competitor's price per line of a lost
    quote, and who won a lost opportunity at what price."""
    run_sql(
        db,
        """
ALTER TABLE quotes ADD COLUMN competitor_lines TEXT;
ALTER TABLE quotes ADD COLUMN visit_id TEXT;
ALTER TABLE quotes ADD COLUMN opportunity_id TEXT;
CREATE INDEX ix_quotes_visit_id ON quotes (visit_id);
CREATE INDEX ix_quotes_opportunity_id ON quotes (opportunity_id);
ALTER TABLE opportunities ADD COLUMN competitor TEXT;
ALTER TABLE opportunities ADD COLUMN competitor_price TEXT;
""",
    )


_PROSPECTS = """
CREATE TABLE prospects (
    id TEXT PRIMARY KEY, code TEXT, seller_login TEXT, name TEXT, tax_id TEXT, contact TEXT,
    email TEXT, phone TEXT, city TEXT, country TEXT, currency TEXT, lead_id TEXT, created_at TEXT,
    _version INTEGER NOT NULL
);
"""


@migrations()
def m0019_prospects(db: Database) -> None:
    """The seller's prospects, with their bucket tracking (see m0006); each is also shown as a
    customer of the portfolio (client/store/prospect_rows.py)."""
    run_sql(db, _PROSPECTS)
    run_sql(db, bucket_tracking("prospects", "prospect"))


@migrations()
def m0020_approval_requested_at(db: Database) -> None:
    """When an approval request reached the server: a manager's inbox ages it from there."""
    run_sql(db, "ALTER TABLE approval_requests ADD COLUMN requested_at TEXT;")


@migrations()
def m0021_comment_threads(db: Database) -> None:
    """When the server took each visit comment, and which comments this user has read."""
    run_sql(
        db,
        """
ALTER TABLE visit_comments ADD COLUMN posted_at TEXT;
CREATE TABLE comment_reads (comment_id TEXT PRIMARY KEY, read_at TEXT NOT NULL);
""",
    )


@migrations()
def m0022_team_parents(db: Database) -> None:
    """The team each team belongs to: teams nest, and a manager's inbox names who answers for
    a request above its seller's team."""
    run_sql(db, "ALTER TABLE teams ADD COLUMN parent_code TEXT;")


@migrations()
def m0023_decision_on_behalf(db: Database) -> None:
    """On whose behalf a manager decided a request (she held the other's approvals by delegation)."""
    run_sql(db, "ALTER TABLE approval_decisions ADD COLUMN on_behalf_of TEXT;")


@migrations()
def m0024_company_profile(db: Database) -> None:
    """The company issuing the quotes as the server last gave it, with its logo's bytes."""
    run_sql(
        db,
        """
CREATE TABLE company_profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    data TEXT NOT NULL,
    logo BLOB,
    logo_sha256 TEXT,
    fetched_at TEXT NOT NULL
);
""",
    )


@migrations()
def m0025_customer_tax_regime(db: Database) -> None:
    """A customer's tax regime when the ERP sets it (else derived from country and tax id)."""
    run_sql(db, "ALTER TABLE customers ADD COLUMN tax_regime TEXT;")


@migrations()
def m0026_metrics_snapshot(db: Database) -> None:
    """The last metrics snapshot the server computed for this user (the dashboard opens
    offline on it): one row, replaced at the end of every sync round."""
    run_sql(
        db,
        """
CREATE TABLE metrics_snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL, as_of TEXT NOT NULL, fetched_at TEXT NOT NULL
);
""",
    )


@migrations()
def m0027_metrics_narrowed(db: Database) -> None:
    """The metrics snapshots narrowed to a segment or category the manager looked at, one per
    filter (`segment|category`), so a filter looked at online opens offline too."""
    run_sql(
        db,
        """
CREATE TABLE metrics_narrowed (
    filter TEXT PRIMARY KEY, data TEXT NOT NULL, as_of TEXT NOT NULL, fetched_at TEXT NOT NULL
);
""",
    )


@migrations()
def m0028_approval_reason_messages(db: Database) -> None:
    """Each reason of an approval request as a message (key and values): the manager reads
    them in her language."""
    run_sql(db, "ALTER TABLE approval_requests ADD COLUMN reason_messages TEXT;")


@migrations()
def m0029_sync_issue_customer_name(db: Database) -> None:
    """The name of the customer a refused change is about, kept with the refusal: a change
    refused because the customer left the seller's portfolio is followed by the customer's
    rows leaving the device, and the Sync screen still names her."""
    run_sql(db, "ALTER TABLE sync_issues ADD COLUMN customer_name TEXT;")
