"""The seller's screens on a phone (390×844, portrait): the real app in headless Chromium.

One sign-in, then Today, the quotes list, the opportunities, the leads, a customer's page
(suggestions, lost sales, timeline), a new quote with a line in stock and its delivery day,
and the paste-a-request dialog opened and closed. Each screen shows its key content and the
bottom navigation bar at phone width; the screenshots are the docs' `*-phone.png`.
"""

import pytest
from playwright.sync_api import Page, expect

from sync_server.importer.demo import DEMO_PASSWORD
from tests.browser.helpers import navigate, open_customer, shot, sid, sign_in, tap_until, wait_text
from tests.browser.quoting import add_product, pick_world
from tests.browser.test_seller_day import _customers_of

SELLER_TABS = ("Today", "Portfolio", "Quotes", "Pipeline", "More")
"""On a phone the bar holds four destinations and "More" (Sync, Settings); "Opportunities"
is "Pipeline" there, a word that fits a fifth of 390 px on one line."""


def _bottom_bar(page: Page) -> None:
    """Portrait: the seller's first destinations are tabs of the bottom bar (the rail has none)."""
    for name in SELLER_TABS:
        expect(page.get_by_role("tab", name=name, exact=True)).to_have_count(1, timeout=15_000)
    page.mouse.move(200, 300)  # off the tab just tapped: its tooltip would sit in the screenshot


@pytest.mark.parametrize("page", [(390, 844)], indirect=True)
def test_the_sellers_screens_fit_a_phone(page, app_url, demo_export):
    seller = sorted(_customers_of(demo_export))[0]
    world = pick_world(demo_export, seller)
    sign_in(page, app_url, seller, DEMO_PASSWORD)
    _bottom_bar(page)
    shot(page, "today-phone")

    navigate(page, "Quotes")
    wait_text(page, "quotes-title", "Quotes")
    wait_text(page, "quotes-count", "")
    expect(sid(page, "quotes-search")).to_have_count(1)
    _bottom_bar(page)
    shot(page, "quotes-list-phone")

    navigate(page, "Pipeline")
    wait_text(page, "opportunities-title", "Opportunities")
    wait_text(page, "pipeline-totals", "Open")
    _bottom_bar(page)
    shot(page, "opportunities-phone")

    page.get_by_role("button", name="Leads").click()
    wait_text(page, "leads-title", "Leads")
    wait_text(page, "lead-status-new", "New")
    _bottom_bar(page)
    shot(page, "leads-phone")

    open_customer(page, world.customer)
    wait_text(page, "credit-panel", "Available")
    wait_text(page, "suggestions", "Suggestions")
    wait_text(page, "lost-for-stock", "Lost for lack of stock")
    wait_text(page, "timeline", "")  # claims, visits and quotes are on her timeline
    _bottom_bar(page)
    # Down to her suggestions and lost sales (a wheel turn: Flutter scrolls its own canvas).
    page.mouse.wheel(0, 650)
    page.wait_for_function(
        """() => {
            const box = document.querySelector('[flt-semantics-identifier="suggestions"]').getBoundingClientRect();
            return box.top >= 0 && box.top < 400;
        }""",
        polling=100,
        timeout=10_000,
    )
    shot(page, "customer-360-phone")

    tap_until(page, sid(page, "new-quote"), "quote-credit", "Credit OK")
    add_product(page, world.in_stock[0])
    wait_text(page, "delivery-0", "Delivery by")
    sid(page, "delivery-0").scroll_into_view_if_needed()
    expect(sid(page, "wanted-0")).to_have_count(1)
    _bottom_bar(page)
    shot(page, "quote-dates-phone")

    sid(page, "quote-paste").click()
    wait_text(page, "paste-match", "Match")
    expect(page.get_by_role("textbox", name="Customer's message")).to_have_count(1)
    shot(page, "quote-paste-phone")
    page.get_by_role("button", name="Cancel").click()
    expect(sid(page, "paste-text")).to_have_count(0, timeout=15_000)
    wait_text(page, "quote-lines", world.in_stock[0])  # the draft is still there
