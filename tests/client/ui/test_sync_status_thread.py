"""The sync engine reports its status from its own thread. The app changes the page on the
page's event loop only (Flet's controls are not thread-safe: an update from the engine's
thread, walking the tree while the loop handled a keystroke, could drop the loop's own
changes), in the order the statuses came, and not at all once the page's loop is gone."""

import asyncio
import threading
import warnings
from collections.abc import Iterator

import pytest

from client.settings import ClientSettings
from client.sync.status import SyncEngineStatus
from client.ui.shell import Shell


class _Page:
    """What the shell uses of a Flet page here: its event loop, and `run_task` as Flet's
    (a coroutine function run on that loop, from any thread)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def run_task(self, handler, *args):
        return asyncio.run_coroutine_threadsafe(handler(*args), self.loop)


class _Bar:
    """The status bar's part here: what it was asked to show, and on which thread."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, int]] = []

    def show(self, status: SyncEngineStatus) -> None:
        self.shown.append((threading.current_thread().name, status.pending))


@pytest.fixture
def page_loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="page-loop", daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def _shell(loop: asyncio.AbstractEventLoop, tmp_path) -> tuple[Shell, _Bar]:
    shell = Shell(_Page(loop), ClientSettings(server_url="http://127.0.0.1:9", data_dir=tmp_path))  # type: ignore[arg-type]
    bar = _Bar()
    shell.status = bar  # type: ignore[assignment]
    return shell, bar


def test_statuses_from_the_engine_thread_reach_the_bar_on_the_page_loop_in_order(page_loop, tmp_path):
    shell, bar = _shell(page_loop, tmp_path)

    def engine() -> None:
        for pending in range(25):
            shell._on_sync_status(SyncEngineStatus(pending=pending))

    reporter = threading.Thread(target=engine, name="sync-engine")
    reporter.start()
    reporter.join(5)

    async def after_them() -> None:  # scheduled after the 25: runs once they all have
        return None

    asyncio.run_coroutine_threadsafe(after_them(), page_loop).result(5)
    assert bar.shown == [("page-loop", pending) for pending in range(25)]


def test_a_status_after_the_page_loop_closed_shows_nothing_and_leaves_no_coroutine(tmp_path):
    loop = asyncio.new_event_loop()
    loop.close()
    shell, bar = _shell(loop, tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "coroutine … was never awaited" fails the test
        shell._on_sync_status(SyncEngineStatus(pending=3))
    assert bar.shown == []
