"""What the seller sees and does about sync issues: rejected changes and merge conflicts.

After resolving or discarding, the UI asks the background engine to `refresh()` its counts.
"""

from client.services.session import Session
from client.store import SyncIssue, discard_issue, list_issues, resolve_issue


def list_sync_issues(session: Session, *, include_resolved: bool = False) -> list[SyncIssue]:
    """Issues oldest first (open ones only unless `include_resolved`)."""
    with session.store.read() as db:
        return list_issues(db, include_resolved=include_resolved)


def resolve_sync_issue(session: Session, issue_id: int) -> bool:
    """The seller has seen it and keeps the device's rows as they are; False if not open."""
    with session.store.write() as db:
        return resolve_issue(db, issue_id)


def discard_sync_issue(session: Session, issue_id: int) -> bool:
    """Forget the issue; a rejected record the server never had is removed from the device too."""
    with session.store.write() as db:
        return discard_issue(db, issue_id)


def discard_sync_issues(session: Session, issue_ids: list[int]) -> int:
    """Forget a record's refused changes, newest first (each undone on the device as its own
    discard does), in one write; how many were there."""
    with session.store.write() as db:
        return sum(discard_issue(db, issue_id) for issue_id in sorted(issue_ids, reverse=True))


__all__ = ["discard_sync_issue", "discard_sync_issues", "list_sync_issues", "resolve_sync_issue"]
