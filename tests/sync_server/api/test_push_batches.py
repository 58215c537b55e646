"""A push batch applied together (one transaction) answers as envelopes pushed one by one do
(both backends): the same results, the same change log, exactly once."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from shared.protocol import activity_bucket
from sync_server.repository.tables import ENTITY_TABLES, changes, devices, mutations
from tests.sync_server.factories import make_customer, make_user, sign_in

SELLERS = {"ana.garcia": ("C1", "C2"), "bruno.diaz": ("C2", "C1")}
"""Each seller's own customer and the other's: the same batch, shaped for each."""


def _seed(conn):
    for login, (own, _other) in SELLERS.items():
        make_user(conn, login)
        make_customer(conn, own, login)


def _push(client, device: dict, envelopes: list[dict]) -> dict:
    body = {"client_id": device["client_id"], "protocol_version": 3, "schema_version": 1, "mutations": envelopes}
    response = client.post("/v1/sync/push", json=body, headers={"Authorization": f"Bearer {device['token']}"})
    assert response.status_code == 200, response.text
    return response.json()


def _visit(login: str, customer: str, visit_id: str, notes: str = "Revisar stock") -> dict:
    now = datetime.now(UTC).isoformat()
    return {"id": visit_id, "customer_code": customer, "seller_login": login, "checked_in_at": now,
            "checked_out_at": now, "notes": notes}  # fmt: skip


def _mixed(login: str) -> list[dict]:
    """Two envelopes pushed before, then new ones: applied (one that needs an earlier one of
    the batch, one that updates it), rejected for four reasons, and the same comment twice."""
    own, other = SELLERS[login]
    visit_id, comment_id = str(uuid.uuid4()), str(uuid.uuid4())
    comment = {"id": comment_id, "visit_id": visit_id, "author_login": login, "text": "Quiere muestras"}
    return [
        {"id": 1, "name": "record_visit", "args": {"visit": _visit(login, own, str(uuid.uuid4()))}},
        {"id": 2, "name": "record_visit", "args": {"visit": _visit(login, other, str(uuid.uuid4()))}},
        {"id": 3, "name": "record_visit", "args": {"visit": _visit(login, own, visit_id)}},
        {"id": 4, "name": "add_visit_comment", "args": {"comment": comment}},
        {"id": 5, "name": "record_visit", "args": {"visit": _visit(login, other, str(uuid.uuid4()))}},
        {"id": 6, "name": "launch_rocket", "args": {"x": 1}},
        {"id": 7, "name": "not a name!", "args": {}},
        {"id": 8, "name": "record_visit", "args": {"visit": _visit(login, own, visit_id, notes="Pedido hecho")}},
        {"id": 9, "name": "add_visit_comment", "args": {"comment": comment}},
        {"id": 10, "name": "record_visit", "args": {"visit": {"id": "not-a-uuid"}}},
    ]


def _applying(login: str) -> list[dict]:
    """New envelopes that all apply, one of them on a visit recorded earlier in the batch."""
    return [e for e in _mixed(login) if e["id"] in (1, 3, 4, 8, 9)]


def _renumbered(envelopes: list[dict]) -> list[dict]:
    return [{**e, "id": n} for n, e in enumerate(envelopes, start=1)]


def _shape(results: list[dict]) -> list[tuple]:
    return [(r["id"], r["status"], r.get("code"), r.get("key"), r.get("conflicts")) for r in results]


def _log(app, login: str) -> list[tuple]:
    """The seller's activity bucket in the change log, in seq order (ids left out)."""
    with app.state.engine.connect() as conn:
        query = (
            sa.select(changes.c.entity, changes.c.op, changes.c.version)
            .where(changes.c.bucket == activity_bucket(login))
            .order_by(changes.c.seq)
        )
        return [tuple(row) for row in conn.execute(query)]


def _ledger(app, client_id: str) -> tuple[list[tuple], int]:
    with app.state.engine.connect() as conn:
        rows = conn.execute(
            sa.select(mutations.c.mutation_id, mutations.c.status, mutations.c.code)
            .where(mutations.c.client_id == client_id)
            .order_by(mutations.c.mutation_id)
        ).all()
        last = conn.execute(sa.select(devices.c.last_mutation_id).where(devices.c.client_id == client_id)).scalar()
    return [tuple(r) for r in rows], last


