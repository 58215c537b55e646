"""A push whose acknowledgement is lost on the way back is applied once, and its retry gets the same answers."""

import json

import httpx
import pytest

from tests.faults.helpers import auth, fresh_client, push_body, sign_in, visit_mutation
from tests.faults.proxy import NO_FAULT, Fault, FaultProxy


def test_a_lost_acknowledgement_is_answered_from_the_ledger(server, counts):
    ana = sign_in(server.url, "ana.garcia")
    applied_ids: set[str] = set()
    # Cut before the status line, then in the middle of the headers.
    for round_, down_cut in enumerate([0, 40]):
        first = 4 * round_ + 1
        ids = list(range(first, first + 4))
        # One visit to another seller's customer: a rejection must replay as the same rejection.
        batch = [
            visit_mutation(ids[0]),
            visit_mutation(ids[1]),
            visit_mutation(ids[2], customer="C3"),
            visit_mutation(ids[3]),
        ]
        plan = lambda index, cut=down_cut: Fault(down_cut=cut) if index == 0 else NO_FAULT  # noqa: E731
        with FaultProxy(server.port, plan) as proxy, fresh_client(proxy.url) as http:
            with pytest.raises(httpx.RequestError):
                http.post("/v1/sync/push", json=push_body(ana, batch), headers=auth(ana))
            assert proxy.cuts == 1
            # The server applied the batch although the client never heard back.
            assert counts.ledger(ana["client_id"]) == list(range(1, first + 4))

            retry = http.post("/v1/sync/push", json=push_body(ana, batch), headers=auth(ana))
            again = http.post("/v1/sync/push", json=push_body(ana, batch), headers=auth(ana))

        assert retry.status_code == 200, retry.text
        body = retry.json()
        assert again.json() == body
        assert body["last_mutation_id"] == ids[-1]
        assert [r["id"] for r in body["results"]] == ids
        assert [r["status"] for r in body["results"]] == ["applied", "applied", "rejected", "applied"]
        assert body["results"][2]["code"] == "out_of_scope"
        stored = counts.ledger_results(ana["client_id"])
        assert [json.loads(stored[i]) for i in ids] == body["results"]
        applied_ids |= {m["args"]["visit"]["id"] for m in batch if m["id"] != ids[2]}
        # Each visit stored exactly once; each mutation in the ledger once; no second change-log put.
        assert counts.visits() == len(applied_ids) and set(counts.visit_ids()) == applied_ids
        assert counts.visit_puts_per_id() == {vid: 1 for vid in applied_ids}
        assert counts.ledger(ana["client_id"]) == list(range(1, ids[-1] + 1))
        assert counts.last_mutation_id(ana["client_id"]) == ids[-1]
