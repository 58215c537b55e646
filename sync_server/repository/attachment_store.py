"""The rows behind attachments: complete ones (`attachments`) and each device's upload in
progress (`attachment_uploads`, one row per digest and device).

The bytes live in files (services/attachments.py); these rows say how many of them arrived,
who sent them and in which bucket a complete attachment may be read.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from sync_server.repository.tables import attachment_uploads, attachments


@dataclass(frozen=True)
class Attachment:
    """One stored attachment, or one device's upload of it so far (`is_complete` False)."""

    sha256: str
    size: int
    content_type: str
    uploaded_by: str
    bucket: str
    received_bytes: int
    is_complete: bool


class UploadAlreadyStarted(Exception):
    """Another request created this device's upload row first (two first chunks raced)."""


def find_complete(conn: Connection, sha256: str, *, lock: bool = False) -> Attachment | None:
    """The complete attachment with that digest, or None; `lock` holds its row until commit."""
    query = select(attachments).where(attachments.c.sha256 == sha256)
    row = conn.execute(query.with_for_update() if lock else query).first()
    return _complete(row) if row is not None else None


def find_upload(conn: Connection, sha256: str, client_id: str, bucket: str, *, lock: bool = False) -> Attachment | None:
    """A device's upload in progress, or None.

    `lock` holds the row until commit: FOR UPDATE on PostgreSQL; SQLite has none, its
    BEGIN IMMEDIATE already serialises writers. `bucket` is where the upload would land.
    """
    query = select(attachment_uploads).where(*_own(sha256, client_id))
    row = conn.execute(query.with_for_update() if lock else query).first()
    return _in_progress(row, bucket) if row is not None else None


def create_upload(
    conn: Connection, sha256: str, client_id: str, login: str, size: int, content_type: str, now: datetime
) -> None:
    """Start a device's upload with nothing received; UploadAlreadyStarted if it exists."""
    try:
        conn.execute(
            insert(attachment_uploads).values(
                sha256=sha256,
                client_id=client_id,
                login=login,
                size=size,
                content_type=content_type,
                received_bytes=0,
                created_at=now,
            )
        )
    except IntegrityError as exc:
        raise UploadAlreadyStarted(sha256) from exc


def restart_upload(conn: Connection, sha256: str, client_id: str, size: int, content_type: str) -> None:
    """Begin a device's upload again from byte 0 with a new declaration."""
    conn.execute(
        update(attachment_uploads)
        .where(*_own(sha256, client_id))
        .values(size=size, content_type=content_type, received_bytes=0)
    )


def record_received(conn: Connection, sha256: str, client_id: str, received_bytes: int) -> None:
    """How many bytes of a device's upload are now stored."""
    conn.execute(update(attachment_uploads).where(*_own(sha256, client_id)).values(received_bytes=received_bytes))


def drop_upload(conn: Connection, sha256: str, client_id: str) -> None:
    """Forget a device's upload in progress (finished, or its bytes did not match)."""
    conn.execute(delete(attachment_uploads).where(*_own(sha256, client_id)))


def add_complete(conn: Connection, attachment: Attachment, now: datetime) -> None:
    """Store a verified attachment."""
    conn.execute(
        insert(attachments).values(
            sha256=attachment.sha256,
            size=attachment.size,
            content_type=attachment.content_type,
            uploaded_by=attachment.uploaded_by,
            bucket=attachment.bucket,
            received_bytes=attachment.size,
            is_complete=True,
            created_at=now,
            completed_at=now,
        )
    )


def _own(sha256: str, client_id: str) -> tuple:
    return attachment_uploads.c.sha256 == sha256, attachment_uploads.c.client_id == client_id


def _in_progress(row: Row, bucket: str) -> Attachment:
    return Attachment(
        sha256=row.sha256,
        size=row.size,
        content_type=row.content_type,
        uploaded_by=row.login,
        bucket=bucket,
        received_bytes=row.received_bytes,
        is_complete=False,
    )


def _complete(row: Row) -> Attachment:
    return Attachment(
        sha256=row.sha256,
        size=row.size,
        content_type=row.content_type,
        uploaded_by=row.uploaded_by,
        bucket=row.bucket,
        received_bytes=row.received_bytes,
        is_complete=bool(row.is_complete),
    )


__all__ = [
    "Attachment",
    "UploadAlreadyStarted",
    "add_complete",
    "create_upload",
    "drop_upload",
    "find_complete",
    "find_upload",
    "record_received",
    "restart_upload",
]