@pytest.mark.parametrize("batch", [_mixed, _applying], ids=["mixed", "all_applying"])
def test_a_batch_answers_as_the_same_envelopes_pushed_one_by_one(client, seed, app, batch):
    seed(_seed)
    together, one_by_one = sign_in(client, "ana.garcia"), sign_in(client, "bruno.diaz")
    envelopes = {login: _renumbered(batch(login)) for login in SELLERS}
    _push(client, together, envelopes["ana.garcia"][:2])  # pushed before: answered from the ledger
    answer = _push(client, together, envelopes["ana.garcia"])
    singles = [_push(client, one_by_one, [e]) for e in envelopes["bruno.diaz"][:2]]
    singles += [_push(client, one_by_one, [e]) for e in envelopes["bruno.diaz"]]  # the first two again
    expected = [r for s in singles[2:] for r in s["results"]]
    assert _shape(answer["results"]) == _shape(expected)
    assert answer["last_mutation_id"] == singles[-1]["last_mutation_id"] == len(envelopes["ana.garcia"])
    assert _log(app, "ana.garcia") == _log(app, "bruno.diaz") != []
    assert _ledger(app, together["client_id"]) == _ledger(app, one_by_one["client_id"])
    again = _push(client, together, envelopes["ana.garcia"])  # a lost response: the same answer, nothing twice
    assert again == answer and _log(app, "ana.garcia") == _log(app, "bruno.diaz")


def test_the_mixed_batch_rejects_what_it_should(client, seed):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    answer = _push(client, ana, _mixed("ana.garcia"))
    statuses = [(r["id"], r["status"], r.get("code")) for r in answer["results"]]
    assert statuses == [
        (1, "applied", None),
        (2, "rejected", "out_of_scope"),
        (3, "applied", None),
        (4, "applied", None),
        (5, "rejected", "out_of_scope"),
        (6, "rejected", "validation_failed"),
        (7, "rejected", "invalid_mutation"),
        (8, "applied", None),
        (9, "applied", None),
        (10, "rejected", "validation_failed"),
    ]


class _WriteCommits:
    """Counts the transactions that wrote something and committed."""

    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        self._wrote = False
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)

    def _statement(self, _conn, _cursor, statement, *_args) -> None:
        self._wrote |= statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")

    def _commit(self, _conn) -> None:
        self.count += self._wrote
        self._wrote = False

    def _rollback(self, _conn) -> None:
        self._wrote = False


def test_a_batch_that_applies_is_one_transaction(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    envelopes = _renumbered(_applying("ana.garcia"))
    _push(client, ana, envelopes[:2])
    commits = _WriteCommits(app.state.engine)
    answer = _push(client, ana, envelopes)  # two answered from the ledger, three applied
    assert [r["status"] for r in answer["results"]] == ["applied"] * 5
    assert commits.count == 1


def test_a_gap_after_envelopes_that_apply_keeps_them(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    envelopes = _renumbered(_applying("ana.garcia"))
    body = {"client_id": ana["client_id"], "protocol_version": 3, "schema_version": 1,
            "mutations": [envelopes[0], envelopes[1], {**envelopes[2], "id": 4}]}  # fmt: skip
    response = client.post("/v1/sync/push", json=body, headers={"Authorization": f"Bearer {ana['token']}"})
    assert response.status_code == 409 and response.json()["expected"] == 3
    assert _ledger(app, ana["client_id"]) == ([(1, "applied", None), (2, "applied", None)], 2)
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(ENTITY_TABLES["visit"])).scalar() == 2


def test_an_id_twice_in_one_batch_is_applied_once(client, seed, app):
    seed(_seed)
    ana = sign_in(client, "ana.garcia")
    first, second = _renumbered(_applying("ana.garcia"))[:2]
    answer = _push(client, ana, [first, first, second])
    assert [(r["id"], r["status"]) for r in answer["results"]] == [(1, "applied"), (1, "applied"), (2, "applied")]
    assert _ledger(app, ana["client_id"]) == ([(1, "applied", None), (2, "applied", None)], 2)
