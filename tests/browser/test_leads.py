"""A lead noted on the tablet, marked contacted and converted into an opportunity for one of
the seller's customers, which then shows in the Opportunities list (real app, Chromium).

Written against the English words proposed for the catalog (leads.*, lead.*); it needs those
words in locale/en before it can pass."""

from playwright.sync_api import expect

from sync_server.importer.demo import DEMO_PASSWORD
from tests.browser.helpers import leave_field, navigate, shot, sid, sign_in, type_into, wait_text
from tests.browser.quoting import pick_world
from tests.browser.test_seller_day import _customers_of


def test_a_lead_becomes_an_opportunity(page, app_url, demo_export):
    seller = sorted(_customers_of(demo_export))[0]
    world = pick_world(demo_export, seller)
    sign_in(page, app_url, seller, DEMO_PASSWORD)

    navigate(page, "Opportunities")
    wait_text(page, "opportunities-title", "Opportunities")
    page.get_by_role("button", name="Leads").click()
    wait_text(page, "leads-title", "Leads")
    wait_text(page, "lead-status-new", "New")

    sid(page, "lead-new").click()
    type_into(page, page.get_by_role("textbox", name="Who (person or company)"), "Talleres Ruiz")
    type_into(page, page.get_by_role("textbox", name="Source (campaign, who referred them)"), "Spring fair")
    type_into(page, page.get_by_role("textbox", name="Phone or e-mail"), "600 123 456")
    leave_field(page)
    sid(page, "lead-save").click()
    wait_text(page, "lead-list", "Talleres Ruiz")
    wait_text(page, "lead-status-new", "1 lead")

    page.get_by_role("button", name="Mark as contacted").click()
    wait_text(page, "lead-status-contacted", "1 lead")
    wait_text(page, "lead-list", "First contact after")
    shot(page, "leads-contacted")

    page.get_by_role("button", name="Convert to opportunity").click()
    type_into(page, page.get_by_role("textbox", name="Customer (name or code)"), world.customer)
    sid(page, f"lead-customer-{world.customer}").click()
    type_into(page, page.get_by_role("textbox", name="Title"), "Anchors for Talleres Ruiz")
    type_into(page, page.get_by_role("textbox", name="Value"), "900")
    leave_field(page)
    sid(page, "opportunity-save").click()
    wait_text(page, "lead-status-converted", "1 lead")
    expect(page.get_by_role("button", name="Convert to opportunity")).to_have_count(0, timeout=30_000)
    shot(page, "leads-converted")

    sid(page, "leads-back").click()
    wait_text(page, "opportunity-list", "Anchors for Talleres Ruiz")
    expect(sid(page, "opportunity-Anchors for Talleres Ruiz")).to_have_count(1)
