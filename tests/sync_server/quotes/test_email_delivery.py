"""Quote e-mail through a real SMTP server (aiosmtpd on loopback): the whole server path,
refusals with retries and backoff, and two delivery workers at once (SQLite and PostgreSQL)."""

import email
import email.policy
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from sync_server.cli import main as server_cli
from sync_server.repository.database import write_transaction
from sync_server.repository.tables import email_outbox
from sync_server.services.email_outbox import deliver_due
from sync_server.services.smtp import EmailNotConfigured
from tests.smtp import free_port
from tests.sync_server.quotes.helpers import (
    CUSTOMER_EMAIL,
    MANAGER,
    SELLER,
    Collector,
    Refuser,
    approval_args,
    delivery_args,
    mail_settings,
    make_quote,
    outbox_rows,
    quote_pdf,
)


def _sent_quote(ana, **kw):
    """A rule-free quote saved, its PDF uploaded and sent: (quote, delivery, pdf bytes)."""
    quote = make_quote(**kw)
    assert ana.push("save_quote", quote=quote)["status"] == "applied"
    pdf = quote_pdf(quote)
    delivery = delivery_args(quote, ana.upload(pdf))
    assert ana.push("send_quote", quote_id=quote["id"], delivery=delivery)["status"] == "applied"
    return quote, delivery, pdf


