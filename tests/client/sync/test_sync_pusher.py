"""push_outbox: id order, bounded batches, exactly once across lost answers, gaps, 503, 413."""

from uuid import uuid4

import httpx
import pytest

from client.store import count_pending, enqueue, list_issues, pending_mutations, read_state, record, save_state
from client.sync import MutationTooLarge, Offline, OutboxOutOfStep, ServerBusy, SyncApi, fit_batch, push_outbox
from client.sync.http import push_body
from shared.errors import RetryLater
from shared.protocol import MAX_PUSH_BYTES, MutationName
from tests.client.factories import make_visit
from tests.client.fakes import FakeSyncServer


@pytest.fixture
def server() -> FakeSyncServer:
    return FakeSyncServer([])


@pytest.fixture
def api(server) -> SyncApi:
    return SyncApi("http://terreno.test", token=server.token, transport=server.transport())


@pytest.fixture
def device(store, server):
    """The store of a registered device."""
    with store.write() as db:
        save_state(db, client_id=server.client_id, token=server.token)
    return store


def _visits(store, n: int, **kw) -> list[int]:
    return [record(store, MutationName.RECORD_VISIT, {"visit": make_visit(**kw).to_data()}) for _ in range(n)]


def _pending_ids(store) -> list[int]:
    with store.read() as db:
        return [m.id for m in pending_mutations(db, limit=10_000)]


def test_mutations_go_in_id_order_in_batches_bounded_by_count(device, server, api):
    ids = _visits(device, 7)
    result = push_outbox(device, api, max_mutations=3)
    assert [[m["id"] for m in body["mutations"]] for body in server.push_requests] == [ids[:3], ids[3:6], ids[6:]]
    assert [m.id for m in server.applied] == ids
    assert (result.batches, result.acknowledged, result.last_mutation_id) == (3, 7, ids[-1])
    assert _pending_ids(device) == []
    with device.read() as db:
        assert read_state(db).last_mutation_id == ids[-1]


def test_batches_are_split_by_bytes(device, server, api):
    ids = _visits(device, 9, notes="x" * 3000)
    bound = 10_000  # about three of these visits per request
    push_outbox(device, api, max_bytes=bound)
    sizes = [len(body) for body in server.push_bodies]
    assert len(sizes) >= 3 and max(sizes) <= bound
    assert [m["id"] for body in server.push_requests for m in body["mutations"]] == ids


