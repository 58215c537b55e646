"""A real client process killed with SIGKILL at the worst moments, then a new one resumes.

(a) mid-push, (b) after the server's acknowledgement and before the outbox is cleaned,
(c) between the domain write and its outbox entry, (d) between a page and its cursor.
The push cases run against a real server process on SQLite and on PostgreSQL.
"""

import json
import os
import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from client.services.field_work import record_visit
from client.services.session import sign_in
from client.settings import ClientSettings
from client.store import (
    ENTITY_TABLES,
    count_pending,
    list_issues,
    open_user_store,
    read_state,
    save_state,
    write_last_login,
)
from client.store.secrets import FileSecretStore, token_name
from client.sync import SyncApi
from tests.client.factories import make_visit, table_rows
from tests.faults.helpers import seed_two_sellers
from tests.faults.processes import REPO, ServerProcess
from tests.servers import new_sqlite_database

LOGIN = "ana.garcia"


class ClientProcess:
    """`python -m tests.faults.client_process ...`, read line by line, killable."""

    def __init__(self, *args: str, pause: str | None = None, pause_at: int = 1) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env.pop("TERRENO_TEST_PAUSE", None)
        if pause:
            env.update(TERRENO_TEST_PAUSE=pause, TERRENO_TEST_PAUSE_AT=str(pause_at))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.client_process", *map(str, args)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []

    def read_until(self, prefix: str) -> str:
        for line in self.proc.stdout:
            self.lines.append(line.strip())
            if line.startswith(prefix):
                return line.strip()
        raise AssertionError(f"the client exited ({self.proc.wait()}) before {prefix!r}: {self.lines[-5:]}")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(30) == -signal.SIGKILL
        self.proc.stdout.close()

    def finish(self) -> list[str]:
        out, _ = self.proc.communicate(timeout=120)
        self.lines += out.splitlines()
        assert self.proc.returncode == 0, self.lines[-5:]
        return self.lines


def device_with_visits(data_dir: Path, server_url: str, visits: int) -> str:
    """Sign ana in on a new device and record `visits` visits offline; the client_id."""
    session = sign_in(ClientSettings(data_dir=data_dir, server_url=server_url), LOGIN, "secret-pass-1")
    for i in range(visits):
        record_visit(session, make_visit("C1" if i % 2 else "C2", seller_login=LOGIN))
    session.store.close()
    session.api.close()
    return str(session.client_id)


def offline_device(data_dir: Path) -> None:
    """A signed-in device that never needs the server (recording only)."""
    store = open_user_store(data_dir, LOGIN)
    with store.write() as db:
        save_state(
            db,
            client_id=uuid.uuid4(),
            login=LOGIN,
            name="Ana",
            role="seller",
            token="t",
            token_expires_at=datetime.now(UTC) + timedelta(days=1),
        )
    store.close()
    write_last_login(data_dir, LOGIN)


def outbox_and_rows(data_dir: Path) -> tuple[list[str], list[str], int]:
    """(visit ids in the outbox, visit ids in the table, pending count) as a new process sees them."""
    store = open_user_store(data_dir, LOGIN)
    try:
        with store.read() as db:
            queued = sorted(json.loads(a)["visit"]["id"] for (a,) in db.execute("SELECT args FROM outbox"))
            pending = count_pending(db)
        rows = sorted(r["id"] for r in table_rows(store, "visits"))
    finally:
        store.close()
    return queued, rows, pending


# (a) ------------------------------------------------------------------------------------


def test_a_client_killed_mid_push_resumes_and_each_mutation_is_applied_once(server, counts, tmp_path):
    visits = 600  # two batches of at most 500
    cid = device_with_visits(tmp_path / "device", server.url, visits)
    # Killed holding the server's answer to the first batch, before handling any of it: for
    # the device, as if no answer had come. (Killed on the server's first applied mutation
    # instead, a loaded machine let the answer through first, and the kill found 100 queued.)
    child = ClientProcess("push", tmp_path / "device", server.url, pause="before_answer")
    child.read_until("paused before_answer")
    assert counts.last_mutation_id(cid) == 500  # the server applied the first batch
    child.kill()
    queued, rows, _ = outbox_and_rows(tmp_path / "device")
    assert len(queued) == visits and rows == queued  # nothing recorded: all still queued

    ClientProcess("push", tmp_path / "device", server.url).finish()
    queued, rows, pending = outbox_and_rows(tmp_path / "device")
    assert queued == [] and pending == 0 and len(rows) == visits
    assert counts.ledger(cid) == list(range(1, visits + 1))
    assert counts.visits() == visits and sorted(counts.visit_ids()) == rows
    assert set(counts.visit_puts_per_id().values()) == {1}


