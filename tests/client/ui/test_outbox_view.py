"""The Sync screen's list of what waits: a file still to upload is not "everything sent"."""

import asyncio

from client.services.files import keep_file, mark_uploaded
from client.ui.outbox_view import OutboxView
from tests.client.screen import Screen, find_tagged, screen_context, screen_words


def _waiting_words(session) -> str:
    async def run() -> str:
        screen = Screen()
        view = OutboxView(screen_context(session, screen))
        screen.show(view.build())
        await view.load()
        none = find_tagged(view.pending, "pending-none")
        assert none is not None  # no change waits
        return screen_words(none)

    return asyncio.run(run())


def test_a_file_still_to_upload_is_said_where_the_changes_are_all_sent(seller_session):
    assert _waiting_words(seller_session) == "Everything has been sent."
    sha = keep_file(seller_session, b"%PDF-1.7 a quote", "application/pdf", "AG1-2026-0001.pdf")
    assert _waiting_words(seller_session) == "Every change has been sent; 1 file is still to upload."
    mark_uploaded(seller_session.store, sha)
    assert _waiting_words(seller_session) == "Everything has been sent."
