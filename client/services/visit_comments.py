"""A visit's thread: the seller's addenda and replies, her manager's comments, and which of
them this user has not read yet.

The server's clock orders a thread (`posted_at`, set when it takes a comment); a comment
written here and not yet synced has none and comes last, in the order it was written. What a
user has read is this device's own note (`comment_reads`), never synced: a comment is news
until she opens its visit here.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlite_utils import Database

from client.services.field_work import record_comment
from client.services.ids import new_record_id
from client.services.session import Session
from client.store import FIELD_TABLES, record_from_row
from shared.errors import ValidationFailed
from shared.models.field import VisitComment

MAX_COMMENT = 4000
_COMMENTS = FIELD_TABLES["visit_comment"]
_VISITS = FIELD_TABLES["visit"]


@dataclass(frozen=True, slots=True)
class ThreadLine:
    """One comment with its author's name, and whether this user has yet to read it."""

    comment: VisitComment
    author_name: str
    unread: bool

    @property
    def waiting(self) -> bool:
        """Written on this device and not yet taken by the server."""
        return self.comment.posted_at is None


@dataclass(frozen=True, slots=True)
class UnreadComment:
    """A comment by someone else on a visit this user follows (hers, or one she commented on)."""

    comment_id: str
    visit_id: str
    visit_seller: str
    customer_code: str
    customer_name: str
    author_name: str
    text: str


def thread(db: Database, visit_id: UUID, login: str) -> tuple[ThreadLine, ...]:
    """A visit's comments in the server's order, the unsynced ones last."""
    rows = db.query(
        f'SELECT c.*, coalesce(u.name, c.author_login) AS author_name, r.comment_id IS NULL AS unread_mark FROM "{_COMMENTS}" c '
        "LEFT JOIN users u ON u.login = c.author_login LEFT JOIN comment_reads r ON r.comment_id = c.id "
        "WHERE c.visit_id = ? ORDER BY c.posted_at IS NULL, c.posted_at, c.id",
        [str(visit_id)],
    )
    return tuple(
        ThreadLine(
            record_from_row(VisitComment, row),
            row["author_name"],
            bool(row["unread_mark"]) and row["author_login"] != login,
        )
        for row in rows
    )


def comment_on_visit(session: Session, visit_id: UUID, text: str) -> VisitComment:
    """Write on a synced visit: a manager's comment or the seller's reply. The server decides
    who may (the visit's seller, her team's manager, an administrator)."""
    said = text.strip()
    if not said:
        raise ValidationFailed("write the comment first", key="problem.visit.empty_comment")
    if len(said) > MAX_COMMENT:
        raise ValidationFailed(
            f"the comment has {len(said)} characters; at most {MAX_COMMENT}",
            key="problem.visit.comment_too_long",
            params={"length": len(said), "limit": MAX_COMMENT},
        )
    comment = VisitComment(id=new_record_id(), visit_id=visit_id, author_login=session.login, text=said)
    return record_comment(session, comment)


def mark_thread_read(session: Session, visit_id: UUID, now: datetime | None = None) -> int:
    """Note that this user has read every comment on the visit; returns how many were new."""
    moment = (now or datetime.now(UTC)).isoformat()
    with session.store.write() as db:
        return db.execute(
            f'INSERT OR IGNORE INTO comment_reads (comment_id, read_at) SELECT id, ? FROM "{_COMMENTS}" '
            "WHERE visit_id = ? AND author_login <> ?",
            [moment, str(visit_id), session.login],
        ).rowcount


def unread_comments(db: Database, login: str, limit: int = 20) -> list[UnreadComment]:
    """Comments by others, not read here, on the user's own visits or on visits she commented on."""
    rows = db.execute(
        f"SELECT c.id, c.visit_id, v.seller_login, v.customer_code, coalesce(k.legal_name, v.customer_code), "
        f'coalesce(u.name, c.author_login), c.text FROM "{_COMMENTS}" c JOIN "{_VISITS}" v ON v.id = c.visit_id '
        "LEFT JOIN customers k ON k.code = v.customer_code LEFT JOIN users u ON u.login = c.author_login "
        "WHERE c.author_login <> ? AND NOT EXISTS (SELECT 1 FROM comment_reads r WHERE r.comment_id = c.id) "
        f'AND (v.seller_login = ? OR EXISTS (SELECT 1 FROM "{_COMMENTS}" mine WHERE mine.visit_id = c.visit_id '
        "AND mine.author_login = ?)) ORDER BY c.posted_at IS NULL, c.posted_at DESC LIMIT ?",
        [login, login, login, limit],
    ).fetchall()
    return [UnreadComment(*row) for row in rows]


__all__ = [
    "MAX_COMMENT",
    "ThreadLine",
    "UnreadComment",
    "comment_on_visit",
    "mark_thread_read",
    "thread",
    "unread_comments",
]
