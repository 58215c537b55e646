"""Browser fixtures: the demo data in a real sync server, the real app, headless Chromium."""

import fcntl
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from client.app import create_web_app
from client.settings import ClientSettings
from sync_server.app import create_app
from sync_server.importer.demo import generate_demo_export
from sync_server.importer.run import import_export
from sync_server.repository.database import make_engine
from sync_server.settings import ServerSettings
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, ServerThread, StoppableServer, shot
from tests.servers import migrate_database


def _built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """`build(folder)` once for the whole run: the pytest-xdist workers share one folder
    (the first to take the lock builds it, the others wait and read it). Each worker used
    to generate and import the demo data itself, about 10 CPU seconds each."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build interrupted in an earlier worker
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


def _demo_data(folder: Path) -> None:
    """The scale-1 demo export as of today (the device ages invoices and promises lots
    against its own date) and a server database with it imported."""
    generate_demo_export(folder / "export", scale=1, reference_date=datetime.now(UTC).date())
    settings = ServerSettings(data_dir=folder / "database")
    migrate_database(settings)
    engine = make_engine(settings.database_url)
    try:
        import_export(engine, folder / "export")
        with engine.connect() as conn:  # everything in the one file, nothing left in the WAL
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def demo_export(tmp_path_factory) -> Path:
    """The scale-1 demo export, generated once per test run (read only: tests copy it)."""
    return _built_once(tmp_path_factory, "demo-data", _demo_data) / "export"


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """A server database with the demo distributor imported, built once per test run: a test
    that needs a server of its own starts from a copy (an import costs a dozen seconds)."""
    return _built_once(tmp_path_factory, "demo-data", _demo_data) / "database" / "terreno.db"


def demo_server_settings(demo_database: Path, data_dir: Path) -> ServerSettings:
    """Settings of a server of its own, on a fresh copy of the demo database."""
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_database, data_dir / "terreno.db")
    return ServerSettings(data_dir=data_dir)


@pytest.fixture(scope="session")
def sync_server(tmp_path_factory, demo_database):
    """A real sync server on its embedded SQLite, loaded with the demo distributor."""
    app = create_app(demo_server_settings(demo_database, tmp_path_factory.mktemp("server")))
    with ServerThread(app) as server:
        yield server


@pytest.fixture
def app_settings(sync_server, tmp_path) -> ClientSettings:
    """The settings of the app `app_url` serves: the session's server, an empty device folder."""
    return ClientSettings(server_url=sync_server.url, data_dir=tmp_path / "device")


@pytest.fixture
def app_url(app_settings):
    """The app's web build, with its own empty device folder for each test."""
    with ServerThread(create_web_app(app_settings)) as app:
        yield app.url


@pytest.fixture(scope="module")
def playwright_driver():
    # Module scope, not session: Playwright's sync API keeps an asyncio loop running in
    # the main thread while it is open, and later tests need asyncio.run() to work.
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def browser(playwright_driver):
    """A Chromium of the test's own: a long test's renderer state never reaches the next one.

    Its tabs ask for reduced motion (`prefers-reduced-motion: reduce`, an accessibility
    setting a user can choose), which Flutter follows by running its animations at a
    twentieth of their length: a tap's ink ripple otherwise redraws the canvas in software
    for the better part of a second (five taps: 1.8 CPU seconds against 0.45). The screens
    a test reaches and what they say are the same."""
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    new_context = chromium.new_context

    def reduced_motion_context(**options):
        return new_context(**{"reduced_motion": "reduce", **options})

    chromium.new_context = reduced_motion_context
    yield chromium
    chromium.close()


