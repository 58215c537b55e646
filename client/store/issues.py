"""Sync issues: what a push left for the seller to look at (the `sync_issues` table).

Two kinds. A *rejected* mutation was refused for good by the server (validation, scope,
state machine): its name and args are kept, so what the seller typed is never lost, and
its local rows stay until the seller discards it. A *conflict* is an opportunity edit the
server merged with its own value winning on some fields: the fields are listed so the
seller is told what changed. Recorded in the push's transaction, with the acknowledgement.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlite_utils import Database

from client.store.effects import target_of, undo_effect
from shared.protocol import Mutation, MutationResult

IssueKind = Literal["rejected", "conflict"]


@dataclass(frozen=True, slots=True)
class SyncIssue:
    """One thing the seller should look at after a sync."""

    id: int
    kind: IssueKind
    at: datetime
    """When the device learnt of it (UTC)."""
    detail: str
    """The server's English words (logs, support; what the seller reads when there is no key)."""
    mutation_id: int | None
    name: str | None
    """The mutation's name (record_visit, save_opportunity, ...)."""
    args: dict[str, Any] | None
    """What the device sent: for a rejection, everything the seller recorded."""
    code: str | None
    """The stable error code of a rejection (out_of_scope, validation_failed, ...)."""
    entity: str | None
    entity_id: str | None
    fields: tuple[str, ...]
    """For a conflict: the fields where the server's value won."""
    resolved_at: datetime | None
    key: str | None = None
    """The message of a rejection, for the seller's language (see shared.messages)."""
    params: dict[str, Any] = field(default_factory=dict)
    """The values of `key`."""
    customer_name: str | None = None
    """The name of the customer the change is about, as the device knew her when the server
    answered (she may have left the device since, with the portfolio)."""

    @property
    def is_open(self) -> bool:
        """Whether the seller has not dealt with it yet."""
        return self.resolved_at is None

    @property
    def looked_at_as(self) -> tuple[str, str]:
        """What the seller looks at for it: a refusal, its record (a visit recorded and saved
        again offline, both refused, is one); anything else, itself. `count_open_issues`
        counts the same way."""
        if self.kind == "rejected" and self.entity_id:
            return (self.entity or "", self.entity_id)
        return ("issue", str(self.id))


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _insert(db: Database, kind: IssueKind, mutation: Mutation, result: MutationResult, fields: list[str]) -> None:
    entity, entity_id = target_of(mutation.name, mutation.args) or (None, None)
    # OR IGNORE: the same result arriving twice (a re-push after a lost response) is one issue.
    db.execute(
        "INSERT OR IGNORE INTO sync_issues (kind, mutation_id, name, args, code, entity, entity_id, fields, "
        "detail, message_key, message_params, at, customer_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            kind,
            mutation.id,
            mutation.name,
            json.dumps(mutation.args, ensure_ascii=False),
            result.code,
            entity,
            entity_id,
            json.dumps(fields),
            result.detail or "",
            result.key,
            json.dumps(result.params, ensure_ascii=False),
            _now(),
            _customer_name(db, mutation.args),
        ],
    )


def record_args(args: dict[str, Any] | None) -> dict[str, Any]:
    """The record a mutation's args carry (its one object value: {"visit": {...}}), or {}."""
    return next((value for value in (args or {}).values() if isinstance(value, dict)), {})


def _customer_name(db: Database, args: dict[str, Any]) -> str | None:
    """The name on the device of the customer a mutation's record is about, if any."""
    code = record_args(args).get("customer_code")
    if not isinstance(code, str) or not code:
        return None
    row = db.execute("SELECT legal_name FROM customers WHERE code = ?", [code]).fetchone()
    return row[0] if row else None


def record_rejection(db: Database, mutation: Mutation, result: MutationResult) -> None:
    """Remember a mutation the server refused for good (call inside Store.write())."""
    _insert(db, "rejected", mutation, result, [])


def record_conflict(db: Database, mutation: Mutation, result: MutationResult) -> None:
    """Remember the fields where the server's value won over the device's edit."""
    _insert(db, "conflict", mutation, result, list(result.conflicts))


_COLUMNS = (
    "id, kind, at, detail, mutation_id, name, args, code, entity, entity_id, fields, resolved_at, "
    "message_key, message_params, customer_name"
)


def _issue(row: tuple) -> SyncIssue:
    (
        id_,
        kind,
        at,
        detail,
        mutation_id,
        name,
        args,
        code,
        entity,
        entity_id,
        fields,
        resolved_at,
        key,
        params,
        customer,
    ) = row
    return SyncIssue(
        id=id_,
        kind=kind,
        at=datetime.fromisoformat(at),
        detail=detail,
        mutation_id=mutation_id,
        name=name,
        args=json.loads(args) if args else None,
        code=code,
        entity=entity,
        entity_id=entity_id,
        fields=tuple(json.loads(fields)),
        resolved_at=datetime.fromisoformat(resolved_at) if resolved_at else None,
        key=key,
        params=json.loads(params) if params else {},
        customer_name=customer,
    )


def list_issues(db: Database, *, include_resolved: bool = False) -> list[SyncIssue]:
    """Issues oldest first; open ones only unless `include_resolved`."""
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    return [_issue(r) for r in db.execute(f"SELECT {_COLUMNS} FROM sync_issues {where} ORDER BY id")]


def get_issue(db: Database, issue_id: int) -> SyncIssue | None:
    """One issue by id."""
    row = db.execute(f"SELECT {_COLUMNS} FROM sync_issues WHERE id = ?", [issue_id]).fetchone()
    return None if row is None else _issue(row)


def count_open_issues(db: Database) -> int:
    """How many things still need the seller's attention: a record's refusals (a visit
    recorded and saved again offline, both refused) are one, as the Sync screen shows them;
    each merge is one."""
    return int(
        db.execute(
            "SELECT count(DISTINCT CASE WHEN kind = 'rejected' AND coalesce(entity_id, '') != '' "
            "THEN coalesce(entity, '') || '|' || entity_id "
            "ELSE 'issue|' || id END) FROM sync_issues WHERE resolved_at IS NULL"
        ).fetchone()[0]
    )


def resolve_issue(db: Database, issue_id: int) -> bool:
    """Mark an issue dealt with, keeping the local rows as they are; False if not open. The
    customer's name kept with it goes: nothing shows a dealt-with issue's customer."""
    cursor = db.execute(
        "UPDATE sync_issues SET resolved_at = ?, customer_name = NULL WHERE id = ? AND resolved_at IS NULL",
        [_now(), issue_id],
    )
    return cursor.rowcount == 1


def discard_issue(db: Database, issue_id: int) -> bool:
    """Forget an issue; for a rejection also take back its local rows (see effects.undo)."""
    issue = get_issue(db, issue_id)
    if issue is None:
        return False
    if issue.kind == "rejected" and issue.is_open and issue.name and issue.args is not None:
        undo_effect(db, issue.name, issue.args)
    db.execute("DELETE FROM sync_issues WHERE id = ?", [issue_id])
    return True


__all__ = [
    "IssueKind",
    "SyncIssue",
    "count_open_issues",
    "discard_issue",
    "get_issue",
    "list_issues",
    "record_args",
    "record_conflict",
    "record_rejection",
    "resolve_issue",
]
