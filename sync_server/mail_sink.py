"""A mail sink for the demo and tests: an SMTP server on loopback that keeps every message it
is given, and a small web page that lists them, where each e-mail and its attachments (the
quote PDF) open in a browser.

    python -m sync_server.mail_sink --smtp-port 8025 --http-port 8026

Nothing leaves the machine: the sink never relays. It keeps messages in memory only, for as
long as it runs. Not for production: point TERRENO_SMTP_HOST at a real mail server there.

Pages (all GET):
    /                                   every message received, newest first
    /messages/N                         one message: headers, text, attachments
    /messages/N/attachments/I/NAME      the I-th attachment, with its own content type
    /messages/N.eml                     the message as received
"""

import argparse
import email
import email.policy
import html
import re
import signal
import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the sink got it: its envelope and its exact bytes."""

    number: int
    received_at: datetime
    mail_from: str
    recipients: tuple[str, ...]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)  # the default policy builds EmailMessage
        return parsed

    def attachments(self) -> list[EmailMessage]:
        """The attached parts (the quote PDF), in the message's order."""
        return [part for part in self.message.iter_attachments() if isinstance(part, EmailMessage)]

    def text(self) -> str:
        """The plain-text body, or "" when the message has none."""
        body = self.message.get_body(("plain",))
        return body.get_content() if body is not None else ""


