"""A client process killed with SIGKILL mid-pull resumes from its last committed page."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from client.store import open_user_store, read_state
from client.sync import SyncApi, pull_until_caught_up
from tests.client.factories import make_customer, put, table_rows
from tests.client.fakes import FakeSyncServer

ROOT = Path(__file__).resolve().parents[3]
CHANGES = 12_000
PAGE = 1_000


def change_log() -> list:
    return [put(make_customer(f"K{i:05d}"), i + 1) for i in range(CHANGES)]


CHILD = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    from client.store import open_user_store
    from client.sync import SyncApi, pull_until_caught_up
    from tests.client.fakes import FakeSyncServer
    from tests.client.sync.test_sync_kill import change_log

    server = FakeSyncServer(change_log())
    store = open_user_store(Path(sys.argv[1]), "ana.garcia")
    api = SyncApi("http://terreno.test", token=server.token, transport=server.transport())
    pull_until_caught_up(store, api, lambda p: print(p.cursor, flush=True), page_size={PAGE})
    print("done", flush=True)
""")


def test_sigkill_mid_pull_then_resume(tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    reported = [int(child.stdout.readline()) for _ in range(3)]
    child.send_signal(signal.SIGKILL)  # most likely in the middle of the 4th page
    child.wait(30)
    child.stdout.close()
    assert reported == [1000, 2000, 3000]

    store = open_user_store(tmp_path, "ana.garcia")
    with store.read() as db:
        cursor = read_state(db).cursor
    ids = [r["id"] for r in table_rows(store, "customers")]
    # Whatever page was in flight is entirely there with its cursor, or entirely absent.
    assert cursor % PAGE == 0 and cursor >= 3000
    assert ids == [f"K{i:05d}" for i in range(cursor)]

    server = FakeSyncServer(change_log())
    api = SyncApi("http://terreno.test", token=server.token, transport=server.transport())
    pull_until_caught_up(store, api, page_size=PAGE)
    assert server.pull_requests[0]["cursor"] == str(cursor)
    assert [r["id"] for r in table_rows(store, "customers")] == [f"K{i:05d}" for i in range(CHANGES)]
    store.close()
