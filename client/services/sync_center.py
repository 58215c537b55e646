"""The Sync screen's data: what waits to be sent, what the server refused or merged, and when
the device last caught up. Fixing and discarding act on `sync_issues` (see sync_issues.py).
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from client.services.files import pending_uploads
from client.services.session import Session
from client.store import (
    SyncIssue,
    count_pending,
    get_issue,
    list_issues,
    read_state,
    record,
    record_args,
    resolve_issue,
)
from shared.errors import NotFound, ValidationFailed

_SUMMARY_FIELDS = ("title", "competitor", "description", "purpose", "notes", "number")


@dataclass(frozen=True, slots=True)
class PendingItem:
    """One local change the server has not accepted yet."""

    mutation_id: int
    name: str
    customer_code: str
    summary: str
    created_at: datetime


RefusedRecord = tuple[SyncIssue, ...]
"""One record's refused changes, oldest first."""


@dataclass(frozen=True, slots=True)
class SyncCenter:
    """Everything the Sync screen shows."""

    pending: tuple[PendingItem, ...]
    """The oldest waiting changes (at most the asked limit)."""
    pending_count: int
    rejected: tuple[SyncIssue, ...]
    conflicts: tuple[SyncIssue, ...]
    files_waiting: int
    """Photos and quote PDFs kept on the device and not yet uploaded."""
    last_success_at: datetime | None
    customer_names: dict[str, str] = field(default_factory=dict)
    """The names of the customers these changes are about, by code (one no longer on the device:
    the name kept with its refusal, if any)."""

    @property
    def rejected_records(self) -> tuple[RefusedRecord, ...]:
        """The refused changes by record, in the order they were made: a visit recorded, checked
        out and saved offline is three changes and one thing to look at (a fix resolves them
        all). A change that names no record stands alone."""
        groups: dict[tuple[str, str], list[SyncIssue]] = {}
        for issue in self.rejected:
            groups.setdefault(issue.looked_at_as, []).append(issue)
        return tuple(tuple(sorted(g, key=_made)) for g in groups.values())

    def customer(self, code: str) -> str:
        """A customer as the seller knows her: "Name (code)", or the code alone."""
        name = self.customer_names.get(code)
        return f"{name} ({code})" if name and code else code


def describe_args(args: dict | None) -> tuple[str, str]:
    """(customer code, a few words) of a mutation's record, for a list row."""
    carried = record_args(args)
    summary = next((str(carried[f]) for f in _SUMMARY_FIELDS if carried.get(f)), "")
    return str(carried.get("customer_code") or ""), summary[:80]


def sync_center(session: Session, limit: int = 200) -> SyncCenter:
    """The outbox (oldest first), open issues split by kind, and the last successful sync."""
    with session.store.read() as db:
        rows = db.execute(
            "SELECT mutation_id, name, args, created_at FROM outbox ORDER BY mutation_id LIMIT ?", [limit]
        ).fetchall()
        issues = list_issues(db)
        total = count_pending(db)
        last = read_state(db).last_success_at
        pending = []
        for mutation_id, name, args, created in rows:
            customer, summary = describe_args(json.loads(args))
            pending.append(PendingItem(mutation_id, name, customer, summary, datetime.fromisoformat(created)))
        codes = sorted(({p.customer_code for p in pending} | {describe_args(i.args)[0] for i in issues}) - {""})
        names = dict(
            db.execute(f"SELECT code, legal_name FROM customers WHERE code IN ({', '.join('?' for _ in codes)})", codes)
            if codes
            else []
        )
    for issue in issues:  # a customer who has left the device: the name kept with the refusal
        code = describe_args(issue.args)[0]
        if code and not names.get(code) and issue.customer_name:
            names[code] = issue.customer_name
    return SyncCenter(
        pending=tuple(pending),
        pending_count=total,
        rejected=tuple(i for i in issues if i.kind == "rejected"),
        conflicts=tuple(i for i in issues if i.kind == "conflict"),
        files_waiting=len(pending_uploads(session.store)),
        last_success_at=last,
        customer_names={code: name for code, name in names.items() if name},
    )


def send_again(session: Session, issue_id: int) -> int:
    """Queue a refused change once more, as it was (e.g. after the customer came back to the
    seller's portfolio), and close the issue; return the new mutation id."""
    with session.store.read() as db:
        issue = get_issue(db, issue_id)
    if issue is None or not issue.is_open:
        raise NotFound(f"sync issue {issue_id} is not open", key="problem.sync_issue.not_open")
    if issue.kind != "rejected" or not issue.name or issue.args is None:
        raise ValidationFailed("only a refused change can be sent again", key="problem.sync_issue.not_refused")
    mutation_id = record(session.store, issue.name, issue.args)
    with session.store.write() as db:
        resolve_issue(db, issue_id)
    if session.on_local_write is not None:
        session.on_local_write()
    return mutation_id


def _made(issue: SyncIssue) -> tuple[int, int]:
    # The order the changes were made on the device (a change sent again and refused again
    # has a newer issue, but its mutation keeps its place only by its id).
    return (issue.mutation_id or 0, issue.id)


def send_all_again(session: Session, issue_ids: list[int]) -> list[int]:
    """Queue a record's refused changes once more, in the order they were made."""
    with session.store.read() as db:
        issues = [i for i in (get_issue(db, n) for n in issue_ids) if i is not None]
    return [send_again(session, issue.id) for issue in sorted(issues, key=_made)]


__all__ = ["PendingItem", "RefusedRecord", "SyncCenter", "describe_args", "send_again", "send_all_again", "sync_center"]