def _parse(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def test_approved_quote_travels_from_push_to_the_customers_inbox(client, device, app, settings, smtp_server):
    ana, marta = device(SELLER), device(MANAGER)
    quote = make_quote(lines=[("GUA-NIT-09", "100", "15"), ("TAL-18V-BL", "2", "0")])  # 15 % > 10 % band
    assert ana.push("save_quote", quote=quote)["conflicts"] == ["fired_rules"]
    request = approval_args(quote)
    assert ana.push("request_approval", request=request)["status"] == "applied"
    decided = client.post(
        f"/v1/approvals/{request['id']}/decision", json={"decision": "approved"}, headers=marta.headers
    )
    assert decided.status_code == 200, decided.text
    pdf = quote_pdf(quote)
    assert pdf.startswith(b"%PDF-")
    delivery = delivery_args(quote, ana.upload(pdf))
    assert ana.push("send_quote", quote_id=quote["id"], delivery=delivery)["status"] == "applied"
    [row] = outbox_rows(app)
    assert (row.status, row.delivery_id, row.pdf_sha256) == ("queued", delivery["id"], delivery["pdf_sha256"])
    assert ana.latest("email_delivery", delivery["id"])["status"] == "queued"

    inbox = Collector()
    controller = smtp_server(inbox)
    report = deliver_due(app.state.engine, mail_settings(settings, controller.port))
    assert (report.delivered, report.retried, report.failed) == (1, 0, 0)

    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == [CUSTOMER_EMAIL] and envelope.mail_from == "ofertas@terreno.example"
    message = _parse(envelope)
    assert message["To"] == CUSTOMER_EMAIL and message["Subject"] == f"Oferta {quote['number']} v1"
    assert "Adjuntamos la oferta solicitada." in message.get_body(("plain",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{quote['number']}-v1.pdf"
    assert attachment.get_content() == pdf  # byte for byte what the seller's device uploaded

    assert outbox_rows(app)[0].status == "delivered"
    synced = ana.latest("email_delivery", delivery["id"])
    assert synced["status"] == "delivered" and synced["failure_reason"] == ""
    assert ana.latest("quote", quote["id"])["status"] == "sent"
    assert deliver_due(app.state.engine, mail_settings(settings, controller.port)).attempted == 0
    assert len(inbox.envelopes) == 1


@pytest.mark.parametrize("server", ["refuses", "unreachable"])
def test_a_failing_smtp_server_is_retried_with_backoff_then_the_failure_is_visible(
    server, device, app, settings, smtp_server
):
    ana = device(SELLER)
    _, delivery, _ = _sent_quote(ana)
    refuser = Refuser()
    port = smtp_server(refuser).port if server == "refuses" else free_port()
    config = mail_settings(settings, port, email_retry_minutes=[1, 5])  # 3 attempts in all
    t0 = datetime.now(UTC)
    reason = "550 5.7.1 Message refused by policy" if server == "refuses" else "cannot reach the SMTP server"

    assert deliver_due(app.state.engine, config, t0).retried == 1
    first = ana.latest("email_delivery", delivery["id"])
    assert first["status"] == "queued" and first["failure_reason"].startswith("Attempt 1 failed")
    assert reason in first["failure_reason"]

    assert deliver_due(app.state.engine, config, t0 + timedelta(seconds=50)).attempted == 0  # backing off
    assert deliver_due(app.state.engine, config, t0 + timedelta(minutes=1)).retried == 1
    assert deliver_due(app.state.engine, config, t0 + timedelta(minutes=5)).attempted == 0  # next at 1 + 5
    assert deliver_due(app.state.engine, config, t0 + timedelta(minutes=6)).failed == 1

    [row] = outbox_rows(app)
    assert (row.status, row.attempts) == ("failed", 3) and reason in row.last_error
    failed = ana.latest("email_delivery", delivery["id"])
    assert failed["status"] == "failed"
    assert failed["failure_reason"].startswith("Not delivered after 3 attempts") and reason in failed["failure_reason"]
    assert deliver_due(app.state.engine, config, t0 + timedelta(days=1)).attempted == 0
    if server == "refuses":
        assert refuser.refused == 3


def test_two_workers_deliver_each_message_exactly_once(device, app, settings, smtp_server):
    ana = device(SELLER)
    sent = [_sent_quote(ana)[1]["id"] for _ in range(4)]
    inbox = Collector()
    config = mail_settings(settings, smtp_server(inbox).port)
    reports, errors = [], []
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            reports.append(deliver_due(app.state.engine, config))
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r.delivered for r in reports) == 4
    ids = sorted(_parse(e)["Message-ID"] for e in inbox.envelopes)
    assert len(ids) == 4 and len(set(ids)) == 4
    assert all(f"<{delivery_id}@terreno.example>" in ids for delivery_id in sent)


def test_a_row_left_sending_by_a_dead_worker_is_delivered_after_its_lease(device, app, settings, smtp_server):
    ana = device(SELLER)
    _, delivery, _ = _sent_quote(ana)
    now = datetime.now(UTC)
    with write_transaction(app.state.engine) as conn:  # a worker claimed it, then died
        conn.execute(
            sa.update(email_outbox).values(status="sending", attempts=1, next_attempt_at=now + timedelta(minutes=10))
        )
    inbox = Collector()
    config = mail_settings(settings, smtp_server(inbox).port)
    assert deliver_due(app.state.engine, config, now + timedelta(minutes=1)).attempted == 0
    assert deliver_due(app.state.engine, config, now + timedelta(minutes=11)).delivered == 1
    assert len(inbox.envelopes) == 1 and outbox_rows(app)[0].attempts == 2
    assert ana.latest("email_delivery", delivery["id"])["status"] == "delivered"


def test_delivery_without_smtp_settings_is_a_clear_error(device, app, settings):
    _sent_quote(device(SELLER))
    with pytest.raises(EmailNotConfigured, match="TERRENO_SMTP_HOST"):
        deliver_due(app.state.engine, settings)
    assert outbox_rows(app)[0].status == "queued"


def test_the_cli_delivers_one_pass(device, app, settings, smtp_server, monkeypatch, capsys):
    ana = device(SELLER)
    _, delivery, pdf = _sent_quote(ana)
    inbox = Collector()
    port = smtp_server(inbox).port
    monkeypatch.setenv("TERRENO_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TERRENO_SMTP_PORT", str(port))
    monkeypatch.setenv("TERRENO_SMTP_FROM", "ofertas@terreno.example")
    url = app.state.engine.url.render_as_string(hide_password=False)
    assert server_cli(["--data-dir", str(settings.data_dir), "--database-url", url, "deliver-email"]) == 0
    assert "1 delivered" in capsys.readouterr().out
    [attachment] = list(_parse(inbox.envelopes[0]).iter_attachments())
    assert attachment.get_content() == pdf
    assert ana.latest("email_delivery", delivery["id"])["status"] == "delivered"
