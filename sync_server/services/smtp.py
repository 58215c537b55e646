"""SMTP: the quote e-mail as a MIME message, and the connection that hands it over (DESIGN §6).

Only the server sends e-mail; tablets never hold SMTP settings. `connect_smtp` is the
default `SmtpFactory`; tests point the settings at a real aiosmtpd server on loopback.
"""

import smtplib
import ssl
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from email.message import EmailMessage
from email.utils import formataddr
from typing import Protocol

from shared.errors import EmailNotConfigured
from sync_server.settings import ServerSettings


class SmtpClient(Protocol):
    """What the outbox needs of an SMTP connection (smtplib.SMTP has it)."""

    def send_message(
        self, msg: EmailMessage, from_addr: str | None = None, to_addrs: Sequence[str] | None = None
    ) -> dict: ...


SmtpFactory = Callable[[ServerSettings], AbstractContextManager[SmtpClient]]


@contextmanager
def connect_smtp(settings: ServerSettings) -> Iterator[smtplib.SMTP]:
    """An SMTP session from the settings: STARTTLS and AUTH when configured, QUIT at the end."""
    if not settings.smtp_host:
        raise EmailNotConfigured("e-mail is not configured: set TERRENO_SMTP_HOST and TERRENO_SMTP_FROM")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        yield smtp


def build_message(
    *,
    sender: str,
    recipients: Sequence[str],
    subject: str,
    body: str,
    pdf: bytes,
    filename: str,
    message_id: str,
    reply_to: tuple[str, str] | None = None,
) -> EmailMessage:
    """A text e-mail with the quote PDF attached byte for byte (base64 keeps every byte).

    The Message-ID is derived from the delivery id, so a message sent twice (a worker that
    died between sending and recording) carries the same id and mail systems can drop the copy.
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if reply_to and reply_to[1]:
        message["Reply-To"] = formataddr(reply_to)
    message.set_content(body or subject)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return message


def describe_failure(exc: BaseException) -> str:
    """A one-line reason for a failed delivery, with the SMTP reply when there was one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{rcpt}: {code} {_text(reply)}" for rcpt, (code, reply) in exc.recipients.items())
        return f"recipients refused: {refused}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"the SMTP server closed the connection ({exc or 'no reply'})"
    if isinstance(exc, smtplib.SMTPException):
        return f"SMTP error: {exc}"
    if isinstance(exc, OSError):
        return f"cannot reach the SMTP server: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


__all__ = ["EmailNotConfigured", "SmtpClient", "SmtpFactory", "build_message", "connect_smtp", "describe_failure"]
