"""The e-mail outbox (DESIGN §6): quote e-mails delivered over SMTP with retries and backoff.

Life of a row in `email_outbox`:

    queued ──claim──▶ sending ──accepted by SMTP──▶ delivered
      ▲                  │
      └── retry later ◀──┴── refused / unreachable ──(after the last retry)──▶ failed

- `queue_email` writes the row in the transaction of the `send_quote` mutation that asks for
  it, next to the EmailDelivery record, so a sent quote always has its e-mail queued.
- `deliver_due` claims due rows one by one with an optimistic UPDATE
  (`... WHERE id = ? AND status = ? AND attempts = ?`): when two server processes race
  for a row exactly one sees rowcount 1. The claim is a lease: a row left in `sending` by a
  process that died is claimed again once the lease has passed, so delivery is at least
  once; the Message-ID is stable per delivery, so mail systems can drop that rare copy.
- The SMTP conversation runs outside any transaction (no database lock is held across
  network I/O). Its outcome is recorded in one transaction that updates the row and the
  EmailDelivery record (`put_record`, so the change log carries it to the seller's device):
  delivered; queued again with the reason of the failed attempt and the time of the next;
  or failed with the reason, after `len(settings.email_retry_minutes) + 1` attempts.
- Every failure is retried, a 5xx reply too: a refusal caused by the server's own
  configuration (relay denied, a full mailbox) often clears, and the schedule is short.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import Any

from shared.models import DeliveryStatus
from shared.models.field import EmailDelivery, Quote
from sync_server.repository import email_queue
from sync_server.repository.database import Connection, Engine, read_transaction, write_transaction
from sync_server.repository.records import put_record
from sync_server.services.attachment_content import pdf_text_has
from sync_server.services.attachments import attachment_path
from sync_server.services.smtp import (
    EmailNotConfigured,
    SmtpFactory,
    build_message,
    connect_smtp,
    describe_failure,
)
from sync_server.settings import ServerSettings

log = logging.getLogger(__name__)

QUEUED, SENDING, DELIVERED, FAILED = "queued", "sending", "delivered", "failed"
_REASON_LENGTH = 200  # EmailDelivery.failure_reason is a ShortText


class AttachmentUnreadable(Exception):
    """The quote PDF is not in the attachment store, or its bytes do not match its SHA-256."""


@dataclass
class DeliveryReport:
    """What one `deliver_due` pass did."""

    delivered: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.retried + self.failed


def read_attachment(settings: ServerSettings, sha256: str) -> bytes:
    """The exact stored bytes of an attachment, checked against its SHA-256."""
    path = attachment_path(settings, sha256)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AttachmentUnreadable(
            f"the quote PDF {sha256[:12]}… is not in the attachment store ({exc.strerror})"
        ) from exc
    if hashlib.sha256(data).hexdigest() != sha256:
        raise AttachmentUnreadable(f"the stored quote PDF {sha256[:12]}… does not match its SHA-256")
    return data


def queue_email(conn: Connection, delivery: EmailDelivery, now: datetime) -> None:
    """Queue a delivery for SMTP, in the caller's transaction (the one that sends the quote)."""
    email_queue.enqueue(
        conn,
        quote_id=str(delivery.quote_id),
        delivery_id=str(delivery.id),
        recipients=list(delivery.recipients),
        subject=delivery.subject,
        message=delivery.message,
        pdf_sha256=delivery.pdf_sha256,
        status=QUEUED,
        now=now,
    )


def max_attempts(settings: ServerSettings) -> int:
    """Attempts a delivery gets before it is failed: the first plus one per retry delay."""
    return len(settings.email_retry_minutes) + 1


def deliver_due(
    engine: Engine,
    settings: ServerSettings,
    now: datetime | None = None,
    smtp_factory: SmtpFactory = connect_smtp,
    limit: int = 100,
) -> DeliveryReport:
    """Attempt every delivery due at `now` (at most `limit`); safe to run in several processes."""
    if smtp_factory is connect_smtp and not settings.smtp_host:
        raise EmailNotConfigured("e-mail is not configured: set TERRENO_SMTP_HOST and TERRENO_SMTP_FROM")
    now = now or datetime.now(UTC)
    report = DeliveryReport()
    with read_transaction(engine) as conn:
        due = email_queue.due(conn, [QUEUED, SENDING], now, limit)
    for candidate in due:
        claimed = _claim(engine, settings, candidate, now)
        if claimed is None:
            continue  # another process took it
        outcome = _attempt(engine, settings, claimed, smtp_factory)
        _record(engine, settings, claimed, outcome, now, report)
    return report


def _lease(settings: ServerSettings) -> timedelta:
    # Longer than any SMTP conversation can take, so a live worker never loses its row.
    return max(timedelta(minutes=10), timedelta(seconds=4 * settings.smtp_timeout_seconds))


def _claim(engine: Engine, settings: ServerSettings, candidate: Any, now: datetime) -> Any | None:
    with write_transaction(engine) as conn:
        return email_queue.lease(conn, candidate, SENDING, now, now + _lease(settings))


