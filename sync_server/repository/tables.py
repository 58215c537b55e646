"""SQLAlchemy Core tables of the server, the same on SQLite and PostgreSQL.

Entity tables are derived from the shared pydantic models so that a field added to a model
cannot silently miss its column; Alembic migrations (in `migrations/`) freeze each step.
Sync bookkeeping (`changes`, `records`, `server_meta`) and identity (`credentials`,
`devices`, `tokens`) are declared by hand below.
"""

import types
import typing
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from shared.models import FIELD_MODELS, REFERENCE_MODELS, Record
from shared.models.tables import ENTITY_TABLES as TABLE_OF_ENTITY
from sync_server.repository.types import ExactDecimal, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

TABLE_NAMES: dict[str, str] = TABLE_OF_ENTITY

# Columns looked up by scope or by parent; every table holding one gets an index on it.
_INDEXED = ("customer_code", "seller_login", "invoice_number", "quote_id", "visit_id", "sku", "order_id")

# SQLite only aliases the rowid (and so autoincrements) for a plain INTEGER primary key.
_BigId = BigInteger().with_variant(Integer(), "sqlite")


def _unwrap(annotation) -> tuple[object, bool, list]:
    """Return (base type, nullable, constraints) of an annotation such as `Code | None`."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, nullable, extra = _unwrap(typing.get_args(annotation)[0])
        return base, nullable, [*extra, *annotation.__metadata__]
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return object, True, []
        base, _, extra = _unwrap(args[0])
        return base, True, extra
    return annotation, False, []


def _max_length(constraints: list) -> int:
    lengths = [m.max_length for m in constraints if getattr(m, "max_length", None)]
    return max(lengths) if lengths else 4000


def _column_type(base: object, max_length: int):
    if isinstance(base, type):
        if issubclass(base, bool):
            return Boolean()
        if issubclass(base, int):
            return Integer()
        if issubclass(base, Decimal):
            return ExactDecimal()
        if issubclass(base, datetime):
            return UtcDateTime()
        if issubclass(base, date):
            return Date()
        if issubclass(base, UUID):
            return String(36)
        if issubclass(base, Enum):
            return String(40)
        if issubclass(base, str):
            return String(max_length)
        if issubclass(base, BaseModel):
            return JSON()
    return JSON()  # tuples and nested models


def _entity_table(model: type[Record]) -> Table:
    columns = []
    for name, info in model.model_fields.items():
        base, nullable, constraints = _unwrap(info.annotation)
        max_length = _max_length([*constraints, *info.metadata])
        columns.append(
            Column(
                name,
                _column_type(base, max_length),
                primary_key=name in model.KEY,
                nullable=nullable and name not in model.KEY,
            )
        )
    table = Table(TABLE_NAMES[model.ENTITY], metadata, *columns)
    for name in _INDEXED:
        if name in model.model_fields and name not in model.KEY[:1]:
            Index(None, table.c[name])
    return table


ENTITY_TABLES: dict[str, Table] = {m.ENTITY: _entity_table(m) for m in (*REFERENCE_MODELS, *FIELD_MODELS)}

# The dashboard's reads (metric_reads, metric_parts): a quote number's versions, a seller's
# quotes and approval requests of some days.
Index(None, ENTITY_TABLES["quote"].c.number)
Index(None, ENTITY_TABLES["quote"].c.seller_login, ENTITY_TABLES["quote"].c.issue_date)
Index(None, ENTITY_TABLES["approval_request"].c.requested_by, ENTITY_TABLES["approval_request"].c.requested_at)

changes = Table(
    "changes",
    metadata,
    Column("seq", _BigId, primary_key=True, autoincrement=True),
    Column("bucket", String(120), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(300), nullable=False),
    Column("op", String(6), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)
"""The change log (DESIGN §4.5): every change, in the transaction that made it."""
Index(None, changes.c.bucket, changes.c.seq)
Index(None, changes.c.entity, changes.c.entity_id)

quarantined_changes = Table(
    "quarantined_changes",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("bucket", String(120), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(300), nullable=False),
    Column("op", String(6), nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("data", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=False),
    Column("quarantined_at", UtcDateTime, nullable=False),
)
"""Changes `terreno-server check --repair` took out of the change log because no device
could read them, kept as they were for the operator."""

records = Table(
    "records",
    metadata,
    Column("entity", String(40), primary_key=True),
    Column("entity_id", String(300), primary_key=True),
    Column("bucket", String(120), nullable=False),
    Column("version", Integer, nullable=False),
    Column("digest", String(32), nullable=False),
    Column("checksum", BigInteger, nullable=False, server_default="0"),
)
"""Current bucket, version and content digest of every live synced row (no tombstones)."""
Index(None, records.c.bucket)

bucket_totals = Table(
    "bucket_totals",
    metadata,
    Column("bucket", String(120), primary_key=True),
    Column("count", BigInteger, nullable=False),
    Column("checksum", BigInteger, nullable=False),
)
"""Per bucket: live record count and checksum sum (mod 2**32), kept with every record write
so a checkpoint costs one row per bucket instead of a scan of the bucket."""

server_meta = Table(
    "server_meta",
    metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text, nullable=False),
)
"""Server-wide settings that live with the data, such as the sync `epoch`."""

metric_parts = Table(
    "metric_parts",
    metadata,
    Column("seller_login", String(64), primary_key=True),
    Column("part", String(40), primary_key=True),
    Column("data", Text, nullable=False),
    Column("computed_at", UtcDateTime, nullable=False),
)
"""Each seller's kept part of the dashboard's figures (docs/metrics.md "Cost"): per period
("2026-03-01/2026-03-31"), "now" (pipeline, dormant customers) and "gaps" (unpenetrated
categories), as JSON; `server_meta` "metrics_applied_seq" is the last change they follow."""

credentials = Table(
    "credentials",
    metadata,
    Column("login", String(64), primary_key=True),
    Column("password_hash", String(300), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("erp_hash", String(300), nullable=True),
)
"""Argon2 password hashes, apart from the synced `users` so they never reach a device.
`erp_hash` is the hash users.csv last carried for the login (None: none yet); a password set
on the server (an administrator, the user herself) is replaced only when the ERP's hash changes."""

