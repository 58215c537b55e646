"""A lead noted on the tablet, marked contacted and converted into an opportunity for one of
the seller's customers, which then shows in the Opportunities list; and one converted for a
prospect made on the tablet, quoted on prepaid terms (real app, Chromium).

Written against the English words proposed for the catalog (leads.*, lead.*); it needs those
words in locale/en before it can pass."""

from playwright.sync_api import expect

from sync_server.importer.demo import DEMO_PASSWORD
from tests.browser.helpers import (
    leave_field,
    navigate,
    open_signed_in,
    search_customer,
    shot,
    sid,
    tap_until,
    turn,
    type_into,
    wait_text,
)
from tests.browser.quoting import add_product, pick_world
from tests.browser.test_seller_day import _customers_of


def test_a_lead_becomes_an_opportunity(page, app_url, demo_export):
    seller = sorted(_customers_of(demo_export))[0]
    world = pick_world(demo_export, seller)
    open_signed_in(page, app_url, seller, DEMO_PASSWORD)

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
    wait_text(page, "lead-list", "First contact within the hour")  # contacted at once
    shot(page, "leads-contacted")
    _fits_a_phone(page, "lead-Talleres Ruiz", "leads-contacted-phone")

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
    _fits_a_phone(page, "opportunity-Anchors for Talleres Ruiz", "opportunity-card-phone")


def _fits_a_phone(page, identifier: str, name: str) -> None:
    """On a phone, the card `identifier` reads across the screen: its buttons go under its
    words (beside them, they once squeezed the words to a letter a line). So does the sync
    state on top, with "to send" beside it (the user's name gives it its room)."""
    turn(page, 390, 844)
    sid(page, identifier).wait_for()
    page.wait_for_function(
        """(id) => {
            const box = document.querySelector(`[flt-semantics-identifier="${id}"]`).getBoundingClientRect();
            const state = document.querySelector('[flt-semantics-identifier="sync-state"]').getBoundingClientRect();
            return box.width > 300 && box.height < 260 && state.height < 60;
        }""",
        arg=identifier,
        polling=100,
        timeout=10_000,
    )
    shot(page, name)
    turn(page, 1280, 800)


def _page_says(page, needle: str, timeout: int = 30_000) -> None:
    # The quote's terms line has no tag of its own: any text or label on the page will do.
    page.wait_for_function(
        """(needle) => [document.body.textContent,
            ...[...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))]
            .join(' ').includes(needle)""",
        arg=needle,
        polling=100,
        timeout=timeout,
    )


def test_a_lead_becomes_a_prospect_with_an_opportunity_and_a_prepaid_quote(page, app_url, demo_export):
    seller = sorted(_customers_of(demo_export))[1]
    world = pick_world(demo_export, seller)
    open_signed_in(page, app_url, seller, DEMO_PASSWORD)

    navigate(page, "Opportunities")
    page.get_by_role("button", name="Leads").click()
    wait_text(page, "leads-title", "Leads")
    sid(page, "lead-new").click()
    type_into(page, page.get_by_role("textbox", name="Who (person or company)"), "Talleres Braga")
    type_into(page, page.get_by_role("textbox", name="City"), "Braga")
    leave_field(page)
    sid(page, "lead-save").click()
    wait_text(page, "lead-list", "Talleres Braga")
    page.get_by_role("button", name="Mark as contacted").click()
    wait_text(page, "lead-status-contacted", "1 lead")

    # Not a customer of the ERP: a prospect, made here, offline if need be.
    page.get_by_role("button", name="Convert to opportunity").click()
    sid(page, "lead-convert-prospect").click()
    expect(page.get_by_role("textbox", name="Company name")).to_have_value("Talleres Braga", timeout=30_000)
    type_into(page, page.get_by_role("textbox", name="E-mail"), "compras@braga.example")
    type_into(page, page.get_by_role("textbox", name="Phone"), "+351 253 000 000")
    leave_field(page)
    shot(page, "prospect-form")  # at phone size below: a resize under an open dialog redraws it twice
    sid(page, "prospect-save").click()
    expect(sid(page, "prospect-save")).to_have_count(0, timeout=30_000)
    expect(sid(page, "opportunity-save")).to_have_count(1, timeout=30_000)
    type_into(page, page.get_by_role("textbox", name="Title"), "Workshop tools for Braga")
    type_into(page, page.get_by_role("textbox", name="Value"), "1500")
    leave_field(page)
    shot(page, "prospect-opportunity")
    sid(page, "opportunity-save").click()
    expect(sid(page, "opportunity-save")).to_have_count(0, timeout=30_000)
    wait_text(page, "lead-status-converted", "1 lead")

    # The prospect is in the portfolio, marked so; a quote for it is on prepaid terms.
    _quote_the_prospect(page, world.in_stock[0])
    shot(page, "prospect-quote")
    sid(page, "quote-save").click()
    wait_text(page, "quote-status", "Draft")

    # At phone size:
    # the prospect form from the portfolio, and a quote for the prospect again.
    turn(page, 390, 844)
    page.wait_for_timeout(800)
    _quote_the_prospect(page, world.in_stock[1])
    shot(page, "prospect-quote-portrait")
    navigate(page, "Portfolio")
    sid(page, "prospect-new").click()
    expect(page.get_by_role("textbox", name="Company name")).to_have_count(1, timeout=30_000)
    shot(page, "prospect-form-portrait")


def _quote_the_prospect(page, sku: str) -> None:
    """From the portfolio: find the prospect, open it, start a quote, add a product."""
    navigate(page, "Portfolio")
    wait_text(page, "customer-count", "Showing")
    search_customer(page, "Search customers", "Talleres Braga", "Showing 1 of 1 customer")
    wait_text(page, "customer-list", "Prospect")
    tap_until(page, page.locator('[flt-semantics-identifier^="customer-P-"]').first, "customer-name", "Talleres Braga")
    tap_until(page, sid(page, "new-quote"), "quote-credit")  # a tap as the page redraws is lost
    _page_says(page, "Payment in advance")  # the prepaid terms, in words
    add_product(page, sku)
    _page_says(page, "Prepayment required")
    _page_says(page, "€")
