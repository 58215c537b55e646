"""Expiry (DESIGN §3): a sent quote nobody answered expires the day after its `valid_until`.

The server decides it, on its own date (UTC), in a background job (`jobs.py`) and in the
`expire-quotes` command; devices pull the expired version like any other change, and until
then show a sent quote past its validity as expired (`shared.rules.expire_if_due`).

Each quote expires in its own short transaction that locks it and checks it again: a
seller's answer pushed at the same moment, or another server process running the same job,
finds it already decided, and nothing is written twice.
"""

import logging
from datetime import date

from shared.models import QuoteStatus
from shared.protocol import activity_bucket
from shared.rules import transition
from sync_server.repository.database import Engine, read_transaction, write_transaction
from sync_server.repository.quote_reads import sent_past_validity
from sync_server.repository.records import put_record
from sync_server.services.mutations.quote_review import load_quote

log = logging.getLogger(__name__)
BATCH = 500


def expire_due_quotes(engine: Engine, today: date) -> int:
    """Mark expired every sent quote whose validity ended before `today`; how many it marked."""
    expired = 0
    while True:
        with read_transaction(engine) as conn:
            due = sent_past_validity(conn, today, BATCH)
        for quote_id in due:
            expired += _expire(engine, quote_id, today)
        if len(due) < BATCH:
            break
    if expired:
        log.info("expired %d sent quotes past their validity", expired)
    return expired


def _expire(engine: Engine, quote_id: str, today: date) -> int:
    with write_transaction(engine) as conn:
        quote = load_quote(conn, quote_id, lock=True)
        if quote is None or quote.status != QuoteStatus.SENT:
            return 0  # answered meanwhile
        status = transition(quote.status, QuoteStatus.EXPIRED, valid_until=quote.valid_until, today=today)
        put_record(conn, quote.model_copy(update={"status": status}), activity_bucket(quote.seller_login))
    return 1


__all__ = ["expire_due_quotes"]
