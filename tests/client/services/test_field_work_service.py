"""Recording field work: local checks, one transaction, the edit's base, the sync nudge."""

import time
from uuid import UUID

import pytest

from client.services.field_work import (
    customer_activity,
    get_opportunity,
    record_claim,
    record_observation,
    record_visit,
    save_opportunity,
)
from client.services.ids import new_record_id
from client.store import apply_pull_page, count_pending, pending_mutations
from shared.errors import PermissionDenied, ValidationFailed
from tests.client.factories import (
    ACTIVITY,
    make_claim,
    make_observation,
    make_opportunity,
    make_visit,
    page,
    put,
    table_rows,
)


@pytest.fixture
def session(seller_session):
    return seller_session  # the services conftest's signed-in seller


@pytest.fixture
def nudges(session) -> list:
    calls: list = []
    session.on_local_write = lambda: calls.append(1)
    return calls


def _pending(session):
    with session.store.read() as db:
        return pending_mutations(db)


def test_each_record_service_writes_its_row_queues_its_mutation_and_nudges(session, nudges):
    record_visit(session, make_visit())
    record_observation(session, make_observation())
    record_claim(session, make_claim())
    assert [m.name for m in _pending(session)] == ["record_visit", "record_observation", "record_claim"]
    assert [len(table_rows(session.store, t)) for t in ("visits", "competitor_observations", "claims")] == [1, 1, 1]
    assert len(nudges) == 3


def test_a_record_by_someone_else_is_refused_before_anything_is_written(session, nudges):
    with pytest.raises(PermissionDenied):
        record_visit(session, make_visit(seller_login="bruno.diaz"))
    assert _pending(session) == [] and table_rows(session.store, "visits") == [] and nudges == []


def test_a_failing_nudge_does_not_undo_the_write(session):
    def broken():
        raise RuntimeError("engine gone")

    session.on_local_write = broken
    record_visit(session, make_visit())
    with session.store.read() as db:
        assert count_pending(db) == 1


def test_a_new_opportunity_is_sent_whole_without_a_base(session):
    created = save_opportunity(session, make_opportunity(version=7))
    [mutation] = _pending(session)
    assert mutation.args["base_version"] is None and mutation.args["base"] == {}
    assert mutation.args["opportunity"]["version"] == 1 and created.version == 1


def test_an_edit_sends_only_the_changed_fields_with_their_values_before(session):
    server = make_opportunity(version=3)
    apply_pull_page(session.store, page([put(server, 1, version=3, bucket=ACTIVITY)]))
    original = get_opportunity(session, server.id)
    saved = save_opportunity(session, original.model_copy(update={"stage": "proposal", "value": "12500.00"}))
    [mutation] = _pending(session)
    assert mutation.args["base_version"] == 3
    assert mutation.args["base"] == {"stage": "qualified", "value": "12000.00"}
    assert (mutation.args["opportunity"]["stage"], mutation.args["opportunity"]["version"]) == ("proposal", 3)
    assert (saved.stage, get_opportunity(session, server.id).value) == ("proposal", saved.value)


def test_an_edit_from_a_screen_opened_before_a_pull_keeps_the_pulled_changes(session):
    server_v1 = make_opportunity()
    apply_pull_page(session.store, page([put(server_v1, 1, bucket=ACTIVITY)]))
    opened = get_opportunity(session, server_v1.id)  # the edit screen opens...
    server_v2 = server_v1.model_copy(update={"title": "EPIs y guantes", "version": 2})
    apply_pull_page(session.store, page([put(server_v2, 2, version=2, bucket=ACTIVITY)]))  # ...a pull lands
    save_opportunity(session, opened.model_copy(update={"probability_percent": "70"}), opened)

    [mutation] = _pending(session)
    assert mutation.args["base"] == {"probability_percent": "40"} and mutation.args["base_version"] == 1
    shown = get_opportunity(session, server_v1.id)
    assert (shown.title, str(shown.probability_percent)) == ("EPIs y guantes", "70")  # the title is not undone


def test_saving_without_a_change_queues_nothing(session, nudges):
    created = save_opportunity(session, make_opportunity())
    save_opportunity(session, created)
    assert len(_pending(session)) == 1 and len(nudges) == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"stage": "lost"}, ValidationFailed),
        ({"customer_code": "C2"}, ValidationFailed),
        ({"seller_login": "bruno.diaz"}, PermissionDenied),
    ],
)
def test_edits_the_server_would_refuse_are_refused_on_the_device(session, change, error):
    created = save_opportunity(session, make_opportunity())
    with pytest.raises(error):
        save_opportunity(session, created.model_copy(update=change))
    assert len(_pending(session)) == 1


def test_customer_activity_lists_newest_first_with_pending_changes(session):
    older = make_visit(checked_in_at="2026-06-01T09:00:00Z")
    newer = make_visit(checked_in_at="2026-06-20T09:00:00Z")
    elsewhere = make_visit("C2")
    for visit in (older, newer, elsewhere):
        record_visit(session, visit)
    opportunity = save_opportunity(session, make_opportunity())
    activity = customer_activity(session, "C1")
    assert [v.id for v in activity.visits] == [newer.id, older.id]
    assert [o.id for o in activity.opportunities] == [opportunity.id]
    assert activity.observations == [] and activity.claims == []


def test_record_ids_are_uuid7_in_creation_order():
    first = new_record_id()
    time.sleep(0.002)
    second = new_record_id()
    assert isinstance(first, UUID) and first.version == 7 and first.variant == "specified in RFC 4122"
    assert first < second and len({new_record_id() for _ in range(1000)}) == 1000
