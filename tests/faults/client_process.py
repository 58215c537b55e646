"""A real client process for the SIGKILL tests.

    python -m tests.faults.client_process record <data_dir> <count>
    python -m tests.faults.client_process push   <data_dir> <server_url>
    python -m tests.faults.client_process pull   <data_dir> <server_url> <page_size>

It resumes the session stored under <data_dir> and prints one flushed line per milestone, so
the parent knows where it is. TERRENO_TEST_PAUSE names a point inside ONE transaction where
the process announces "paused <point>" and then waits to be killed:

    after_row       record: the visit row written, its outbox entry not yet
    after_outbox    record: row and outbox entry written, not committed
    before_answer   push: the server's answer to a batch received, none of it handled yet
    before_cleanup  push: the server's answer received, the outbox not yet cleaned
    before_cursor   pull: a page's rows written, its cursor not yet saved

(TERRENO_TEST_PAUSE_AT=n pauses at the n-th passage, default 1.) The pause wraps one store
function in this process only; the code under test runs unchanged around it.
"""

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import client.store.changes
import client.store.effects
import client.sync.pusher
from client.services.field_work import record_visit
from client.services.session import Session, resume_session
from client.settings import ClientSettings
from client.sync import pull_until_caught_up, push_outbox
from tests.client.factories import make_visit


def say(line: str) -> None:
    print(line, flush=True)


def _pausing(original: Callable, point: str, *, after: bool = False) -> Callable:
    calls = 0
    at = int(os.environ.get("TERRENO_TEST_PAUSE_AT", "1"))

    def wrapper(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == at and not after:
            _wait(point)
        result = original(*args, **kwargs)
        if calls == at and after:
            _wait(point)
        return result

    return wrapper


def _wait(point: str) -> None:
    say(f"paused {point}")
    time.sleep(600)
    raise SystemExit("not killed")


def install_pause(point: str | None) -> None:
    if point == "after_row":
        client.store.effects.enqueue = _pausing(client.store.effects.enqueue, point)
    elif point == "after_outbox":
        client.store.effects.enqueue = _pausing(client.store.effects.enqueue, point, after=True)
    elif point == "before_answer":
        client.sync.pusher._acknowledge = _pausing(client.sync.pusher._acknowledge, point)
    elif point == "before_cleanup":
        client.sync.pusher.remove_acknowledged = _pausing(client.sync.pusher.remove_acknowledged, point)
    elif point == "before_cursor":
        client.store.changes.save_state = _pausing(client.store.changes.save_state, point)
    elif point:
        raise SystemExit(f"unknown pause point {point!r}")


def open_session(data_dir: str, server_url: str = "http://127.0.0.1:9") -> Session:
    session = resume_session(ClientSettings(data_dir=Path(data_dir), server_url=server_url))
    if session is None:
        raise SystemExit("no resumable session under " + data_dir)
    return session


def main(argv: list[str]) -> None:
    action, data_dir, *rest = argv
    install_pause(os.environ.get("TERRENO_TEST_PAUSE"))
    if action == "record":
        session = open_session(data_dir)  # no network needed: recording is local
        for _ in range(int(rest[0])):
            visit = record_visit(session, make_visit("C1", seller_login=session.login))
            say(f"recorded {visit.id}")
    elif action == "push":
        session = open_session(data_dir, rest[0])
        result = push_outbox(session.store, session.api)
        say(f"pushed {result.acknowledged}")
    elif action == "pull":
        session = open_session(data_dir, rest[0])
        pull_until_caught_up(session.store, session.api, lambda p: say(f"cursor {p.cursor}"), page_size=int(rest[1]))
        say("caught up")
    else:
        raise SystemExit(f"unknown action {action!r}")
    session.store.close()
    say("done")


if __name__ == "__main__":
    main(sys.argv[1:])
