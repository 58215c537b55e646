"""sync_issues: rejections and conflicts kept for the seller; resolve keeps rows, discard undoes."""

from client.store import (
    apply_pull_page,
    count_open_issues,
    discard_issue,
    list_issues,
    pending_mutations,
    record,
    record_conflict,
    record_rejection,
    remove_acknowledged,
    resolve_issue,
)
from shared.protocol import MutationName, MutationResult
from tests.client.factories import ACTIVITY, make_opportunity, make_visit, page, put, table_rows


def _push_result(store, result: MutationResult, conflict: bool = False):
    """What the pusher does with one answer: record it and drop the mutation, in one transaction."""
    with store.write() as db:
        [mutation] = [m for m in pending_mutations(db) if m.id == result.id]
        (record_conflict if conflict else record_rejection)(db, mutation, result)
        remove_acknowledged(db, result.id)


def _rejected(mutation_id, code="out_of_scope", detail="customer C9 is not in your portfolio"):
    return MutationResult(id=mutation_id, status="rejected", code=code, detail=detail)


def test_a_rejection_keeps_what_the_seller_recorded(store):
    visit = make_visit("C9")
    mutation_id = record(store, MutationName.RECORD_VISIT, {"visit": visit.to_data()})
    _push_result(store, _rejected(mutation_id))
    with store.read() as db:
        [issue] = list_issues(db)
        assert count_open_issues(db) == 1
    assert (issue.kind, issue.code, issue.name, issue.mutation_id) == (
        "rejected",
        "out_of_scope",
        "record_visit",
        mutation_id,
    )
    assert (issue.entity, issue.entity_id) == ("visit", str(visit.id))
    assert issue.args == {"visit": visit.to_data()} and issue.at.tzinfo is not None
    assert len(table_rows(store, "visits")) == 1  # still shown until the seller decides


def test_the_same_result_twice_is_one_issue(store):
    mutation_id = record(store, MutationName.RECORD_VISIT, {"visit": make_visit("C9").to_data()})
    with store.write() as db:
        [mutation] = pending_mutations(db)
        record_rejection(db, mutation, _rejected(mutation_id))
        record_rejection(db, mutation, _rejected(mutation_id))  # a re-push after a lost answer
        assert count_open_issues(db) == 1


def test_resolving_keeps_the_rows_and_closes_the_issue(store):
    mutation_id = record(store, MutationName.RECORD_VISIT, {"visit": make_visit("C9").to_data()})
    _push_result(store, _rejected(mutation_id))
    with store.write() as db:
        [issue] = list_issues(db)
        assert resolve_issue(db, issue.id) is True
        assert resolve_issue(db, issue.id) is False
        assert count_open_issues(db) == 0
        [kept] = list_issues(db, include_resolved=True)
    assert kept.resolved_at is not None and not kept.is_open
    assert len(table_rows(store, "visits")) == 1


def test_discarding_a_rejected_record_the_server_never_had_removes_it(store):
    rejected, other = make_visit("C9"), make_visit("C1")
    first = record(store, MutationName.RECORD_VISIT, {"visit": rejected.to_data()})
    record(store, MutationName.RECORD_VISIT, {"visit": other.to_data()})
    _push_result(store, _rejected(first))
    with store.write() as db:
        [issue] = list_issues(db)
        assert discard_issue(db, issue.id) is True
        assert list_issues(db, include_resolved=True) == []
    assert [r["id"] for r in table_rows(store, "visits")] == [str(other.id)]


def test_discarding_a_rejected_edit_restores_the_fields_it_changed(store):
    server = make_opportunity(version=2)
    apply_pull_page(store, page([put(server, 1, version=2, bucket=ACTIVITY)]))
    lost = server.model_copy(update={"stage": "lost", "title": "Otra cosa"})
    mutation_id = record(
        store,
        MutationName.SAVE_OPPORTUNITY,
        {"opportunity": lost.to_data(), "base_version": 2, "base": {"stage": "qualified", "title": server.title}},
    )
    _push_result(store, _rejected(mutation_id, "validation_failed", "a lost opportunity needs a lost reason"))
    with store.write() as db:
        discard_issue(db, list_issues(db)[0].id)
    [row] = table_rows(store, "opportunities")
    assert (row["stage"], row["title"], row["_version"]) == ("qualified", server.title, 2)


def test_discarding_a_rejection_keeps_a_later_pending_edit_of_the_same_row(store):
    visit = make_visit("C1")
    first = record(store, MutationName.RECORD_VISIT, {"visit": visit.to_data()})
    record(store, MutationName.RECORD_VISIT, {"visit": visit.model_copy(update={"notes": "second try"}).to_data()})
    _push_result(store, _rejected(first))
    with store.write() as db:
        discard_issue(db, list_issues(db)[0].id)
    [row] = table_rows(store, "visits")
    assert row["notes"] == "second try"


def test_a_conflict_names_the_fields_where_the_server_won(store):
    opportunity = make_opportunity()
    mutation_id = record(
        store,
        MutationName.SAVE_OPPORTUNITY,
        {"opportunity": opportunity.to_data(), "base_version": 1, "base": {"value": "10000.00"}},
    )
    _push_result(
        store,
        MutationResult(
            id=mutation_id, status="applied", conflicts=["value"], detail="someone else changed value first"
        ),
        conflict=True,
    )
    with store.write() as db:
        [issue] = list_issues(db)
        assert (issue.kind, issue.fields, issue.entity, issue.entity_id) == (
            "conflict",
            ("value",),
            "opportunity",
            str(opportunity.id),
        )
        assert issue.detail == "someone else changed value first"
        assert discard_issue(db, issue.id) is True  # nothing to undo: the edit was applied
    assert len(table_rows(store, "opportunities")) == 1


def test_one_records_refused_changes_count_once(store):
    """A visit recorded and saved again offline, both refused, is one thing to look at."""
    visit = make_visit("C9")
    first = record(store, MutationName.RECORD_VISIT, {"visit": visit.to_data()})
    again = record(store, MutationName.RECORD_VISIT, {"visit": {**visit.to_data(), "notes": "later"}})
    _push_result(store, _rejected(first))
    _push_result(store, _rejected(again))
    other = record(store, MutationName.RECORD_VISIT, {"visit": make_visit("C8").to_data()})
    _push_result(store, _rejected(other))
    with store.read() as db:
        assert len(list_issues(db)) == 3
        assert count_open_issues(db) == 2
