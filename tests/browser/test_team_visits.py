"""The team's visits between a seller and her manager (real app, Chromium, two tabs): the
seller's visit synced, the manager finds it in Team visits by a word of its notes and
comments; the seller finds the comment on Today, reads it on her visit and replies; the
manager finds the reply on her Today and in the visit's thread."""

import csv
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from client.app import create_web_app
from client.settings import ClientSettings
from sync_server.importer.demo import DEMO_PASSWORD
from tests.browser.helpers import (
    ServerThread,
    leave_field,
    navigate,
    open_customer,
    open_signed_in,
    shot,
    sid,
    tap_until,
    turn,
    type_into,
    wait_text,
)
from tests.browser.quoting import pick_world
from tests.browser.test_seller_day import _customers_of


def _manager_of(export: Path, seller: str) -> str:
    with open(export / "users.csv", encoding="utf-8") as fh:
        users = list(csv.DictReader(fh))
    team = next(u["team_code"] for u in users if u["login"] == seller)
    return next(u["login"] for u in users if u["team_code"] == team and u["role"] == "manager")


@pytest.fixture
def managers_app(sync_server, tmp_path):
    """The manager's own tablet: another device folder, the same server."""
    settings = ClientSettings(server_url=sync_server.url, data_dir=tmp_path / "manager")
    with ServerThread(create_web_app(settings)) as app:
        yield app.url


def _sync(page: Page) -> None:
    navigate(page, "Sync")
    sid(page, "outbox-sync").click()
    wait_text(page, "pending-list", "Everything has been sent.", timeout=60_000)


def test_a_manager_comments_on_a_team_visit_and_the_seller_replies(
    page, browser, app_url, managers_app, demo_export, sync_server, tmp_path
):
    seller = sorted(_customers_of(demo_export))[0]
    world = pick_world(demo_export, seller)
    open_signed_in(page, app_url, seller, DEMO_PASSWORD)
    open_customer(page, world.customer)
    sid(page, "check-in").click()
    wait_text(page, "visit-state", "Checked in")
    type_into(page, page.get_by_role("textbox", name="Notes"), "Asked for nitrile gloves in size M")
    leave_field(page)
    sid(page, "visit-check-out").click()
    expect(sid(page, "visit-addendum")).to_have_count(1, timeout=30_000)
    _sync(page)

    office = browser.new_context(viewport={"width": 1280, "height": 800})
    manager = office.new_page()
    try:
        device = ClientSettings(server_url=sync_server.url, data_dir=tmp_path / "manager")  # managers_app's
        open_signed_in(manager, managers_app, _manager_of(demo_export, seller), DEMO_PASSWORD, device)
        navigate(manager, "Team")
        wait_text(manager, "feed-title", "Team visits")
        type_into(manager, manager.get_by_role("textbox", name="Words in the notes"), "nitrile")
        leave_field(manager)
        sid(manager, "feed-apply").click()
        wait_text(manager, "feed-count", "1 visit")
        wait_text(manager, f"feed-visit-{world.customer}", "Asked for nitrile gloves")
        shot(manager, "team-visits")

        sid(manager, f"feed-visit-{world.customer}").click()
        wait_text(manager, "team-visit-notes", "Asked for nitrile gloves in size M")
        type_into(manager, manager.get_by_role("textbox", name="Comment for the seller"), "Offer the 4471 box of 100")
        leave_field(manager)
        sid(manager, "thread-send").click()
        wait_text(manager, "team-visit-thread", "waiting to be sent")
        _sync(manager)

        # The seller's next sync brings the comment to the Today she is looking at; on her
        # visit it is new once.
        navigate(page, "Today")
        tap_until(page, sid(page, "sync-now"), "alert-comment", "Offer the 4471 box of 100")
        shot(page, "today-comment")
        sid(page, "alert-comment").click()
        wait_text(page, "visit-comments", "Offer the 4471 box of 100")
        wait_text(page, "visit-comments", "New")
        type_into(page, page.get_by_role("textbox", name="Reply or add to the visit"), "Sent them the offer")
        leave_field(page)
        sid(page, "visit-addendum-save").click()
        wait_text(page, "visit-comments", "Sent them the offer")
        shot(page, "visit-thread")
        _sync(page)
        navigate(page, "Today")
        expect(sid(page, "alert-comment")).to_have_count(0, timeout=30_000)

        navigate(manager, "Today")
        tap_until(manager, sid(manager, "sync-now"), "alert-comment", "Sent them the offer")
        sid(manager, "alert-comment").click()
        wait_text(manager, "team-visit-thread", "Sent them the offer")
        shot(manager, "team-visit")
        turn(manager, 390, 844)
        wait_text(manager, "team-visit-thread", "Sent them the offer")
        shot(manager, "team-visit-phone")
    except Exception:
        shot(manager, "DEBUG-manager")
        print(manager.locator("flt-semantics-host").aria_snapshot())
        raise
    finally:
        office.close()
