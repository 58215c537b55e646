"""Seeded random cuts in both directions: clients that retry until answered converge, nothing lost or doubled."""

import json

from tests.faults.helpers import auth, fresh_client, push_body, retrying, sign_in, visit_mutation
from tests.faults.proxy import FaultProxy, random_plan

SEED = 20261126
ROUNDS = 30


class Device:
    """A minimal sync client: an outbox with increasing ids, a cursor and the pulled live records."""

    def __init__(self, login: str, device: dict):
        self.login, self.device = login, device
        self.outbox: list[dict] = []
        self.acked = 0
        self.results: dict[int, dict] = {}
        self.cursor = 0
        self.live: dict[tuple[str, str, str], int] = {}

    def record(self, customer: str) -> None:
        self.outbox.append(visit_mutation(len(self.outbox) + 1, customer=customer, seller=self.login))

    def push(self, http) -> int:
        batch = self.outbox[self.acked : self.acked + 5]
        response, failures = retrying(
            lambda: http.post("/v1/sync/push", json=push_body(self.device, batch), headers=auth(self.device))
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert [r["id"] for r in body["results"]] == [m["id"] for m in batch]
        for result in body["results"]:
            assert self.results.setdefault(result["id"], result) == result
        self.acked = body["last_mutation_id"]
        return failures

    def pull_page(self, http, limit: int) -> tuple[bool, int]:
        response, failures = retrying(
            lambda: http.get("/v1/sync/pull", params={"cursor": self.cursor, "limit": limit}, headers=auth(self.device))
        )
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["cursor"] >= self.cursor
        for change in page["changes"]:
            key = (change["bucket"], change["entity"], change["id"])
            if change["op"] == "put":
                self.live[key] = change["version"]
            else:
                self.live.pop(key, None)
        self.cursor = page["cursor"]
        return page["has_more"], failures


def test_random_cuts_in_both_directions_converge(server, counts):
    devices = [
        Device("ana.garcia", sign_in(server.url, "ana.garcia")),
        Device("bruno.diaz", sign_in(server.url, "bruno.diaz")),
    ]
    customers = {"ana.garcia": ["C1", "C2", "C3"], "bruno.diaz": ["C3", "C1"]}  # some out of scope: rejected
    failures = 0
    with (
        FaultProxy(server.port, random_plan(SEED, cut_rate=0.5, max_down=1200)) as proxy,
        fresh_client(proxy.url) as http,
    ):
        for round_ in range(ROUNDS):
            device = devices[round_ % 2]
            for k in range(3):
                device.record(customers[device.login][(round_ + k) % len(customers[device.login])])
            failures += device.push(http)
            if round_ % 3 == 2:
                failures += device.pull_page(http, limit=4 + round_ % 7)[1]
        # Quiescence: push everything, pull until caught up, still through the faulty proxy.
        for device in devices:
            while device.acked < len(device.outbox):
                failures += device.push(http)
            while True:
                has_more, failed = device.pull_page(http, limit=50)
                failures += failed
                if not has_more:
                    break
        cuts = proxy.cuts
    assert cuts >= ROUNDS // 2 and failures > 0  # the faults did happen

    server_visits = set(counts.visit_ids())
    applied: set[str] = set()
    for device in devices:
        cid = device.device["client_id"]
        n = len(device.outbox)
        assert counts.ledger(cid) == list(range(1, n + 1)) and counts.last_mutation_id(cid) == n
        assert sorted(device.results) == list(range(1, n + 1))
        stored = counts.ledger_results(cid)
        for mutation in device.outbox:
            result = device.results[mutation["id"]]
            assert json.loads(stored[mutation["id"]]) == result
            visit_id = mutation["args"]["visit"]["id"]
            if result["status"] == "applied":
                applied.add(visit_id)
            else:
                assert visit_id not in server_visits
        # The visits this device pulled are exactly the server's visits of its seller.
        pulled = {key[2] for key in device.live if key[1] == "visit"}
        mine = {m["args"]["visit"]["id"] for m in device.outbox if device.results[m["id"]]["status"] == "applied"}
        assert pulled == mine
    assert server_visits == applied and counts.visits() == len(applied)
    assert counts.visit_puts_per_id() == {vid: 1 for vid in applied}
