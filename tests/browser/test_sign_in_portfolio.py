"""A demo seller signs in, the first sync runs, and the portfolio shows their customers only."""

import csv
from collections import defaultdict

from playwright.sync_api import expect

from sync_server.importer.demo import DEMO_PASSWORD
from tests.browser.helpers import open_app, shot, sid, type_into, wait_text


def _portfolios(export) -> dict[str, list[str]]:
    with open(export / "portfolio.csv", encoding="utf-8") as fh:
        by_seller = defaultdict(list)
        for row in csv.DictReader(fh):
            by_seller[row["seller_login"]].append(row["customer_code"])
    return by_seller


def _sign_in(page, login: str, password: str) -> None:
    type_into(page, page.get_by_role("textbox", name="Login"), login, by_key=True)
    type_into(page, page.get_by_role("textbox", name="Password"), password, by_key=True)
    page.get_by_role("button", name="Sign in").click()


def test_demo_seller_sees_own_customers_and_not_anothers(page, app_url, demo_export):
    portfolios = _portfolios(demo_export)
    seller, other = sorted(portfolios)[:2]
    own, foreign = portfolios[seller], portfolios[other]

    open_app(page, app_url)
    expect(page.get_by_role("textbox", name="Login")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(600)  # the canvas paints just after the accessibility tree
    shot(page, "01-sign-in-1280x800")

    _sign_in(page, seller, DEMO_PASSWORD)
    wait_text(page, "today-title", "Today", timeout=120_000)  # the day opens after the first sync
    wait_text(page, "sync-state", "Synced")  # the background engine's status, always visible
    sid(page, "navigation").get_by_text("Portfolio").first.click()
    wait_text(page, "customer-count", f"of {len(own):,} customers")
    shot(page, "02-portfolio-1280x800")

    type_into(page, page.get_by_role("textbox", name="Search customers"), own[0])
    wait_text(page, "customer-count", "Showing 1 of 1 customer")
    expect(sid(page, f"customer-{own[0]}")).to_be_visible()
    shot(page, "03-search-own-1280x800")

    type_into(page, page.get_by_role("textbox", name="Search customers"), foreign[0])
    wait_text(page, "customer-count", "No customers match.")
    expect(sid(page, f"customer-{foreign[0]}")).to_have_count(0)
    assert page.blocked == [] or all("rive" in url for url in page.blocked), page.blocked


def test_wrong_password_is_said_in_words(page, app_url, demo_export):
    seller = sorted(_portfolios(demo_export))[0]
    open_app(page, app_url)
    expect(page.get_by_role("textbox", name="Login")).to_be_visible(timeout=30_000)
    _sign_in(page, seller, "not-the-password")
    wait_text(page, "sign-in-error", "Wrong login or password.")
    shot(page, "04-wrong-password-1280x800")
