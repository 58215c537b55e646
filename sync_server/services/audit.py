"""The audit log's kinds of event, and writing and reading it (rows: `repository.audit`)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sync_server.repository import audit as audit_rows
from sync_server.repository.database import Connection


class AuditKind(StrEnum):
    """What an audit event records."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_THROTTLED = "sign_in_throttled"
    LOGOUT = "logout"
    PASSWORD_CHANGED = "password_changed"
    """By the user herself (every token of hers ends)."""
    PASSWORD_RESET = "password_reset"
    """By an administrator (`login`: who, None from the command line; `subject`: whose)."""
    DEVICE_REVOKED = "device_revoked"
    APPROVAL_DECIDED = "approval_decided"
    DRAFT_TAKEN_OVER = "draft_taken_over"
    """A seller copied a colleague's draft for a customer moved to her (subject: the draft's id)."""
    PRICE_OVERRIDE = "price_override"
    """A quote line saved at a price the seller set, not its list price (shared.rules.price_overrides)."""
    EMAIL_QUEUED = "email_queued"
    ORDERS_EXPORTED = "orders_exported"
    PROSPECTS_EXPORTED = "prospects_exported"
    APPROVALS_DELEGATED = "approvals_delegated"
    USER_CREATED = "user_created"
    USER_DEACTIVATED = "user_deactivated"
    USER_REACTIVATED = "user_reactivated"
    USER_MOVED = "user_moved"
    """A user moved to another team (`detail`: old team → new team)."""
    TEAM_RENAMED = "team_renamed"
    TEAM_MANAGER_SET = "team_manager_set"
    TEAM_PARENT_SET = "team_parent_set"
    """A team put under another, or at the top (`detail`: old parent → new parent)."""
    POLICY_CHANGED = "policy_changed"
    """`detail`: each changed field, old value → new value."""
    COMPANY_CHANGED = "company_changed"
    """The company profile or its logo, edited by an administrator (route or CLI)."""


def audit(
    conn: Connection,
    kind: AuditKind,
    *,
    login: str | None = None,
    client_id: str | None = None,
    address: str | None = None,
    subject: str | None = None,
    detail: str | None = None,
    at: datetime | None = None,
) -> None:
    """Record an event in the caller's transaction (so it stands or falls with the act)."""
    audit_rows.record_event(
        conn,
        kind.value,
        at or datetime.now(UTC),
        login=login,
        client_id=client_id,
        address=address,
        subject=subject,
        detail=detail,
    )


@dataclass(frozen=True)
class AuditEvent:
    """One event as `terreno-server audit` prints it."""

    at: datetime
    kind: str
    login: str | None
    client_id: str | None
    address: str | None
    subject: str | None
    detail: str | None


def list_events(
    conn: Connection,
    *,
    since: datetime | None = None,
    login: str | None = None,
    kinds: list[AuditKind] | None = None,
    limit: int = 1000,
) -> list[AuditEvent]:
    """Events oldest first, by time, login and kind."""
    rows = audit_rows.events(conn, since=since, login=login, kinds=[k.value for k in kinds or []], limit=limit)
    return [AuditEvent(r.at, r.kind, r.login, r.client_id, r.address, r.subject, r.detail) for r in rows]


__all__ = ["AuditEvent", "AuditKind", "audit", "list_events"]
