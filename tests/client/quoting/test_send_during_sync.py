"""A quote sent while a sync round is running: its PDF was not among the files that round
uploaded, so its send waits for the next round instead of being refused for a missing PDF."""

from decimal import Decimal

import pytest

import client.services.synchronization as synchronization
from client.services.quote_sending import send_quote
from client.services.quoting import add_line, save_quote, start_quote
from client.services.sync_issues import list_sync_issues
from client.services.synchronization import sync_now, sync_status
from tests.client.quoting.world import CUSTOMER_EMAIL, Wire, quoting_server, seller_session
from tests.sync_server.quotes.helpers import outbox_rows


@pytest.fixture
def server(database_url, tmp_path):
    with quoting_server(database_url, tmp_path) as client:
        yield client


def test_a_send_queued_after_the_rounds_upload_waits_for_the_next_round(server, tmp_path, monkeypatch):
    ana = seller_session(server, tmp_path, Wire(server))
    priced = add_line(ana, start_quote(ana, "C1"), "TAL-18V-BL", Decimal(1))
    quote = save_quote(ana, priced)
    upload = synchronization.upload_kept_files
    sent = []

    def upload_then_the_seller_sends(session):
        uploaded = upload(session)
        if not sent:  # the seller taps Send just after this round uploaded its files
            sent.append(send_quote(session, quote.id, [CUSTOMER_EMAIL], message="Adjunto.", language="es"))
        return uploaded

    monkeypatch.setattr(synchronization, "upload_kept_files", upload_then_the_seller_sends)
    first = sync_now(ana)
    assert first.pushed.rejected == 0 and list_sync_issues(ana) == []
    assert sync_status(ana).unsynced == 1  # the send, held for the next round
    assert outbox_rows(server.app) == []

    second = sync_now(ana)
    assert (second.pushed.acknowledged, second.pushed.rejected) == (1, 0)
    assert list_sync_issues(ana) == []
    assert [row.pdf_sha256 for row in outbox_rows(server.app)] == [sent[0].pdf_sha256]
