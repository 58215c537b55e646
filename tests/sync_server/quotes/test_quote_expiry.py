"""Sent quotes nobody answered expire the day after their validity: by the server's job (on
APScheduler, at start-up and then every `quote_expiry_minutes`) and by `expire-quotes`;
devices pull the expired version (SQLite and PostgreSQL)."""

import time
from datetime import date, timedelta

from starlette.testclient import TestClient

from shared.models.field import Quote
from shared.protocol import activity_bucket
from sync_server.app import create_app
from sync_server.cli import main as server_cli
from sync_server.repository.records import put_record
from sync_server.services.quote_expiry import expire_due_quotes
from tests.sync_server.quotes.helpers import SELLER, make_quote, sent_quote


def test_a_sent_quote_expires_the_day_after_its_validity_and_only_once(device, app):
    ana = device()
    quote = sent_quote(ana)
    last_day = date.fromisoformat(quote["valid_until"])
    assert expire_due_quotes(app.state.engine, last_day) == 0  # its last valid day
    assert ana.latest("quote", quote["id"])["status"] == "sent"
    assert expire_due_quotes(app.state.engine, last_day + timedelta(days=1)) == 1
    assert ana.latest("quote", quote["id"])["status"] == "expired"
    assert expire_due_quotes(app.state.engine, last_day + timedelta(days=2)) == 0  # nothing twice


def test_an_answered_quote_never_expires(device, app):
    ana = device()
    quote = sent_quote(ana)
    assert ana.push("mark_quote", quote_id=quote["id"], status="lost", lost_reason="price")["status"] == "applied"
    assert expire_due_quotes(app.state.engine, date.fromisoformat(quote["valid_until"]) + timedelta(days=1)) == 0
    assert ana.latest("quote", quote["id"])["status"] == "lost"


def _past_due(conn) -> Quote:
    """A quote sent long ago and never answered, as a server that was down would find it."""
    issued = date.today() - timedelta(days=60)
    quote = Quote.model_validate(
        make_quote(status="sent", issue_date=issued.isoformat(), valid_until=(issued + timedelta(days=30)).isoformat())
    )
    put_record(conn, quote, activity_bucket(SELLER))
    return quote


def test_the_server_expires_at_start_up_on_its_scheduler(device, app, settings, seed):
    ana = device()
    quote = seed(_past_due)
    running = create_app(settings.model_copy(update={"quote_expiry_minutes": 60}))
    try:
        with TestClient(running):  # the lifespan starts the scheduler; its first run is now
            deadline = time.monotonic() + 20
            while ana.latest("quote", str(quote.id))["status"] != "expired":
                assert time.monotonic() < deadline, "the expiry job did not run at start-up"
                time.sleep(0.05)
    finally:
        running.state.engine.dispose()


def test_the_expire_quotes_command(app, settings, seed, capsys):
    seed(_past_due)
    url = app.state.engine.url.render_as_string(hide_password=False)
    assert server_cli(["--data-dir", str(settings.data_dir), "--database-url", url, "expire-quotes"]) == 0
    assert "Expired 1 sent quote valid until before" in capsys.readouterr().out
    assert server_cli(["--data-dir", str(settings.data_dir), "--database-url", url, "expire-quotes"]) == 0
    assert "Expired 0 sent quotes" in capsys.readouterr().out
