"""Nested teams, escalation and delegation in the real app. Laura's team sits in a region whose
director is Elena; a request Ana sent 30 hours ago shows in Laura's inbox as escalated to Elena,
and in Elena's as escalated to her. Laura then delegates her approvals to Sergio, the manager of
the region's other team, from her inbox; Sergio's inbox holds Ana's other request "delegated to
you by Laura Moreno", he approves it, and the decision is recorded on Laura's behalf."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from client.app import create_web_app
from client.settings import ClientSettings
from shared.models import Role, Team, User
from shared.models.field import ApprovalDecision, ApprovalRequest
from shared.protocol import DIRECTORY_BUCKET, activity_bucket
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.repository.records import put_record
from sync_server.repository.tables import ENTITY_TABLES
from sync_server.services.auth import set_password
from sync_server.services.transactions import write_transaction
from tests.browser.helpers import ServerThread, navigate, open_signed_in, shot, sid, wait_text
from tests.browser.test_approvals import MANAGER, SELLER, _pending_quotes

DIRECTOR, OTHER_MANAGER = "elena.region", "sergio.sur"


def _region(office) -> None:
    """Laura's team and a second team, SUR (Sergio's), under the region IBERIA (Elena's)."""
    users = ENTITY_TABLES["user"]
    with write_transaction(office.app.state.engine) as conn:
        team = conn.execute(sa.select(users.c.team_code).where(users.c.login == MANAGER)).scalar_one()
        put_record(conn, Team(code="IBERIA", name="Región Iberia"), DIRECTORY_BUCKET)
        put_record(conn, Team(code=team, name=f"Equipo {team}", parent_code="IBERIA"), DIRECTORY_BUCKET)
        put_record(conn, Team(code="SUR", name="Equipo Sur", parent_code="IBERIA"), DIRECTORY_BUCKET)
        for login, name, code in ((DIRECTOR, "Elena Región", "IBERIA"), (OTHER_MANAGER, "Sergio Sur", "SUR")):
            put_record(conn, User(login=login, name=name, role=Role.MANAGER, team_code=code), DIRECTORY_BUCKET)
            set_password(conn, login, DEMO_PASSWORD)


def _asked_hours_ago(office, request_id, hours: int) -> None:
    table = ENTITY_TABLES[ApprovalRequest.ENTITY]
    with write_transaction(office.app.state.engine) as conn:
        row = conn.execute(sa.select(table).where(table.c.id == str(request_id))).one()
        request = ApprovalRequest.model_validate(dict(row._mapping))
        older = request.model_copy(update={"requested_at": datetime.now(UTC) - timedelta(hours=hours)})
        put_record(conn, older, activity_bucket(SELLER))


def _request_of(office, quote_id) -> str:
    table = ENTITY_TABLES[ApprovalRequest.ENTITY]
    with office.app.state.engine.connect() as conn:
        return conn.execute(sa.select(table.c.id).where(table.c.quote_id == str(quote_id))).scalar_one()


def _open_as(browser, office, tmp_path, login: str):
    """Another device of the office, signed in as `login`."""
    settings = ClientSettings(server_url=office.url, data_dir=tmp_path / login, sync_interval_minutes=60)
    server = ServerThread(create_web_app(settings))
    server.__enter__()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    open_signed_in(page, server.url, login, DEMO_PASSWORD, settings)
    return page, context, server


def _sync(page: Page) -> None:
    navigate(page, "Sync")
    sid(page, "outbox-sync").click()
    wait_text(page, "pending-list", "Everything has been sent.", timeout=60_000)


def test_escalated_to_the_director_and_delegated_to_a_peer(office, office_tablet, browser, tmp_path):
    _region(office)
    first, second = _pending_quotes(office, 2)
    _asked_hours_ago(office, _request_of(office, first.id), 30)

    laura = office_tablet
    open_signed_in(laura, laura.app_url, MANAGER, DEMO_PASSWORD)
    navigate(laura, "Approvals")
    wait_text(laura, f"approvals-escalated-{first.number}", "Escalated to Elena Región: pending 30 hours")
    expect(sid(laura, f"approvals-escalated-{second.number}")).to_have_count(0)
    shot(laura, "approvals-escalated-up")

    sid(laura, "approvals-delegate").click()
    wait_text(laura, "delegation-dialog", "No delegations now or planned.")
    sid(laura, "delegation-save").click()  # nobody chosen yet: said in the dialog
    wait_text(laura, "delegation-dialog", "Choose a manager and both days.")
    laura.get_by_role("radio", name="Sergio Sur").click()
    shot(laura, "approvals-delegate-dialog")
    sid(laura, "delegation-save").click()
    expect(laura.get_by_text("Sergio Sur decides your approvals until", exact=False)).to_have_count(1, timeout=30_000)

    elena, elena_context, elena_app = _open_as(browser, office, tmp_path, DIRECTOR)
    try:
        wait_text(elena, "today-approvals", "2 approvals wait for you")  # her first sync is done
        navigate(elena, "Approvals")
        wait_text(elena, f"approvals-escalated-{first.number}", "Escalated to you: pending 30 hours")
        wait_text(elena, "approvals-waiting", second.number)  # her region's other request, not escalated
        wait_text(elena, "approvals-title", "Approvals")
        shot(elena, "approvals-escalated-to-director")
    finally:
        elena_context.close()
        elena_app.__exit__(None, None, None)

    sergio, sergio_context, sergio_app = _open_as(browser, office, tmp_path, OTHER_MANAGER)
    try:
        wait_text(sergio, "today-approvals", "2 approvals wait for you")  # Laura's, delegated to him
        navigate(sergio, "Approvals")
        wait_text(sergio, f"approvals-on-behalf-{second.number}", "Delegated to you by Laura Moreno")
        shot(sergio, "approvals-delegated-to-peer")
        sid(sergio, f"approvals-approve-{second.number}").click()
        sid(sergio, "approvals-confirm").click()
        wait_text(sergio, "approvals-decided", second.number)
        _sync(sergio)
    finally:
        sergio_context.close()
        sergio_app.__exit__(None, None, None)

    table = ENTITY_TABLES[ApprovalDecision.ENTITY]
    with office.app.state.engine.connect() as conn:
        decided = conn.execute(sa.select(table.c.decided_by, table.c.on_behalf_of, table.c.decision)).all()
    assert [tuple(d) for d in decided] == [(OTHER_MANAGER, MANAGER, "approved")]
