"""The server's own background work, on APScheduler 3 (one scheduler per server process).

- `expire-quotes`: sent quotes past their validity become expired (`quote_expiry`), at
  start-up and then every `quote_expiry_minutes`. Every worker process runs it; each quote
  is expired under its own lock, so two processes never write it twice.
- `deliver-email`: the due quote e-mails of the outbox go to the SMTP server
  (`email_outbox.deliver_due`) every `email_delivery_seconds`, when SMTP is configured. It
  runs on the scheduler's own thread, so a slow SMTP server never holds a request; several
  processes may run it at once, since each row is claimed by exactly one of them.
- `keep-metrics`: the dashboard's kept figures follow the pushes and imports and the day's
  readings of now are made (`metric_kept.keep_up`) every `metrics_update_seconds`; processes
  take turns (one at a time updates the kept parts).
"""

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from sync_server.repository.database import Engine
from sync_server.services.email_outbox import deliver_due
from sync_server.services.metric_kept import keep_up
from sync_server.services.quote_expiry import expire_due_quotes
from sync_server.settings import ServerSettings

log = logging.getLogger(__name__)


def start_jobs(engine: Engine, settings: ServerSettings) -> BackgroundScheduler | None:
    """Start the scheduler with the server's jobs (None when every job is turned off)."""
    delivers_email = bool(settings.smtp_host) and settings.email_delivery_seconds > 0
    if not settings.quote_expiry_minutes and not delivers_email and not settings.metrics_update_seconds:
        return None
    scheduler = BackgroundScheduler(timezone=UTC)
    if settings.metrics_update_seconds:
        # APScheduler logs every run at INFO: every minute, a line that says nothing.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        scheduler.add_job(
            keep_metrics,
            IntervalTrigger(seconds=settings.metrics_update_seconds),
            args=[engine, settings],
            id="keep-metrics",
            coalesce=True,
            max_instances=1,
        )
    if settings.quote_expiry_minutes:
        scheduler.add_job(
            expire_quotes,
            IntervalTrigger(minutes=settings.quote_expiry_minutes),
            args=[engine],
            id="expire-quotes",
            next_run_time=datetime.now(UTC),  # at start-up too: a server down overnight catches up
            coalesce=True,
            max_instances=1,
        )
    if delivers_email:
        # APScheduler logs every run at INFO: every few seconds, a line that says nothing.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        scheduler.add_job(
            deliver_email,
            IntervalTrigger(seconds=settings.email_delivery_seconds),
            args=[engine, settings],
            id="deliver-email",
            next_run_time=datetime.now(UTC) + timedelta(seconds=1),  # the queue left by a restart goes soon
            coalesce=True,
            max_instances=1,  # a pass slower than the interval is never run twice at once
        )
    scheduler.start()
    return scheduler


def keep_metrics(engine: Engine, settings: ServerSettings) -> None:
    """The job: bring the dashboard's kept figures up to date (it logs its own failures)."""
    keep_up(engine, datetime.now(UTC), settings.company_currency)


def expire_quotes(engine: Engine) -> None:
    """The job: expire what is due today (UTC); a failure waits for the next run."""
    try:
        expire_due_quotes(engine, datetime.now(UTC).date())
    except Exception:  # the database may be restarting: the next run tries again
        log.exception("expiring quotes failed; the next run tries again")


def deliver_email(engine: Engine, settings: ServerSettings) -> None:
    """The job: one delivery pass over the outbox; a failed pass waits for the next run."""
    try:
        report = deliver_due(engine, settings, datetime.now(UTC))
    except Exception:  # the database may be restarting: the rows stay queued for the next pass
        log.exception("delivering e-mail failed; the next pass tries again")
        return
    if report.attempted:
        log.info("e-mail: %s delivered, %s to retry, %s failed", report.delivered, report.retried, report.failed)


__all__ = ["deliver_email", "expire_quotes", "keep_metrics", "start_jobs"]
