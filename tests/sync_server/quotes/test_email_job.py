"""The server delivers quote e-mails itself: a sent quote reaches a real SMTP server on
loopback through the server's own scheduler, with no delivery command running."""

import email
import email.policy
import time

import pytest

from sync_server.services.jobs import start_jobs
from tests.sync_server.quotes.helpers import CUSTOMER_EMAIL, SELLER, Collector, mail_settings, outbox_rows, sent_quote


@pytest.fixture
def inbox(smtp_server) -> Collector:
    collector = Collector()
    collector.port = smtp_server(collector).port
    return collector


@pytest.fixture
def settings(settings, inbox):
    """The test server's settings with SMTP pointed at `inbox` and a quick delivery pass."""
    return mail_settings(settings, inbox.port, email_delivery_seconds=0.2)


def _wait_for(predicate, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "the server's delivery job did not deliver in time"
        time.sleep(0.05)


def test_a_sent_quote_leaves_through_the_servers_own_job(client, app, device, inbox):
    quote = sent_quote(device(SELLER))
    _wait_for(lambda: len(inbox.envelopes) == 1)
    [envelope] = inbox.envelopes
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert envelope.rcpt_tos == [CUSTOMER_EMAIL]
    assert message["Subject"] == f"Oferta {quote['number']} v1"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"{quote['number']}-v1.pdf"
    _wait_for(lambda: [row.status for row in outbox_rows(app)] == ["delivered"])
    time.sleep(0.5)  # two more passes: a delivered e-mail is never sent again
    assert len(inbox.envelopes) == 1


@pytest.mark.parametrize(
    ("changes", "jobs"),
    [
        ({}, ["deliver-email"]),
        ({"email_delivery_seconds": 0}, []),  # delivered by another process, say
        ({"smtp_host": "", "smtp_from": ""}, []),  # e-mail not configured
        ({"quote_expiry_minutes": 60}, ["deliver-email", "expire-quotes"]),
        ({"metrics_update_seconds": 60}, ["deliver-email", "keep-metrics"]),  # the dashboard's kept figures
    ],
)
def test_delivery_runs_in_the_server_when_smtp_is_configured(app, settings, changes, jobs):
    scheduler = start_jobs(app.state.engine, settings.model_copy(update=changes))
    try:
        assert (sorted(job.id for job in scheduler.get_jobs()) if scheduler else []) == jobs
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=True)