@dataclass
class _Mailbox:
    """The messages received so far, shared by the SMTP thread and the web threads."""

    mails: list[ReceivedMail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook
        with self.lock:
            self.mails.append(
                ReceivedMail(
                    number=len(self.mails) + 1,
                    received_at=datetime.now(UTC),
                    mail_from=envelope.mail_from,
                    recipients=tuple(envelope.rcpt_tos),
                    raw=bytes(envelope.original_content),
                )
            )
        return "250 Message accepted for delivery"

    def snapshot(self) -> list[ReceivedMail]:
        with self.lock:
            return list(self.mails)


class MailSink:
    """The SMTP server and its web page, each on its own loopback port and thread."""

    def __init__(self, host: str = "127.0.0.1", smtp_port: int = 0, http_port: int = 0) -> None:
        self.host = host
        self.smtp_port = smtp_port or _free_port(host)
        self.mailbox = _Mailbox()
        self._smtp = Controller(self.mailbox, hostname=host, port=self.smtp_port)
        self._http = ThreadingHTTPServer((host, http_port), _page_handler(self.mailbox))
        self._http.daemon_threads = True
        self._http_thread = threading.Thread(target=self._http.serve_forever, name="mail-sink-web", daemon=True)

    @property
    def http_port(self) -> int:
        return int(self._http.server_address[1])

    @property
    def url(self) -> str:
        """The address of the page listing the messages."""
        return f"http://{self.host}:{self.http_port}"

    @property
    def mails(self) -> list[ReceivedMail]:
        """Every message received so far, oldest first."""
        return self.mailbox.snapshot()

    def start(self) -> "MailSink":
        """Start listening (SMTP and web); returns the sink."""
        self._smtp.start()
        self._http_thread.start()
        return self

    def stop(self) -> None:
        """Stop both servers."""
        self._http.shutdown()
        self._http.server_close()
        self._smtp.stop()

    def __enter__(self) -> "MailSink":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _free_port(host: str) -> int:
    # aiosmtpd checks its port by connecting to it, so it cannot be given 0.
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


_MESSAGE = re.compile(r"^/messages/(\d+)$")
_RAW = re.compile(r"^/messages/(\d+)\.eml$")
_ATTACHMENT = re.compile(r"^/messages/(\d+)/attachments/(\d+)/[^/]*$")


def _page_handler(mailbox: _Mailbox) -> type[BaseHTTPRequestHandler]:
    class PageHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = unquote(self.path.split("?", 1)[0])
            mails = {mail.number: mail for mail in mailbox.snapshot()}
            if path == "/":
                self._send(200, "text/html; charset=utf-8", _index(list(mails.values())).encode())
            elif (found := _MESSAGE.match(path)) and int(found[1]) in mails:
                self._send(200, "text/html; charset=utf-8", _message_page(mails[int(found[1])]).encode())
            elif (found := _RAW.match(path)) and int(found[1]) in mails:
                self._send(200, "message/rfc822", mails[int(found[1])].raw)
            elif (found := _ATTACHMENT.match(path)) and int(found[1]) in mails:
                parts = mails[int(found[1])].attachments()
                index = int(found[2])
                if index >= len(parts):
                    self._send(404, "text/plain; charset=utf-8", b"No such attachment.\n")
                    return
                part = parts[index]
                # Inline: the browser shows the PDF instead of saving it.
                disposition = f"inline; filename*=UTF-8''{quote(part.get_filename() or 'attachment')}"
                payload = part.get_payload(decode=True)
                self._send(200, part.get_content_type(), payload if isinstance(payload, bytes) else b"", disposition)
            else:
                self._send(404, "text/plain; charset=utf-8", b"No such page or message.\n")

        def _send(self, status: int, content_type: str, body: bytes, disposition: str = "") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if disposition:
                self.send_header("Content-Disposition", disposition)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the demo's terminal is for the demo, not for page requests

    return PageHandler


_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f3f5f4; }
pre { white-space: pre-wrap; background: #f7f7f7; padding: 1rem; border-radius: 6px; }
.muted { color: #666; }
a.pdf { font-weight: 600; }
"""


def _page(title: str, body: str, refresh: bool = False) -> str:
    meta = '<meta http-equiv="refresh" content="5">' if refresh else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">{meta}'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )


def _attachment_links(mail: ReceivedMail) -> str:
    links = []
    for index, part in enumerate(mail.attachments()):
        name = part.get_filename() or f"attachment-{index + 1}"
        href = f"/messages/{mail.number}/attachments/{index}/{quote(name)}"
        links.append(f'<a class="pdf" href="{href}">{html.escape(name)}</a>')
    return ", ".join(links) or '<span class="muted">none</span>'


def _index(mails: list[ReceivedMail]) -> str:
    rows = "".join(
        f"<tr><td>{mail.number}</td><td>{mail.received_at:%Y-%m-%d %H:%M:%S} UTC</td>"
        f"<td>{html.escape(', '.join(mail.recipients))}</td>"
        f'<td><a href="/messages/{mail.number}">{html.escape(str(mail.message["Subject"] or "(no subject)"))}</a></td>'
        f"<td>{_attachment_links(mail)}</td></tr>"
        for mail in reversed(mails)
    )
    count = f"{len(mails)} message{'' if len(mails) == 1 else 's'} received"
    table = (
        f"<table><tr><th>#</th><th>Received</th><th>To</th><th>Subject</th><th>Attachments</th></tr>{rows}</table>"
        if mails
        else '<p class="muted">No e-mail yet. Send a quote from the app; it shows here within seconds.</p>'
    )
    body = (
        f'<h1>Mail sink</h1><p class="muted">Every e-mail the Terreno server sent in this demo. '
        f"Nothing leaves this machine. {count}; this page reloads every 5 seconds.</p>{table}"
    )
    return _page("Mail sink", body, refresh=True)


def _message_page(mail: ReceivedMail) -> str:
    message = mail.message
    headers = "".join(
        f"<tr><th>{name}</th><td>{html.escape(str(message[name] or ''))}</td></tr>"
        for name in ("From", "To", "Reply-To", "Subject", "Date", "Message-ID")
        if message[name]
    )
    body = (
        f'<p><a href="/">← All messages</a></p><h1>{html.escape(str(message["Subject"] or "(no subject)"))}</h1>'
        f"<table>{headers}<tr><th>Envelope</th><td>{html.escape(mail.mail_from)} → "
        f"{html.escape(', '.join(mail.recipients))}</td></tr>"
        f"<tr><th>Attachments</th><td>{_attachment_links(mail)}</td></tr></table>"
        f"<pre>{html.escape(mail.text())}</pre>"
        f'<p><a href="/messages/{mail.number}.eml">The message as received (.eml)</a></p>'
    )
    return _page(str(message["Subject"] or "Message"), body)


def main(argv: list[str] | None = None) -> int:
    """Run the sink until interrupted, printing its addresses."""
    parser = argparse.ArgumentParser(prog="python -m sync_server.mail_sink", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=8025)
    parser.add_argument("--http-port", type=int, default=8026)
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with MailSink(args.host, args.smtp_port, args.http_port) as sink:
        print(f"Mail sink: SMTP on {sink.host}:{sink.smtp_port}, messages at {sink.url}", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


__all__ = ["MailSink", "ReceivedMail", "main"]

if __name__ == "__main__":
    raise SystemExit(main())
