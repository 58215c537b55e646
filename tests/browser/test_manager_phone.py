"""A manager who also sells, on a phone (390×844): eight destinations do not fit a bottom bar,
so the bar holds the first four and "More", which lists the rest; each opens from there."""

import sqlalchemy as sa
from playwright.sync_api import expect

from shared.models import Customer
from shared.protocol import portfolio_bucket
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.repository.records import put_record
from sync_server.repository.tables import ENTITY_TABLES
from sync_server.services.transactions import write_transaction
from tests.browser.helpers import navigate, open_signed_in, shot, sid, turn, wait_text

MANAGER, SELLER = "laura.moreno", "ana.garcia"
BAR = ("Today", "Approvals", "Team", "Figures", "More")


def give_a_customer(office, manager: str, seller: str) -> str:
    """Move one of the seller's customers to the manager's own portfolio: she sells too."""
    table = ENTITY_TABLES["customer"]
    with write_transaction(office.app.state.engine) as conn:
        row = conn.execute(sa.select(table).where(table.c.seller_login == seller).order_by(table.c.code).limit(1)).one()
        customer = Customer.model_validate({**row._mapping, "seller_login": manager})
        put_record(conn, customer, portfolio_bucket(manager))
    return customer.code


def test_a_selling_managers_phone_bar_holds_four_and_more(office, office_tablet):
    laura = office_tablet
    give_a_customer(office, MANAGER, SELLER)
    open_signed_in(laura, laura.app_url, MANAGER, DEMO_PASSWORD)
    sid(laura, "navigation").get_by_text("Opportunities").first.wait_for()  # she sells: the rail has all nine
    turn(laura, 390, 844)
    for name in BAR:
        expect(laura.get_by_role("tab", name=name, exact=True)).to_have_count(1, timeout=15_000)
    expect(laura.get_by_role("tab")).to_have_count(len(BAR))
    laura.mouse.move(200, 300)
    shot(laura, "manager-phone-bar")

    laura.get_by_role("tab", name="More", exact=True).click()
    for name in ("Portfolio", "Quotes", "Opportunities", "Sync", "Settings"):
        expect(sid(laura, "more-sheet").get_by_text(name, exact=True)).to_have_count(1, timeout=15_000)
    shot(laura, "manager-phone-more")
    sid(laura, "more-sheet").get_by_text("Opportunities", exact=True).click()
    wait_text(laura, "opportunities-title", "Opportunities")
    expect(sid(laura, "more-sheet")).to_have_count(0)
    shot(laura, "manager-phone-opportunities")

    navigate(laura, "Quotes")  # through "More" again
    wait_text(laura, "quotes-title", "Quotes")
    navigate(laura, "Approvals")  # and back to a tab of the bar
    wait_text(laura, "approvals-title", "Approvals")
