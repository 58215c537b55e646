"""Fixing a refused change in its form and sending it again, against the real sync server.

The refusals are real: the office moves a customer to another seller and, past the
retention, compacts the change log, so the server no longer knows the seller ever had it,
and a visit recorded offline is refused as out of scope. Runs on both server backends (`database_url`).
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from client.services.field_work import record_observation, record_visit, save_opportunity
from client.services.opportunities import advance_opportunity
from client.services.session import Session
from client.services.sync_fixes import fix_form, fix_observation, fix_opportunity, fix_visit, refused_change
from client.services.sync_issues import list_sync_issues
from client.services.synchronization import sync_now
from client.services.visits import check_in, save_visit
from client.store import SyncIssue, record_rejection
from shared.errors import NotFound, ValidationFailed
from shared.models import Presence, VisitOutcome
from shared.protocol import Mutation, MutationResult
from sync_server.repository.compaction import compact
from sync_server.repository.database import write_transaction
from sync_server.repository.tables import ENTITY_TABLES
from tests.client.factories import make_observation, make_opportunity, make_visit, table_rows
from tests.sync_server.factories import make_customer


def _move(server: TestClient, code: str, seller: str) -> None:
    """The office moves a customer; a compaction past the retention then forgets it was ever
    in the old portfolio (within it, the delete that moved it still says so)."""
    with write_transaction(server.app.state.engine) as conn:
        make_customer(conn, code, seller)
        compact(conn, datetime.now(UTC) + timedelta(days=31), timedelta(days=30))


def _server_rows(server: TestClient, entity: str) -> list:
    with server.app.state.engine.connect() as conn:
        return list(conn.execute(sa.select(ENTITY_TABLES[entity])))


def _device(session: Session) -> tuple:
    """Everything a fix may touch on the device: field rows, the outbox, the issues."""
    with session.store.read() as db:
        outbox = db.execute("SELECT mutation_id, name, args FROM outbox ORDER BY mutation_id").fetchall()
    return (
        table_rows(session.store, "visits"),
        table_rows(session.store, "opportunities"),
        outbox,
        list_sync_issues(session, include_resolved=True),
    )


def test_a_visit_refused_after_a_reassignment_is_fixed_and_accepted_once(server, ana):
    visit = check_in(ana, "C1")
    save_visit(ana, visit.id, purpose="Stock review", notes="Wants samples", outcome=VisitOutcome.PENDING, next_step="")
    _move(server, "C1", "bruno.diaz")
    result = sync_now(ana)
    assert (result.pushed.acknowledged, result.pushed.rejected) == (2, 2)
    first, second = list_sync_issues(ana)
    assert {first.code, second.code} == {"out_of_scope"}

    change = refused_change(ana, first.id)  # the oldest opens what the seller saw last
    assert (change.form, change.issue_id, change.issue_ids) == ("visit", second.id, (first.id, second.id))
    assert (change.record.purpose, change.record.notes) == ("Stock review", "Wants samples")

    _move(server, "C1", "ana.garcia")  # the office moves the customer back to Ana
    fixed = fix_visit(
        ana,
        first.id,
        purpose="Stock review",
        notes="Wants PPE samples by Friday",
        outcome=VisitOutcome.FOLLOW_UP,
        next_step="Send samples",
    )
    assert fixed.id == visit.id and fixed.checked_in_at == visit.checked_in_at
    assert list_sync_issues(ana) == []
    assert all(i.resolved_at is not None for i in list_sync_issues(ana, include_resolved=True))

    again = sync_now(ana)
    assert (again.pushed.acknowledged, again.pushed.rejected) == (1, 0)
    [stored] = _server_rows(server, "visit")
    assert (str(stored.id), stored.notes, stored.outcome, stored.next_step) == (
        str(visit.id),
        "Wants PPE samples by Friday",
        "follow_up",
        "Send samples",
    )
    [local] = table_rows(ana.store, "visits")
    assert (local["notes"], local["_version"]) == ("Wants PPE samples by Friday", 1)
    assert list_sync_issues(ana) == []


def test_a_fix_that_fails_validation_changes_nothing_and_names_the_field(server, ana):
    record_visit(ana, make_visit("C2"))  # Bruno's customer: refused as out of scope
    sync_now(ana)
    [issue] = list_sync_issues(ana)
    before = _device(ana)

    with pytest.raises(ValidationFailed) as refused:
        fix_visit(ana, issue.id, purpose="x" * 201, notes="Fixed notes", outcome=VisitOutcome.PENDING, next_step="")
    assert refused.value.extra["field"] == "purpose" and "purpose" in refused.value.detail
    assert _device(ana) == before
    assert list_sync_issues(ana) == [issue]


def test_an_opportunity_refused_at_creation_is_sent_again_as_a_creation(server, ana):
    created = save_opportunity(ana, make_opportunity("C2", title="Bolts"))
    sync_now(ana)
    [issue] = list_sync_issues(ana)
    assert refused_change(ana, issue.id).record.title == "Bolts"

    with pytest.raises(ValidationFailed) as refused:
        fix_opportunity(
            ana,
            issue.id,
            title="Bolts 2027",
            value=Decimal("900"),
            probability_percent=Decimal(150),
            expected_close=None,
        )
    assert refused.value.extra["field"] == "probability_percent"

    _move(server, "C2", "ana.garcia")
    fix_opportunity(
        ana,
        issue.id,
        title="Bolts 2027",
        value=Decimal("900.00"),
        probability_percent=Decimal(30),
        expected_close=date(2027, 3, 31),
    )
    with ana.store.read() as db:
        [(args,)] = db.execute("SELECT args FROM outbox").fetchall()
    assert '"base_version":null' in args
    assert sync_now(ana).pushed.rejected == 0
    [stored] = _server_rows(server, "opportunity")
    assert (str(stored.id), stored.title, stored.value, stored.version) == (
        str(created.id),
        "Bolts 2027",
        Decimal("900.00"),
        1,
    )


def test_a_refused_opportunity_edit_is_fixed_and_merged_as_an_edit(server, ana):
    created = save_opportunity(ana, make_opportunity("C1", stage="lead", value="1000.00"))
    sync_now(ana)
    _move(server, "C1", "bruno.diaz")
    advance_opportunity(ana, created.id)  # lead → qualified, refused
    sync_now(ana)
    [issue] = list_sync_issues(ana)
    assert issue.code == "out_of_scope"

    _move(server, "C1", "ana.garcia")
    fix_opportunity(
        ana,
        issue.id,
        title=created.title,
        value=Decimal("1500.00"),
        probability_percent=Decimal(40),
        expected_close=None,
    )
    assert sync_now(ana).pushed.rejected == 0 and list_sync_issues(ana) == []
    [stored] = _server_rows(server, "opportunity")
    assert (stored.stage, stored.value, stored.version) == ("qualified", Decimal("1500.00"), 2)


def test_a_refused_observation_is_fixed_keeping_its_photos(server, ana):
    observation = record_observation(ana, make_observation("C2", photo_sha256=()))
    sync_now(ana)
    [issue] = list_sync_issues(ana)
    _move(server, "C2", "ana.garcia")
    with pytest.raises(ValidationFailed) as refused:
        fix_observation(
            ana,
            issue.id,
            competitor=" ",
            sku=None,
            category_code=None,
            observed_price=None,
            currency=None,
            presence=Presence.HIGH,
            notes="",
        )
    assert refused.value.extra["field"] == "competitor"
    fix_observation(
        ana,
        issue.id,
        competitor="Würth Iberia",
        sku="P1",
        category_code=None,
        observed_price=Decimal("1.25"),
        currency=None,
        presence=Presence.HIGH,
        notes="End cap",
    )
    assert sync_now(ana).pushed.rejected == 0
    [stored] = _server_rows(server, "competitor_observation")
    assert (str(stored.id), stored.competitor, stored.observed_price, stored.currency) == (
        str(observation.id),
        "Würth Iberia",
        Decimal("1.2500"),
        "EUR",
    )


def test_a_fixed_issue_cannot_be_fixed_twice(server, ana):
    record_visit(ana, make_visit("C2"))
    sync_now(ana)
    [issue] = list_sync_issues(ana)
    fix_visit(ana, issue.id, purpose="", notes="", outcome=VisitOutcome.PENDING, next_step="")
    with pytest.raises(NotFound):
        fix_visit(ana, issue.id, purpose="", notes="", outcome=VisitOutcome.PENDING, next_step="")


def _issue(name: str, kind: str = "rejected", resolved: bool = False) -> SyncIssue:
    return SyncIssue(
        id=1,
        kind=kind,
        at=datetime.now(UTC),
        detail="",
        mutation_id=1,
        name=name,
        args={},
        code="out_of_scope",
        entity="x",
        entity_id=str(uuid4()),
        fields=(),
        resolved_at=datetime.now(UTC) if resolved else None,
    )


@pytest.mark.parametrize(
    ("issue", "form"),
    [
        (_issue("record_visit"), "visit"),
        (_issue("record_observation"), "observation"),
        (_issue("save_opportunity"), "opportunity"),
        (_issue("save_quote"), "quote"),
        (_issue("request_approval"), "quote"),
        (_issue("send_quote"), "quote"),
        (_issue("mark_quote"), "quote"),
        (_issue("record_claim"), None),
        (_issue("record_lost_sale"), None),
        (_issue("save_opportunity", kind="conflict"), None),
        (_issue("record_visit", resolved=True), None),
    ],
)
def test_which_form_fixes_a_refusal(issue, form):
    assert fix_form(issue) == form


def test_a_refused_quote_is_fixed_in_the_builder(seller_session):
    session, quote_id = seller_session, uuid4()
    with session.store.write() as db:
        record_rejection(
            db,
            Mutation(id=7, name="send_quote", args={"quote_id": str(quote_id)}),
            MutationResult(id=7, status="rejected", code="approval_required", detail="needs approval"),
        )
    [issue] = list_sync_issues(session)
    change = refused_change(session, issue.id)
    assert (change.form, change.quote_id, change.record) == ("quote", quote_id, None)
    with pytest.raises(ValidationFailed):
        fix_visit(session, issue.id, purpose="", notes="", outcome=VisitOutcome.PENDING, next_step="")
