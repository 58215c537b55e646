"""The garbage collector around a pull: what it skips, and when it stands aside.

Python's cyclic collector runs every few hundred new containers and walks the young ones.
A pull page is tens of thousands of new containers at once (decoded changes, then the rows
built from them) and holds no reference cycles: every pass over it frees nothing.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pausing = threading.Lock()
_pausers = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection while a page is decoded and applied, on any thread.

    Pausing only the decoding moved the passes to the first allocations after it; held
    until the page is written, its objects are gone by refcount before the collector is
    back: about a tenth of a 1M-row first sync's device time (bench/sync_breakdown.py).
    Counted across threads: the collector comes back when the last pauser is done, and
    only if it was on before the first began. Between pages it runs as usual, so the
    app's own garbage is still collected during a long sync.
    """
    global _pausers, _resume
    with _pausing:
        if _pausers == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pausers += 1
    try:
        yield
    finally:
        with _pausing:
            _pausers -= 1
            if _pausers == 0 and _resume:
                gc.enable()


@contextmanager
def existing_objects_frozen() -> Iterator[None]:
    """Keep the collector's full passes to the objects made during a pull.

    Each full collection would walk every object the app already holds (modules, UI) to
    free none of them: 13% of the client CPU time of a 100k-row first sync, measured.
    Frozen objects are skipped until `unfreeze`, which hands them back as they were;
    garbage made during the pull is collected as usual. (Nothing else in the app freezes
    objects: whatever did would be unfrozen here too.)
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


__all__ = ["collector_paused", "existing_objects_frozen"]
