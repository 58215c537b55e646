"""The manager's morning (issue 16), in the real app with two devices: Laura opens Team visits
on yesterday's visits, comments on Ana's, decides two approvals — one approved, one rejected
with a note — and syncs; she opens the dashboard filtered to Ana and the records behind her
quotes; then Ana's tablet shows the comment, she replies, and her quotes show both decisions,
the reply reaching Laura's thread."""

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from client.app import create_web_app
from client.settings import ClientSettings
from shared.models import Visit
from shared.protocol import activity_bucket
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.repository.records import put_record
from sync_server.repository.tables import ENTITY_TABLES
from sync_server.services.transactions import write_transaction
from tests.browser.helpers import ServerThread, leave_field, navigate, open_signed_in, shot, sid, type_into, wait_text
from tests.browser.test_approvals import MANAGER, SELLER, _pending_quotes

NOTES = "Warehouse manager wants a quote for 40 boxes of nitrile gloves"


def _yesterdays_visit(office) -> Visit:
    """What Ana's tablet pushed yesterday: a visit to one of her customers, with its notes."""
    customers = ENTITY_TABLES["customer"]
    yesterday = datetime.now(UTC).replace(hour=9, minute=30, second=0, microsecond=0) - timedelta(days=1)
    with write_transaction(office.app.state.engine) as conn:
        code = conn.execute(
            sa.select(customers.c.code)
            .where(customers.c.seller_login == SELLER)
            .order_by(customers.c.code.desc())
            .limit(1)
        ).scalar_one()
        visit = Visit(
            id=uuid.uuid4(),
            customer_code=code,
            seller_login=SELLER,
            checked_in_at=yesterday,
            checked_out_at=yesterday + timedelta(minutes=40),
            purpose="Quarterly review",
            notes=NOTES,
            outcome="follow_up",
            next_step="Send the quote by Friday",
        )
        put_record(conn, visit, activity_bucket(SELLER))
    return visit


def _sync(page: Page) -> None:
    navigate(page, "Sync")
    sid(page, "outbox-sync").click()
    wait_text(page, "pending-list", "Everything has been sent.", timeout=60_000)


def dashboard_step(laura: Page, numbers: list[str]) -> None:
    """The dashboard filtered to Ana, and a drill-down from her quotes to the records behind
    the number: the two quotes Laura has just decided are among them."""
    navigate(laura, "Figures")
    wait_text(laura, "dash-title", "Pre-invoice metrics")
    wait_text(laura, "dash-as-of", "As of", timeout=60_000)
    sid(laura, "dash-seller").click()
    sid(laura, f"dash-seller-{SELLER}").click()
    wait_text(laura, "dash-tile-quotes", "As of")
    sid(laura, "dash-tile-quotes").click()
    for number in numbers:
        wait_text(laura, "dash-drill", number)
    shot(laura, "morning-dashboard-drill-down")
    laura.get_by_role("button", name="Close").click()
    expect(sid(laura, "dash-drill")).to_have_count(0)


def test_the_managers_morning(office, office_tablet, browser, tmp_path):
    laura = office_tablet
    visit = _yesterdays_visit(office)
    first, second = _pending_quotes(office, 2)

    # 1. Yesterday's team visits.
    open_signed_in(laura, laura.app_url, MANAGER, DEMO_PASSWORD)
    wait_text(laura, "today-approvals", "2 approvals wait for you")
    shot(laura, "morning-today")
    navigate(laura, "Team")
    wait_text(laura, "feed-title", "Team visits")
    type_into(laura, laura.get_by_role("textbox", name="Words in the notes"), "nitrile")
    leave_field(laura)
    sid(laura, "feed-apply").click()
    wait_text(laura, "feed-count", "1 visit")
    wait_text(laura, f"feed-visit-{visit.customer_code}", "nitrile gloves")
    shot(laura, "morning-team-visits")

    # 2. A comment on Ana's visit.
    sid(laura, f"feed-visit-{visit.customer_code}").click()
    wait_text(laura, "team-visit-notes", NOTES)
    type_into(laura, laura.get_by_role("textbox", name="Comment for the seller"), "Offer the box of 100, 8% off")
    leave_field(laura)
    sid(laura, "thread-send").click()
    wait_text(laura, "team-visit-thread", "waiting to be sent")

    # 3. Two approvals: one approved, one rejected with a note.
    navigate(laura, "Approvals")
    wait_text(laura, f"approvals-request-{second.number}", "Pedido grande")
    sid(laura, f"approvals-approve-{first.number}").click()
    sid(laura, "approvals-confirm").click()
    wait_text(laura, "approvals-decided", first.number)
    sid(laura, f"approvals-reject-{second.number}").click()
    type_into(
        laura, laura.get_by_role("textbox", name="Note for the seller (required to reject)"), "Margen demasiado bajo"
    )
    sid(laura, "approvals-confirm").click()
    wait_text(laura, "approvals-waiting", "Nothing waits for your decision")
    shot(laura, "morning-approvals-decided")
    _sync(laura)

    # 4. The dashboard, filtered to Ana, and the records behind her quotes.
    dashboard_step(laura, [first.number, second.number])

    # 5. Ana's tablet: the comment, her reply, both decisions.
    settings = ClientSettings(server_url=office.url, data_dir=tmp_path / "ana", sync_interval_minutes=60)
    with ServerThread(create_web_app(settings)) as app:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        ana = context.new_page()
        try:
            open_signed_in(ana, app.url, SELLER, DEMO_PASSWORD, settings)
            wait_text(ana, "alert-comment", "Offer the box of 100", timeout=60_000)
            shot(ana, "morning-seller-today")
            sid(ana, "alert-comment").click()
            wait_text(ana, "visit-comments", "Offer the box of 100, 8% off")
            type_into(ana, ana.get_by_role("textbox", name="Reply or add to the visit"), "Sent it this morning")
            leave_field(ana)
            sid(ana, "visit-addendum-save").click()
            wait_text(ana, "visit-comments", "Sent it this morning")
            shot(ana, "morning-seller-reply")
            _sync(ana)

            navigate(ana, "Quotes")
            sid(ana, "quote-group-all").click()  # a rejected quote is no longer open
            wait_text(ana, "quote-list", first.number)
            assert "Approved" in sid(ana, f"quote-row-{first.number}").inner_text()
            sid(ana, f"quote-row-{second.number}").click()
            wait_text(ana, "quote-status", "Rejected")
            wait_text(ana, "quote-answer", "Margen demasiado bajo")
            shot(ana, "morning-seller-decisions")
        finally:
            context.close()

    # Laura's next sync brings the reply to the visit's thread.
    sid(laura, "sync-now").click()
    navigate(laura, "Team")
    wait_text(laura, "feed-title", "Team visits")
    sid(laura, "feed-apply").click()
    sid(laura, f"feed-visit-{visit.customer_code}").click()
    wait_text(laura, "team-visit-thread", "Sent it this morning", timeout=60_000)
    shot(laura, "morning-reply-in-thread")
