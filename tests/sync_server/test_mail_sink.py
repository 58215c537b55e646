"""The demo's mail sink: real SMTP in, the web page and the PDF out over real HTTP."""

import signal
import smtplib
import subprocess
import sys
from email.message import EmailMessage

import httpx
import pytest

from sync_server.mail_sink import MailSink
from sync_server.services.smtp import build_message
from tests.ports import free_port

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"  # every byte value: nothing may be re-encoded


@pytest.fixture
def sink():
    with MailSink() as started:
        yield started


def _send(sink: MailSink, message: EmailMessage, to: list[str]) -> None:
    with smtplib.SMTP(sink.host, sink.smtp_port, timeout=10) as smtp:
        smtp.send_message(message, from_addr="ofertas@terreno.example", to_addrs=to)


def _quote_mail(number: str, subject: str, body: str = "Adjuntamos la oferta solicitada.") -> EmailMessage:
    return build_message(
        sender="Terreno Ofertas <ofertas@terreno.example>",
        recipients=["compras@penalara.example"],
        subject=subject,
        body=body,
        pdf=PDF,
        filename=f"{number}-v1.pdf",
        message_id=f"<{number}@terreno.example>",
        reply_to=("Ana García", "ana@terreno.example"),
    )


def test_a_quote_email_is_listed_and_its_pdf_opens_byte_for_byte(sink):
    _send(sink, _quote_mail("AG1-2026-0001", "Oferta AG1-2026-0001 v1"), ["compras@penalara.example"])
    _send(sink, _quote_mail("AG1-2026-0002", "Oferta AG1-2026-0002 v1", "Segunda"), ["otra@cliente.example"])
    assert [mail.number for mail in sink.mails] == [1, 2]

    with httpx.Client(base_url=sink.url) as http:
        index = http.get("/")
        assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
        assert "2 messages received" in index.text
        # Newest first, each with a link to its page and to its PDF.
        assert index.text.index("Oferta AG1-2026-0002 v1") < index.text.index("Oferta AG1-2026-0001 v1")
        assert 'href="/messages/1"' in index.text
        assert 'href="/messages/1/attachments/0/AG1-2026-0001-v1.pdf"' in index.text

        page = http.get("/messages/1")
        assert page.status_code == 200
        for seen in ("Oferta AG1-2026-0001 v1", "compras@penalara.example", "Adjuntamos la oferta solicitada.",
                     "Ana García", "ofertas@terreno.example → compras@penalara.example"):  # fmt: skip
            assert seen in page.text

        pdf = http.get("/messages/1/attachments/0/AG1-2026-0001-v1.pdf")
        assert pdf.status_code == 200
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["content-disposition"].startswith("inline;")
        assert pdf.content == PDF

        raw = http.get("/messages/2.eml")
        assert raw.headers["content-type"] == "message/rfc822" and b"Segunda" in raw.content


def test_an_empty_sink_says_so_and_unknown_addresses_are_404(sink):
    with httpx.Client(base_url=sink.url) as http:
        assert "No e-mail yet" in http.get("/").text
        for path in ("/messages/1", "/messages/1.eml", "/messages/1/attachments/0/x.pdf", "/etc/passwd"):
            assert http.get(path).status_code == 404, path
        _send(sink, _quote_mail("N1", "Oferta N1 v1"), ["compras@penalara.example"])
        assert http.get("/messages/1/attachments/1/x.pdf").status_code == 404  # it has one attachment
        assert http.get("/messages/1/attachments/0/x.pdf").content == PDF


def test_what_a_message_says_is_shown_as_text_never_as_html(sink):
    _send(sink, _quote_mail("X1", "<script>alert(1)</script> & more", body="<b>bold?</b>"), ["a@b.example"])
    with httpx.Client(base_url=sink.url) as http:
        for path in ("/", "/messages/1"):
            text = http.get(path).text
            assert (
                "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text
            )
        assert "&lt;b&gt;bold?&lt;/b&gt;" in http.get("/messages/1").text


def test_the_command_runs_the_sink_until_terminated():
    smtp_port, http_port = free_port(), free_port()
    command = [
        sys.executable,
        "-m",
        "sync_server.mail_sink",
        "--smtp-port",
        str(smtp_port),
        "--http-port",
        str(http_port),
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as sink:
        try:
            assert sink.stdout is not None
            line = sink.stdout.readline()
            assert line == f"Mail sink: SMTP on 127.0.0.1:{smtp_port}, messages at http://127.0.0.1:{http_port}\n"
            with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
                smtp.send_message(_quote_mail("C1", "Oferta C1 v1"), to_addrs=["a@b.example"])
            assert httpx.get(f"http://127.0.0.1:{http_port}/messages/1/attachments/0/C1-v1.pdf").content == PDF
        finally:
            sink.send_signal(signal.SIGTERM)
        assert sink.wait(timeout=20) == 0
