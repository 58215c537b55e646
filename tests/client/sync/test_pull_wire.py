"""The fast pull-page decoder gives the verdicts and values of the protocol's PullResponse."""

import gc
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import ValidationError

from client.sync.errors import BadResponse
from client.sync.pull_wire import decode_pull_page
from shared.protocol import BucketChecksum, Checkpoint, PullResponse
from tests.client.factories import delete, make_customer, make_product, page, put


def _valid() -> dict:
    response = page(
        [put(make_customer("C1"), 1), put(make_product("P1"), 2, bucket="catalog"), delete(make_customer("C2"), 3)],
        has_more=True,
        total=7,
        last_mutation_id=4,
    )
    response = response.model_copy(
        update={"checkpoint": Checkpoint(seq=3, buckets=[BucketChecksum(bucket="catalog", count=1, checksum=99)])}
    )
    return json.loads(response.model_dump_json())


def _without(key: str):
    return lambda body: {k: v for k, v in body.items() if k != key}


def _change(**update):
    return lambda body: {**body, "changes": [{**body["changes"][0], **update}, *body["changes"][1:]]}


def _change_without(key: str):
    return lambda body: {**body, "changes": [{k: v for k, v in body["changes"][0].items() if k != key}]}


ALTERATIONS = {
    "as sent": lambda body: body,
    "no optional fields": lambda body: {k: v for k, v in body.items() if k not in ("total_changes", "checkpoint")},
    "no changes": lambda body: {**body, "changes": []},
    "a change without data": _change(data=None),
    "missing cursor": _without("cursor"),
    "missing epoch": _without("epoch"),
    "unknown field": lambda body: {**body, "surprise": 1},
    "changes not a list": lambda body: {**body, "changes": {}},
    "has_more not a bool": lambda body: {**body, "has_more": "perhaps"},
    "change missing seq": _change_without("seq"),
    "change missing id": _change_without("id"),
    "change with unknown field": _change(extra="x"),
    "change op unknown": _change(op="upsert"),
    "change data a list": _change(data=[1, 2]),
    "change version a float": _change(version=1.5),
    "change entity a number": _change(entity=7),
    "with a floor": lambda body: {**body, "floor": 42},
    "floor a word": lambda body: {**body, "floor": "low"},
    "checkpoint without buckets": lambda body: {**body, "checkpoint": {"seq": 3}},
    "checkpoint bucket count a word": lambda body: {
        **body,
        "checkpoint": {"seq": 3, "buckets": [{"bucket": "catalog", "count": "many", "checksum": 1}]},
    },
}


@pytest.mark.parametrize("alteration", ALTERATIONS, ids=list(ALTERATIONS))
def test_the_fast_decoder_agrees_with_the_protocol_model(alteration):
    body = json.dumps(ALTERATIONS[alteration](_valid())).encode()
    try:
        expected = PullResponse.model_validate_json(body)
    except ValidationError:
        with pytest.raises(BadResponse):
            decode_pull_page(body)
        return
    got = decode_pull_page(body)
    assert (
        got.cursor,
        got.has_more,
        got.last_mutation_id,
        got.epoch,
        got.total_changes,
        got.checkpoint,
        got.floor,
    ) == (
        expected.cursor,
        expected.has_more,
        expected.last_mutation_id,
        expected.epoch,
        expected.total_changes,
        expected.checkpoint,
        expected.floor,
    )
    assert [(c.seq, c.bucket, c.entity, c.id, c.op, c.version, c.data) for c in got.changes] == [
        (c.seq, c.bucket, c.entity, c.id, c.op, c.version, c.data) for c in expected.changes
    ]


def test_the_table_has_both_verdicts():
    verdicts = set()
    for alteration in ALTERATIONS.values():
        try:
            PullResponse.model_validate_json(json.dumps(alteration(_valid())))
            verdicts.add("valid")
        except ValidationError:
            verdicts.add("invalid")
    assert verdicts == {"valid", "invalid"}


def test_not_json_at_all_is_a_bad_response():
    with pytest.raises(BadResponse, match="not a PullResponse"):
        decode_pull_page(b"<html>proxy login</html>")


def _body(n: int) -> bytes:
    return page([put(make_customer(f"C{i:04d}"), i + 1) for i in range(n)]).model_dump_json().encode()


def test_the_collector_is_paused_while_a_page_decodes_and_back_after_even_on_a_bad_one(monkeypatch):
    import client.sync.pull_wire as wire

    seen = []
    real = wire._DECODER

    class Watching:
        def decode(self, body):
            seen.append(gc.isenabled())
            return real.decode(body)

    monkeypatch.setattr(wire, "_DECODER", Watching())
    assert gc.isenabled()
    decode_pull_page(_body(3))
    with pytest.raises(BadResponse):
        decode_pull_page(b'{"changes": [1]}')
    assert seen == [False, False] and gc.isenabled()
    gc.disable()  # a caller that turned it off itself keeps it off
    try:
        decode_pull_page(_body(3))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_decoding_on_two_threads_at_once_leaves_the_collector_on():
    bodies = [_body(300) for _ in range(40)]
    with ThreadPoolExecutor(4) as pool:
        pages = list(pool.map(decode_pull_page, bodies))
    assert all(len(p.changes) == 300 for p in pages) and gc.isenabled()
