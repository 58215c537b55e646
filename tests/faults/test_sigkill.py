"""SIGKILL the server in the middle of a 300-mutation push, restart it, re-push: exactly once."""

import threading
import time

import httpx

from tests.faults.helpers import auth, push_body, sign_in, visit_mutation

BATCH = 300
REJECTED = 2


def test_a_server_killed_mid_push_recovers_and_applies_each_mutation_once(server, counts, seeded_url):
    ana = sign_in(server.url, "ana.garcia")
    cid = ana["client_id"]
    # Mutation 2 is out of scope (C3 is Bruno's): a batch with a rejection is judged one
    # envelope at a time, a commit each, so the kill lands between commits. (A batch that
    # applies whole is one transaction: killed, nothing of it survives, and it is sent again.)
    batch = [
        visit_mutation(i, customer="C3" if i == REJECTED else "C1" if i % 2 else "C2", notes="x" * 2000)
        for i in range(1, BATCH + 1)
    ]
    outcome: list = []

    def send():
        try:
            outcome.append(
                httpx.post(f"{server.url}/v1/sync/push", json=push_body(ana, batch), headers=auth(ana), timeout=60)
            )
        except httpx.RequestError as exc:
            outcome.append(exc)

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 30
    while counts.last_mutation_id(cid) < 20:  # committed mutations: the server is applying
        assert time.monotonic() < deadline and sender.is_alive(), "the push never started applying"
        time.sleep(0.002)
    server.kill()
    sender.join(30)
    assert isinstance(outcome[0], httpx.RequestError), "the push finished before the kill: make it bigger"

    # Before any restart: what survived is a prefix, and each committed mutation is whole
    # (ledger row, visit and last_mutation_id in one transaction; the in-flight one rolled back).
    counts.engine.dispose()
    survived = counts.last_mutation_id(cid)
    assert 20 <= survived < BATCH
    assert counts.ledger(cid) == list(range(1, survived + 1))
    assert counts.visits() == survived - 1
    if counts.engine.dialect.name == "sqlite":
        with counts.engine.connect() as conn:  # the WAL was recovered on open
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"

    server.start()  # same database, new port
    response = httpx.post(f"{server.url}/v1/sync/push", json=push_body(ana, batch), headers=auth(ana), timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["last_mutation_id"] == BATCH
    assert [r["id"] for r in body["results"]] == list(range(1, BATCH + 1))
    assert [r["id"] for r in body["results"] if r["status"] != "applied"] == [REJECTED]
    assert counts.ledger(cid) == list(range(1, BATCH + 1))
    assert counts.last_mutation_id(cid) == BATCH
    assert counts.visits() == BATCH - 1
    assert set(counts.visit_ids()) == {m["args"]["visit"]["id"] for m in batch if m["id"] != REJECTED}
    assert set(counts.visit_puts_per_id().values()) == {1}
