"""After the visit: a claim about a product noted on it (the notes typed before it stay in the
form), an addendum once checked out, and the claim still open shown at the next visit, where
the seller resolves it (real app, Chromium)."""

from playwright.sync_api import expect

from sync_server.importer.demo import DEMO_PASSWORD
from tests.browser.helpers import (
    leave_field,
    open_customer,
    open_signed_in,
    shot,
    sid,
    type_into,
    wait_text,
)
from tests.browser.quoting import pick_world
from tests.browser.test_seller_day import _customers_of


def test_a_claim_and_an_addendum_outlive_the_visit(page, app_url, demo_export):
    seller = sorted(_customers_of(demo_export))[0]
    world = pick_world(demo_export, seller)
    open_signed_in(page, app_url, seller, DEMO_PASSWORD)

    open_customer(page, world.customer)
    sid(page, "check-in").click()
    wait_text(page, "visit-state", "Checked in")
    notes = page.get_by_role("textbox", name="Notes")
    type_into(page, notes, "Dock door still broken")  # typed, not saved yet
    leave_field(page)
    sid(page, "add-claim").click()
    type_into(page, page.get_by_role("textbox", name="What happened"), "Three boxes arrived crushed")
    type_into(page, page.get_by_role("textbox", name="Product code (optional)"), world.in_stock[0])
    type_into(page, page.get_by_role("textbox", name="Quantity (optional)"), "3")
    leave_field(page)
    sid(page, "claim-save").click()
    wait_text(page, "visit-claims", f"{world.in_stock[0]} × 3")
    wait_text(page, "visit-claims", "Open")
    notes.click()  # Flutter puts a field's text in the page once it has the focus
    expect(notes).to_have_value("Dock door still broken")  # the claim's save did not wipe them
    sid(page, "visit-check-out").click()
    expect(sid(page, "visit-addendum")).to_have_count(1, timeout=30_000)
    type_into(page, page.get_by_role("textbox", name="Add to the notes (the notes stay as they were)"), "Called back")
    sid(page, "visit-addendum-save").click()
    wait_text(page, "visit-comments", "Called back")
    shot(page, "followup-addendum")

    # A week later (the same day, in the test): the next visit shows the claim still open.
    open_customer(page, world.customer)
    sid(page, "check-in").click()
    wait_text(page, "earlier-claims", "Three boxes arrived crushed")
    shot(page, "followup-earlier-claim")
    page.locator('[flt-semantics-identifier^="claim-move-"]').first.click()
    type_into(page, page.get_by_role("textbox", name="How it ended (told to the customer)"), "Replaced on 12 Dec")
    sid(page, "claim-move-save").click()
    expect(sid(page, "earlier-claims")).to_have_count(0, timeout=30_000)
