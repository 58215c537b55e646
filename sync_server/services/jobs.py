"""The server's own background work, on APScheduler 3 (one scheduler per server process).

- `expire-quotes`: sent quotes past their validity become expired (`quote_expiry`), at
  start-up and then every `quote_expiry_minutes`. Every worker process runs it; each quote
  is expired under its own lock, so two processes never write it twice.

E-mail delivery is not here: it runs as its own process (`terreno-server deliver-email
--loop`) so that a slow SMTP server never holds a request worker.
"""

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from sync_server.repository.database import Engine
from sync_server.services.quote_expiry import expire_due_quotes
from sync_server.settings import ServerSettings

log = logging.getLogger(__name__)


def start_jobs(engine: Engine, settings: ServerSettings) -> BackgroundScheduler | None:
    """Start the scheduler with the server's jobs (None when every job is turned off)."""
    if not settings.quote_expiry_minutes:
        return None
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        expire_quotes,
        IntervalTrigger(minutes=settings.quote_expiry_minutes),
        args=[engine],
        id="expire-quotes",
        next_run_time=datetime.now(UTC),  # at start-up too: a server down overnight catches up
        coalesce=True,
        max_instances=1,
    )
    scheduler.start()
    return scheduler


def expire_quotes(engine: Engine) -> None:
    """The job: expire what is due today (UTC); a failure waits for the next run."""
    try:
        expire_due_quotes(engine, datetime.now(UTC).date())
    except Exception:  # the database may be restarting: the next run tries again
        log.exception("expiring quotes failed; the next run tries again")


__all__ = ["expire_quotes", "start_jobs"]