# (b) ------------------------------------------------------------------------------------


def test_a_client_killed_after_the_ack_and_before_outbox_cleanup_gets_the_stored_results(server, counts, tmp_path):
    cid = device_with_visits(tmp_path / "device", server.url, 30)
    # One more the server refuses for good: bruno's customer is out of ana's scope.
    session = sign_in(ClientSettings(data_dir=tmp_path / "device", server_url=server.url), LOGIN, "secret-pass-1")
    refused = record_visit(session, make_visit("C3", seller_login=LOGIN))
    session.store.close()
    session.api.close()

    child = ClientProcess("push", tmp_path / "device", server.url, pause="before_cleanup")
    child.read_until("paused before_cleanup")
    assert counts.last_mutation_id(cid) == 31  # the server acknowledged everything...
    child.kill()
    queued, _, _ = outbox_and_rows(tmp_path / "device")
    assert len(queued) == 31  # ...and the device never recorded it: cleanup and results are one transaction

    ClientProcess("push", tmp_path / "device", server.url).finish()
    queued, rows, pending = outbox_and_rows(tmp_path / "device")
    assert queued == [] and pending == 0
    assert counts.ledger(cid) == list(range(1, 32)) and counts.visits() == 30
    assert set(counts.visit_puts_per_id().values()) == {1} and str(refused.id) not in counts.visit_ids()
    store = open_user_store(tmp_path / "device", LOGIN)
    with store.read() as db:
        issues = list_issues(db)
        state = read_state(db)
    store.close()
    assert [(i.kind, i.mutation_id) for i in issues] == [("rejected", 31)]  # recorded once, from the ledger
    assert state.last_mutation_id == 31


# (c) ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pause", ["after_row", "after_outbox"])
def test_a_client_killed_inside_record_keeps_both_row_and_outbox_entry_or_neither(tmp_path, pause):
    offline_device(tmp_path)
    child = ClientProcess("record", tmp_path, 5, pause=pause, pause_at=3)
    child.read_until(f"paused {pause}")
    child.kill()
    recorded = [line.split()[1] for line in child.lines if line.startswith("recorded")]
    queued, rows, _ = outbox_and_rows(tmp_path)
    assert len(recorded) == 2 and queued == rows == sorted(recorded)  # the third: neither row nor entry


def test_a_client_killed_at_random_while_recording_never_splits_a_row_from_its_outbox_entry(tmp_path):
    offline_device(tmp_path)
    for round_ in range(3):
        child = ClientProcess("record", tmp_path, 10_000)
        for _ in range(20 + 37 * round_):
            child.read_until("recorded")
        child.kill()
        queued, rows, _ = outbox_and_rows(tmp_path)
        assert queued == rows and len(rows) >= 20 + 37 * round_


# (d) ------------------------------------------------------------------------------------


@pytest.fixture
def sqlite_server(tmp_path):
    new_sqlite_database(tmp_path / "server.db")
    url = f"sqlite:///{(tmp_path / 'server.db').as_posix()}"
    seed_two_sellers(url)
    with ServerProcess(url, tmp_path) as process:
        yield process


def test_a_client_killed_between_a_page_and_its_cursor_keeps_neither(sqlite_server, tmp_path):
    device_with_visits(tmp_path / "device", sqlite_server.url, 0)
    child = ClientProcess("pull", tmp_path / "device", sqlite_server.url, 1, pause="before_cursor", pause_at=3)
    child.read_until("paused before_cursor")  # page 3's rows are written, its cursor is not
    child.kill()

    store = open_user_store(tmp_path / "device", LOGIN)
    with store.read() as db:
        state = read_state(db)
    token = FileSecretStore(tmp_path / "device").get(token_name(LOGIN))  # the device's secret store
    api = SyncApi(sqlite_server.url, token=token)
    first_two = api.pull(0, 2)  # exactly what pages 1 and 2 carried
    held = {(table, r["id"]) for table in ENTITY_TABLES.values() for r in table_rows(store, table)}
    assert state.cursor == first_two.cursor
    assert held == {(ENTITY_TABLES[c.entity], c.id) for c in first_two.changes}
    store.close()

    ClientProcess("pull", tmp_path / "device", sqlite_server.url, 1).finish()
    store = open_user_store(tmp_path / "device", LOGIN)
    with store.read() as db:
        assert read_state(db).cursor == api.pull(0, 1000).cursor
    assert sorted(r["id"] for r in table_rows(store, "customers")) == ["C1", "C2"]
    store.close()
    api.close()