@pytest.fixture(params=[(1280, 800)], ids=lambda size: f"{size[0]}x{size[1]}")
def page(request, browser, app_url):
    """A fresh browser tab that may only talk to loopback."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.blocked = []

    def only_loopback(route):
        if route.request.url.startswith("http://127.0.0.1"):
            route.continue_()
        else:  # e.g. Flutter's optional rive wasm from a CDN: harmless, and never fetched
            tab.blocked.append(route.request.url)
            route.abort()

    tab.route("**/*", only_loopback)
    tab.device = request.getfixturevalue("app_settings")  # for helpers.open_signed_in
    yield tab
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "Timeout (>" in str(report.longrepr):
        # Ended by its time limit: the page may not answer at all, and nothing here has a
        # limit any more, so no screenshot; say which Chromium process was busy instead.
        report.sections.append(("Chromium at the time limit", _chromium_processes()))
        return
    # The test's tab, whatever its fixture is called (page, tablet, spanish_tablet, ...).
    tab = next((value for value in item.funcargs.values() if isinstance(value, Page)), None)
    if report.when == "call" and report.failed and tab is not None:
        try:
            shot(tab, f"FAILED-{item.name}")
            print("\n[accessibility tree at failure]\n" + tab.locator("flt-semantics-host").aria_snapshot())
        except Exception as exc:  # the page may be gone; the failure itself matters more
            print(f"could not capture the failure: {exc}")


def _chromium_processes() -> str:
    """Chromium's processes, busiest first: CPU share, seconds alive, kind (--type=)."""
    try:
        listing = subprocess.run(
            ["ps", "-eo", "pid,pcpu,etimes,rss,args", "--sort=-pcpu"], capture_output=True, text=True, timeout=10
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"could not list the processes: {exc}"
    rows = [line[:200] for line in listing[1:] if "chrom" in line.lower()]
    return "\n".join([listing[0] if listing else "", *rows[:8]])


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Browser tests run in BROWSER_GROUPS groups (`--dist loadgroup`), each group's tests one
    after another on one worker, so each worker builds the demo database once for its group.
    A test waits on Chromium's frames about half its time, so two groups side by side, with
    the other tests on the remaining workers, end the run much sooner than one group alone.
    First, so that xdist's own hook (which reads the marks) sees them."""
    groups = browser_groups({item.path for item in items if _is_browser(item)})
    for item in items:
        if _is_browser(item):
            item.add_marker(pytest.mark.xdist_group(groups[item.path]))
            item.add_marker(pytest.mark.timeout(BROWSER_TEST_LIMIT))
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=[HUNG_RENDERER]))


BROWSER_GROUPS = 2
"""How many browser tests run at once: two Chromiums on two cores still type every key
(`helpers.type_into` checks what the field holds and types again if not)."""


def browser_groups(files: set[Path]) -> dict[Path, str]:
    """The group of each browser test file: files longest first, each to the group with the
    fewest lines so far. A file's length stands for its walk's length (the two longest files
    are the two longest tests), and needs no timings kept anywhere."""
    lines = {file: len(file.read_text(encoding="utf-8").splitlines()) for file in files}
    load = [0] * BROWSER_GROUPS
    groups: dict[Path, str] = {}
    for file in sorted(files, key=lambda f: (-lines[f], f.name)):
        group = load.index(min(load))
        load[group] += lines[file]
        groups[file] = f"browser-{group + 1}"
    return groups


BROWSER_TEST_LIMIT = 360
"""Seconds a browser test may take before it is failed: the longest took 51 s alone here
(2026-12-07), and a loaded machine takes about twice as long. Playwright calls such as key presses wait without a limit on a renderer
that stops answering (seen twice at 100 % CPU); this ends such a test, not the run."""


HUNG_RENDERER = r"^Failed: Timeout \(>"
"""A browser test ended by its time limit runs once more, in a new Chromium (pytest-rerunfailures):
seen about once in eight full runs on 2026-12-07, at the app's first frames, with Chromium's
renderer at 90 % CPU for the whole limit and every Playwright call waiting on it. Only that
failure is run again; an assertion, or a Playwright wait that ran out, fails the test."""


_UNGROUPED: list[str] = []


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Notice if xdist stops grouping: it marks a group in the test's id, which pytest 9.2 no
    longer lets it change (pytest-xdist#1386), and the tests then run spread over the workers
    without a word. Hence pytest is pinned below 9.2; the browser tests fail if it happens."""
    if getattr(session.config.option, "loadgroup", False):  # a worker of `--dist loadgroup`
        _UNGROUPED.extend(i.nodeid for i in session.items if _is_browser(i) and "@browser-" not in i.nodeid)


def pytest_runtest_setup(item):
    if _UNGROUPED and _is_browser(item):
        pytest.fail("xdist did not put the browser tests in their groups (pytest-xdist#1386): check the pytest pin")


def _is_browser(item) -> bool:
    return "/tests/browser/" in str(item.path)


@pytest.fixture
def office(tmp_path, demo_database):
    """A sync server of its own with the demo data, which the test may stop, start and edit
    as the office (its settings kept as `office.settings`)."""
    settings = demo_server_settings(demo_database, tmp_path / "server")
    server = StoppableServer(create_app(settings))
    server.settings = settings
    server.start()
    yield server
    server.stop()


@contextmanager
def tablet_on(browser, server_url: str, folder: Path) -> Iterator[Page]:
    """The app (device folder `folder`) on the server at `server_url`, in a 1280×800 tab that
    may only reach loopback; the tab knows the app's address as `app_url`."""
    settings = ClientSettings(server_url=server_url, data_dir=folder, sync_interval_minutes=60)
    with ServerThread(create_web_app(settings)) as app:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        tab = context.new_page()
        tab.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort(),
        )
        tab.app_url = app.url
        tab.device = settings
        try:
            yield tab
        finally:
            context.close()


@pytest.fixture
def office_tablet(browser, office, tmp_path):
    """The app (its own device folder) on `office`, in a 1280×800 tab that may only reach loopback."""
    with tablet_on(browser, office.url, tmp_path / "device") as tab:
        yield tab
