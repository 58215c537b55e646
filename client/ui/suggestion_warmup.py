"""Suggestions made ready after a sync round, before the seller opens a customer."""

import logging
import threading

from client.services.account_intelligence import warm_segment_shares
from client.services.session import Session

log = logging.getLogger(__name__)


class SuggestionWarmup:
    """One warm-up at a time, each in a thread of its own.

    Not on the page's loop, which may be closing with the session: the segments' buying
    shares the suggestions need (about 0.7 s with 5,000 customers) are ready before the
    seller opens a customer. They are kept per sync cursor, so a round that pulled nothing
    costs one lookup per segment.
    """

    def __init__(self) -> None:
        self._running = threading.Lock()

    def start(self, session: Session) -> None:
        """Warm the suggestions for `session` unless a warm-up is running already."""
        if not self._running.acquire(blocking=False):
            return

        def warm() -> None:
            try:
                warm_segment_shares(session)
            except Exception:  # a store closed by a sign-out meanwhile: the next opening computes them
                log.info("suggestions not warmed after the sync round", exc_info=True)
            finally:
                self._running.release()

        threading.Thread(target=warm, name="warm-suggestions", daemon=True).start()