admin_edits = Table(
    "admin_edits",
    metadata,
    Column("entity", String(16), primary_key=True),
    Column("record_id", String(200), primary_key=True),
    Column("field", String(64), primary_key=True),
    Column("erp_value", Text, nullable=True),
    Column("edited_at", UtcDateTime, nullable=False),
    Column("edited_by", String(64), nullable=True),
)
"""Where a user's or team's field came from: a row here says an administrator set it, and
holds (as canonical JSON) the ERP's value it replaced; no row, the ERP's. `field` '*' marks
a record an administrator created (`erp_value` None). The import keeps an administrator's
value while the ERP's own value for the field is still `erp_value` (importer/admin_edits.py)."""

deactivations = Table(
    "deactivations",
    metadata,
    Column("login", String(64), primary_key=True),
    Column("deactivated_at", UtcDateTime, nullable=False),
    Column("deactivated_by", String(64), nullable=True),
)
"""Accounts an administrator deactivated: they cannot sign in until reactivated (the user
record stays, with her history; her sessions ended when she was deactivated)."""

devices = Table(
    "devices",
    metadata,
    Column("client_id", String(36), primary_key=True),
    Column("login", String(64), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("last_mutation_id", BigInteger, nullable=False, default=0),
    Column("number", Integer, nullable=False),
    Column("quote_prefix", String(8), nullable=False),
    Index("ux_devices_login_number", "login", "number", unique=True),
    Index("ux_devices_quote_prefix", "quote_prefix", unique=True),
)
"""Registered devices: a `client_id` belongs to exactly one user, who numbers them 1, 2, 3….
`quote_prefix` (the user's initials and that number, unique across all devices) starts the
quote numbers the device issues offline."""

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("client_id", String(36), nullable=False, index=True),
    Column("login", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)
"""Bearer tokens (stored as SHA-256), bound to (user, client_id), with expiry."""

mutations = Table(
    "mutations",
    metadata,
    Column("client_id", String(36), primary_key=True),
    Column("mutation_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(40), nullable=False),
    Column("status", String(10), nullable=False),
    Column("code", String(60), nullable=True),
    Column("detail", Text, nullable=True),
    Column("result", Text, nullable=True),
    Column("processed_at", UtcDateTime, nullable=False),
)
"""The mutation ledger: every processed mutation's result, so a retried push gets it back."""

attachments = Table(
    "attachments",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("uploaded_by", String(64), nullable=False),
    Column("bucket", String(120), nullable=False),
    Column("received_bytes", BigInteger, nullable=False, default=0),
    Column("is_complete", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("completed_at", UtcDateTime, nullable=True),
)
"""Content-addressed uploads (photos, quote PDFs); bytes live in the data folder."""
Index(None, attachments.c.bucket)

attachment_uploads = Table(
    "attachment_uploads",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("client_id", String(36), primary_key=True),
    Column("login", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("received_bytes", BigInteger, nullable=False, default=0),
    Column("created_at", UtcDateTime, nullable=False),
)
"""Uploads in progress, one per (attachment, device): only the device that started one may
see or continue it. A finished upload becomes (or meets) its row in `attachments`."""

email_outbox = Table(
    "email_outbox",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("quote_id", String(36), nullable=False, index=True),
    Column("delivery_id", String(36), nullable=False, unique=True),
    Column("recipients", JSON, nullable=False),
    Column("subject", String(200), nullable=False),
    Column("message", Text, nullable=False),
    Column("pdf_sha256", String(64), nullable=False),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
"""E-mails the server must deliver over SMTP, with retries and backoff (DESIGN §6)."""
Index(None, email_outbox.c.status, email_outbox.c.next_attempt_at)

policies = Table(
    "policies",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("data", Text, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
"""Server-configured rules synced to devices (approval policy, credit policy) as JSON."""

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", _BigId, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("login", String(64), nullable=True),
    Column("client_id", String(36), nullable=True),
    Column("address", String(64), nullable=True),
    Column("subject", String(200), nullable=True),
    Column("detail", Text, nullable=True),
)
"""What was done on the server, by whom and from where: sign-ins (failed too), logouts,
password changes, revocations, approvals, e-mails queued and exports. Written by the
repository in the transaction of the act itself (a failed sign-in in its own); read by
`terreno-server audit` and by the sign-in throttle (recent failures of a login or address)."""
Index("ix_audit_log_kind_login_at", audit_log.c.kind, audit_log.c.login, audit_log.c.at)
Index("ix_audit_log_kind_address_at", audit_log.c.kind, audit_log.c.address, audit_log.c.at)
Index("ix_audit_log_at", audit_log.c.at)

approval_delegations = Table(
    "approval_delegations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("delegator_login", String(64), nullable=False),
    Column("delegate_login", String(64), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("cancelled_at", UtcDateTime, nullable=True),
)
"""A manager's approvals handed to another manager for a range of days (shared/rules/delegation.py):
read by the scope of the delegate (her buckets, the requests she may decide) on every request."""
Index(None, approval_delegations.c.delegate_login, approval_delegations.c.ends_on)
Index(None, approval_delegations.c.delegator_login)
company_profile = Table(
    "company_profile",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("data", Text, nullable=False),
    Column("logo", LargeBinary, nullable=True),
    Column("logo_type", String(40), nullable=True),
    Column("logo_sha256", String(64), nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(64), nullable=True),
)
"""The company issuing the quotes (one row, id 1): the profile as JSON and its logo's bytes,
from `company.csv` or an administrator's edit; devices fetch it at the end of a sync round."""

__all__ = [
    "ENTITY_TABLES",
    "approval_delegations",
    "TABLE_NAMES",
    "attachment_uploads",
    "audit_log",
    "attachments",
    "bucket_totals",
    "changes",
    "company_profile",
    "credentials",
    "email_outbox",
    "devices",
    "metadata",
    "mutations",
    "policies",
    "quarantined_changes",
    "records",
    "server_meta",
    "tokens",
]