def test_the_default_byte_bound_splits_a_batch_under_the_count_bound(device, server, api):
    with device.write() as db:
        ids = [enqueue(db, MutationName.RECORD_VISIT, {"blob": "y" * (MAX_PUSH_BYTES // 3)}) for _ in range(4)]
    push_outbox(device, api)
    assert [len(body["mutations"]) for body in server.push_requests] == [2, 2]
    assert max(len(body) for body in server.push_bodies) <= MAX_PUSH_BYTES
    assert [m.id for m in server.applied] == ids


def test_a_batch_is_the_longest_prefix_that_fits(device):
    _visits(device, 5, notes="z" * 500)
    with device.read() as db:
        pending = pending_mutations(db)
    client_id = uuid4()
    three = len(push_body(fit_batch(client_id, pending[:3], MAX_PUSH_BYTES)))
    batch = fit_batch(client_id, pending, three)  # exactly the size of three
    assert len(batch.mutations) == 3 and len(push_body(batch)) == three
    assert len(fit_batch(client_id, pending, three - 1).mutations) == 2


def test_a_mutation_that_can_never_fit_stops_the_push_clearly(device, api):
    _visits(device, 1, notes="w" * 4000)
    with pytest.raises(MutationTooLarge):
        push_outbox(device, api, max_bytes=1000)
    assert len(_pending_ids(device)) == 1


def test_rejections_and_conflicts_land_in_sync_issues_and_later_mutations_go_through(device, server, api):
    ids = _visits(device, 4)
    server.verdicts = {
        ids[1]: {"status": "rejected", "code": "out_of_scope", "detail": "not your customer"},
        ids[2]: {"conflicts": ["value"], "detail": "someone else changed value first"},
    }
    result = push_outbox(device, api)
    assert (result.acknowledged, result.rejected, result.conflicts) == (4, 1, 1)
    assert [m.id for m in server.applied] == [ids[0], ids[2], ids[3]]
    with device.read() as db:
        issues = list_issues(db)
        assert count_pending(db) == 0
    assert [(i.kind, i.mutation_id, i.code, i.fields) for i in issues] == [
        ("rejected", ids[1], "out_of_scope", ()),
        ("conflict", ids[2], None, ("value",)),
    ]


def test_a_lost_answer_is_pushed_again_and_applied_once(device, server, api):
    ids = _visits(device, 3)
    server.verdicts = {ids[1]: {"status": "rejected", "code": "out_of_scope", "detail": "not yours"}}
    server.drop_push_responses = 1
    with pytest.raises(Offline):
        push_outbox(device, api)
    assert _pending_ids(device) == ids  # nothing acknowledged: the answer never came
    push_outbox(device, api)
    assert [m.id for m in server.applied] == [ids[0], ids[2]]  # once each
    with device.read() as db:
        assert [i.mutation_id for i in list_issues(db)] == [ids[1]]  # the stored rejection, recorded once
    assert _pending_ids(device) == []


def test_a_lost_answer_spanning_batches_still_records_every_result(device, server, api):
    ids = _visits(device, 6)
    server.verdicts = {ids[4]: {"status": "rejected", "code": "validation_failed", "detail": "bad"}}
    server.drop_push_responses = 1
    with pytest.raises(Offline):
        push_outbox(device, api)  # all six applied, answer lost
    # Smaller batches now: the server's last id (6) is past the first batch, whose answer
    # must not acknowledge mutations 4-6 before their stored results are read.
    push_outbox(device, api, max_mutations=3)
    with device.read() as db:
        assert [i.mutation_id for i in list_issues(db)] == [ids[4]]
    assert len(server.applied) == 5


@pytest.mark.parametrize(
    "failure",
    [
        RetryLater("the server is busy"),
        httpx.Response(502, text="<html>Bad gateway</html>", headers={"content-type": "text/html"}),
    ],
    ids=["503", "proxy-502"],
)
def test_a_transient_failure_stops_the_push_and_keeps_the_rest(device, server, api, failure):
    ids = _visits(device, 4)
    server.push_failures = [None, failure]  # the second batch meets the failure
    with pytest.raises(ServerBusy):
        push_outbox(device, api, max_mutations=2)
    assert _pending_ids(device) == ids[2:]  # the first batch's acknowledgement is kept
    push_outbox(device, api)
    assert [m.id for m in server.applied] == ids and _pending_ids(device) == []


def test_a_server_that_forgot_this_device_stops_the_push_without_losing_anything(device, server, api):
    ids = _visits(device, 3)
    push_outbox(device, api)
    later = _visits(device, 2)
    server.last_mutation_id, server.ledger = 0, {}  # registered anew / restored from a backup
    with pytest.raises(OutboxOutOfStep, match="registered anew") as raised:
        push_outbox(device, api)
    assert (raised.value.expected, raised.value.first_pending) == (1, later[0])
    assert _pending_ids(device) == later and ids[-1] < later[0]


def test_a_hole_in_the_outbox_is_acknowledged_up_to_the_hole_then_refused(device, server, api):
    ids = _visits(device, 4)
    with device.write() as db:
        db.execute("DELETE FROM outbox WHERE mutation_id = ?", [ids[2]])  # damaged outbox
    with pytest.raises(OutboxOutOfStep, match="lacks") as raised:
        push_outbox(device, api)
    assert raised.value.expected == ids[2]
    assert [m.id for m in server.applied] == ids[:2]
    assert _pending_ids(device) == [ids[3]]  # the first two were acknowledged from the ledger


def test_a_server_with_a_smaller_byte_bound_gets_smaller_batches(device, server, api):
    ids = _visits(device, 8, notes="q" * 2000)
    server.max_push_bytes = 7_000  # ours is 4 MiB: the first request is refused with 413
    push_outbox(device, api)
    assert len(server.push_bodies[0]) > 7_000
    assert [m.id for m in server.applied] == ids


def test_an_older_server_rejects_a_mutation_it_does_not_know_and_takes_the_rest(device, server, api):
    server.known_mutations = {MutationName.RECORD_VISIT.value}
    first = _visits(device, 1)
    opportunity = record(
        device,
        MutationName.SAVE_OPPORTUNITY,
        {
            "opportunity": {
                "id": str(uuid4()),
                "customer_code": "C1",
                "seller_login": "ana.garcia",
                "title": "EPIs",
                "currency": "EUR",
                "value": "1.00",
                "probability_percent": "10",
            },
            "base_version": None,
            "base": {},
        },
    )
    last = _visits(device, 1)
    result = push_outbox(device, api)
    assert result.rejected == 1 and [m.id for m in server.applied] == first + last
    with device.read() as db:
        [issue] = list_issues(db)
    assert (issue.mutation_id, issue.code) == (opportunity, "validation_failed") and "does not know" in issue.detail


def test_an_empty_outbox_sends_nothing(device, server, api):
    assert push_outbox(device, api).batches == 0
    assert server.push_bodies == []
