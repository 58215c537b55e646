"""The e-mail outbox the server delivers from, with leases so several processes share it."""

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sync_server.repository.records import LATEST_PUT
from sync_server.repository.tables import ENTITY_TABLES, changes, email_outbox, records

_users = ENTITY_TABLES["user"]


def enqueue(
    conn: Connection,
    *,
    quote_id: str,
    delivery_id: str,
    recipients: list[str],
    subject: str,
    message: str,
    pdf_sha256: str,
    status: str,
    now: datetime,
) -> None:
    """Queue one e-mail, due now."""
    conn.execute(
        insert(email_outbox).values(
            id=str(uuid.uuid4()),
            quote_id=quote_id,
            delivery_id=delivery_id,
            recipients=recipients,
            subject=subject,
            message=message,
            pdf_sha256=pdf_sha256,
            status=status,
            attempts=0,
            next_attempt_at=now,
            last_error=None,
            created_at=now,
            updated_at=now,
        )
    )


def due(conn: Connection, statuses: Sequence[str], now: datetime, limit: int) -> list[Any]:
    """(id, status, attempts) of the e-mails in `statuses` due at `now`, oldest due first."""
    return list(
        conn.execute(
            select(email_outbox.c.id, email_outbox.c.status, email_outbox.c.attempts)
            .where(email_outbox.c.status.in_(list(statuses)), email_outbox.c.next_attempt_at <= now)
            .order_by(email_outbox.c.next_attempt_at, email_outbox.c.id)
            .limit(limit)
        )
    )


def lease(conn: Connection, candidate: Any, status: str, now: datetime, until: datetime) -> Any | None:
    """Take an e-mail for an attempt if nobody took it since it was read; the row, or None."""
    done = conn.execute(
        update(email_outbox)
        .where(
            email_outbox.c.id == candidate.id,
            email_outbox.c.status == candidate.status,
            email_outbox.c.attempts == candidate.attempts,
            email_outbox.c.next_attempt_at <= now,
        )
        .values(status=status, attempts=candidate.attempts + 1, next_attempt_at=until, updated_at=now)
    )
    if done.rowcount != 1:
        return None
    return conn.execute(select(email_outbox).where(email_outbox.c.id == candidate.id)).one()


def settle(
    conn: Connection,
    row: Any,
    leased_status: str,
    status: str,
    next_at: datetime,
    last_error: str | None,
    now: datetime,
) -> bool:
    """Record an attempt's outcome, if the lease still holds (else another process took over)."""
    done = conn.execute(
        update(email_outbox)
        .where(
            email_outbox.c.id == row.id, email_outbox.c.status == leased_status, email_outbox.c.attempts == row.attempts
        )
        .values(status=status, next_attempt_at=next_at, last_error=last_error, updated_at=now)
    )
    return done.rowcount == 1


def name_and_email(conn: Connection, login: str) -> Any:
    """(name, email) of a user, or None."""
    return conn.execute(select(_users.c.name, _users.c.email).where(_users.c.login == login)).first()


def synced_record(conn: Connection, entity: str, entity_id: str) -> tuple[str, dict[str, Any]] | None:
    """(bucket, data) of a live synced record as last written to the change log, or None."""
    row = conn.execute(
        select(records.c.bucket, changes.c.data)
        .join(changes, LATEST_PUT)
        .where(records.c.entity == entity, records.c.entity_id == entity_id)
    ).first()
    return None if row is None else (row.bucket, json.loads(row.data))


__all__ = ["due", "enqueue", "lease", "name_and_email", "settle", "synced_record"]