@dataclass(frozen=True)
class _Outcome:
    delivered: bool
    reason: str = ""


def _attempt(engine: Engine, settings: ServerSettings, row: Any, smtp_factory: SmtpFactory) -> _Outcome:
    if row.attempts > max_attempts(settings):
        # Reclaimed after a worker died during the last allowed attempt.
        return _Outcome(False, "the last delivery attempt was interrupted")
    try:
        with engine.connect() as conn:
            filename, reply_to, number = _document_facts(conn, row)
        pdf = read_attachment(settings, row.pdf_sha256)
        if number and not pdf_text_has(pdf, number):
            # Only the quote's own PDF goes out in the company's name.
            return _Outcome(False, f"the attachment is not the PDF of quote {number}")
        sender = parseaddr(settings.smtp_from)[1] or settings.smtp_from
        message = build_message(
            sender=settings.smtp_from,
            recipients=row.recipients,
            subject=row.subject,
            body=row.message,
            pdf=pdf,
            filename=filename,
            message_id=f"<{row.delivery_id}@{sender.rpartition('@')[2] or 'terreno'}>",
            reply_to=reply_to,
        )
        with smtp_factory(settings) as smtp:
            refused = smtp.send_message(message, from_addr=sender, to_addrs=list(row.recipients))
    except AttachmentUnreadable as exc:
        return _Outcome(False, str(exc))
    except Exception as exc:  # every failure of this attempt is recorded, never left in `sending`
        log.info("e-mail delivery %s attempt %s failed: %s", row.delivery_id, row.attempts, exc)
        return _Outcome(False, describe_failure(exc))
    if refused:
        # Accepted for some recipients: delivered, with the ones refused named.
        return _Outcome(
            True,
            "not accepted for "
            + "; ".join(
                f"{rcpt} ({code} {reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else reply})"
                for rcpt, (code, reply) in refused.items()
            ),
        )
    return _Outcome(True)


def _document_facts(conn: Connection, row: Any) -> tuple[str, tuple[str, str] | None, str | None]:
    """The attachment's file name (quote number and version), the seller to reply to, the number."""
    found = _synced(conn, Quote.ENTITY, row.quote_id)
    if found is None:
        return "quote.pdf", None, None
    quote = found[1]
    seller = email_queue.name_and_email(conn, quote["seller_login"])
    reply_to = (seller.name, seller.email) if seller is not None and seller.email else None
    return f"{quote['number']}-v{quote['version']}.pdf", reply_to, quote["number"]


def _record(
    engine: Engine, settings: ServerSettings, row: Any, outcome: _Outcome, now: datetime, report: DeliveryReport
) -> None:
    attempts = row.attempts
    if outcome.delivered:
        status, next_at, delivery_status = DELIVERED, now, DeliveryStatus.DELIVERED
        reason = outcome.reason
    elif attempts < max_attempts(settings):
        status, delivery_status = QUEUED, DeliveryStatus.QUEUED
        next_at = now + timedelta(minutes=settings.email_retry_minutes[attempts - 1])
        reason = f"Attempt {attempts} failed, next at {next_at:%Y-%m-%d %H:%M} UTC: {outcome.reason}"
    else:
        status, next_at, delivery_status = FAILED, now, DeliveryStatus.FAILED
        reason = f"Not delivered after {attempts} attempts: {outcome.reason}"
    with write_transaction(engine) as conn:
        last_error = None if outcome.delivered and not reason else outcome.reason
        if not email_queue.settle(conn, row, SENDING, status, next_at, last_error, now):
            return  # the lease ran out and another process took the row over: its outcome stands
        _update_delivery(conn, row.delivery_id, delivery_status, reason)
    if status == DELIVERED:
        report.delivered += 1
    elif status == QUEUED:
        report.retried += 1
    else:
        report.failed += 1


def _update_delivery(conn: Connection, delivery_id: str, status: DeliveryStatus, reason: str) -> None:
    found = _synced(conn, EmailDelivery.ENTITY, delivery_id)
    if found is None:
        log.warning("e-mail delivery %s has no synced record; the device will not see its status", delivery_id)
        return
    bucket, data = found
    delivery = EmailDelivery.model_validate(data).model_copy(
        update={"status": status.value, "failure_reason": _shorten(reason)}
    )
    put_record(conn, delivery, bucket)


def _synced(conn: Connection, entity: str, entity_id: str) -> tuple[str, dict[str, Any]] | None:
    """(bucket, data) of a live synced record as last written to the change log, or None."""
    return email_queue.synced_record(conn, entity, entity_id)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _REASON_LENGTH else text[: _REASON_LENGTH - 1] + "…"


__all__ = [
    "DELIVERED",
    "FAILED",
    "QUEUED",
    "SENDING",
    "AttachmentUnreadable",
    "DeliveryReport",
    "deliver_due",
    "max_attempts",
    "queue_email",
    "read_attachment",
]
