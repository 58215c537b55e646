"""A lost tablet, in the real app: locked by a PIN, and wiped when its administrator revokes it.

The seller signs in (the app asks her for a PIN for this tablet) and works offline: a
competitor observation with a photo waits for the network. Reopened, the app asks for the
PIN — on the web build device authentication does not exist, so the PIN is the way in. Then
an administrator revokes the device on the server. The tablet's next contact with the server
is the photo's upload (a HEAD, whose answer has no body, only the Terreno-Problem header):
the app wipes the database, the photo, the device record and the secrets, and the sign-in
screen says why.
"""

import csv
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from client.app import create_web_app
from client.settings import ClientSettings
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.repository.database import make_engine, write_transaction
from sync_server.services.auth import list_devices, revoke_device
from tests.browser.helpers import (
    ServerThread,
    leave_field,
    open_app,
    open_customer,
    shot,
    sid,
    tap_until,
    type_into,
    wait_text,
)

PHOTO = Path(__file__).resolve().parents[2] / "assets" / "icon.png"
PIN = "285714"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def locked_tablet(browser, office, tmp_path):
    """The app as it runs for real: app lock on, the database encrypted where it can be."""
    settings = ClientSettings(
        server_url=office.url,
        data_dir=tmp_path / "device",
        sync_interval_minutes=60,
        app_lock=True,
        encrypt_database=True,
    )
    with ServerThread(create_web_app(settings)) as app:
        contexts = []

        def new_tab():
            """A tab of a browser session of its own: to the app, the app opened anew."""
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            contexts.append(context)
            tab = context.new_page()
            tab.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort(),
            )
            tab.app_url, tab.data_dir, tab.reopened = app.url, settings.data_dir, new_tab
            return tab

        yield new_tab()
        for context in contexts:
            context.close()


def _first_seller(export: Path) -> tuple[str, str]:
    with open(export / "portfolio.csv", encoding="utf-8") as fh:
        rows = sorted((r["seller_login"], r["customer_code"]) for r in csv.DictReader(fh))
    return rows[0]


def _revoke_devices_of(office, login: str) -> int:
    """What an administrator does for a lost tablet (`terreno-server users revoke-device`)."""
    engine = make_engine(office.settings.database_url)
    try:
        with write_transaction(engine) as conn:
            devices = [d for d in list_devices(conn) if d.login == login and d.revoked_at is None]
            for device in devices:
                revoke_device(conn, str(device.client_id), by="admin")
    finally:
        engine.dispose()
    return len(devices)


def _keep(page, name: str) -> None:
    path = shot(page, f"lost-tablet-{name}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / path.name).write_bytes(path.read_bytes())


def test_a_revoked_tablet_with_a_photo_waiting_is_wiped_and_says_why(locked_tablet, office, demo_export):
    page, data_dir = locked_tablet, locked_tablet.data_dir
    seller, customer = _first_seller(demo_export)

    open_app(page, page.app_url)
    type_into(page, page.get_by_role("textbox", name="Login"), seller)
    type_into(page, page.get_by_role("textbox", name="Password"), DEMO_PASSWORD)
    leave_field(page)
    page.get_by_role("button", name="Sign in").click()

    # First thing after the password: a PIN for this tablet (too easy a one is refused).
    wait_text(page, "lock-title", "Choose a PIN", timeout=60_000)
    type_into(page, page.get_by_role("textbox", name="New PIN (digits only)"), "123456")
    type_into(page, page.get_by_role("textbox", name="The same PIN again"), "123456")
    leave_field(page)
    sid(page, "save-pin").click()
    wait_text(page, "choose-pin-error", "too easy to guess")
    _keep(page, "01-choose-pin")
    type_into(page, page.get_by_role("textbox", name="New PIN (digits only)"), PIN)
    type_into(page, page.get_by_role("textbox", name="The same PIN again"), PIN)
    leave_field(page)
    tap_until(page, sid(page, "save-pin"), "today-title", "Today")
    expect(sid(page, "save-pin")).to_have_count(0, timeout=30_000)
    wait_text(page, "sync-state", "Synced", timeout=120_000)

    # Offline, a competitor's photo is taken on a visit: it waits on the tablet for upload.
    office.stop()
    open_customer(page, customer)
    sid(page, "check-in").click()
    wait_text(page, "visit-state", "Checked in")
    sid(page, "visit-observation").click()
    wait_text(page, "observation-title", "Competitor seen")
    type_into(page, page.get_by_role("textbox", name="Competitor"), "Würth")
    with page.expect_file_chooser() as chooser:
        sid(page, "observation-photo").click()
    chooser.value.set_files(str(PHOTO))
    wait_text(page, "observation-photo-count", "1 photo")
    sid(page, "observation-save").click()
    wait_text(page, "visit-state", "Checked in")
    kept_files = data_dir / "files" / seller
    database = data_dir / "users" / f"{seller}.db"
    assert [p.name for p in kept_files.iterdir()] != [] and database.exists()
    # The database on disk is encrypted (SQLCipher): not a SQLite file anyone can open.
    assert not database.read_bytes().startswith(b"SQLite format 3")
    secrets = json.loads((data_dir / "secrets.json").read_text())
    assert {f"token.{seller}", f"database_key.{seller}", f"pin.{seller}"} <= set(secrets)

    # The app opened again (a new browser session): locked until the PIN is given.
    page.close()
    page = page.reopened()
    open_app(page, page.app_url)
    wait_text(page, "lock-title", "Terreno is locked", timeout=60_000)
    expect(sid(page, "lock-device")).to_have_count(0)  # no device authentication on the web
    type_into(page, page.get_by_role("textbox", name="PIN"), "000000")
    leave_field(page)
    sid(page, "lock-unlock").click()
    wait_text(page, "lock-error", "Attempts left: 4")
    _keep(page, "02-locked")
    type_into(page, page.get_by_role("textbox", name="PIN"), PIN)
    leave_field(page)
    sid(page, "lock-unlock").click()
    wait_text(page, "today-title", "Today", timeout=60_000)

    # The tablet is reported lost: the administrator revokes it while the photo still waits.
    assert _revoke_devices_of(office, seller) == 1
    office.start()
    # Tapped until the wipe is said: on a slow run the app may sync by itself first (the
    # button is gone then), or a tap may land on the bar as it redraws.
    tap_until(page, sid(page, "sync-now"), "sign-in-notice", "removed by your administrator")
    _keep(page, "03-wiped")
    assert not kept_files.exists()
    assert list((data_dir / "users").glob(f"{seller}.db*")) == []
    assert not (data_dir / "device.json").exists()
    left = json.loads((data_dir / "secrets.json").read_text()) if (data_dir / "secrets.json").exists() else {}
    assert not [name for name in left if name.endswith(f".{seller}")]
    # Nothing to reopen: a reload shows the sign-in screen, with no login remembered.
    open_app(page, page.app_url)
    expect(page.get_by_role("textbox", name="Login")).to_have_value("", timeout=30_000)
