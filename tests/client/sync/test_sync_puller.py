"""pull_until_caught_up: paging, progress, resume after a crash, replacement sync."""

import gc
import time

import httpx
import pytest

from client.store import open_user_store, read_state
from client.sync import PullProgress, SyncApi, pull_until_caught_up
from shared.errors import NotFound, StaleCursor
from tests.client.factories import delete, make_customer, make_product, put, table_rows
from tests.client.fakes import FakeSyncServer


def change_log() -> list:
    """23 changes: 12 customers, 8 products, 2 updates and a delete."""
    customers = [make_customer(f"C{i:02d}") for i in range(12)]
    products = [make_product(f"P{i:02d}") for i in range(8)]
    log = [put(c, i + 1) for i, c in enumerate(customers)]
    log += [put(p, 13 + i, bucket="catalog") for i, p in enumerate(products)]
    log += [
        put(make_customer("C03", city="Vigo"), 21, version=2),
        delete(customers[5], 22),
        put(make_product("P01", name="Tuerca"), 23, version=2, bucket="catalog"),
    ]
    return log


def snapshot(store) -> dict:
    with store.read() as db:
        state = read_state(db)
    return {
        "customers": table_rows(store, "customers"),
        "products": table_rows(store, "products"),
        "cursor": state.cursor,
        "epoch": state.epoch,
    }


def api_for(server: FakeSyncServer) -> SyncApi:
    return SyncApi("http://terreno.test", token=server.token, transport=server.transport())


@pytest.fixture
def uninterrupted(tmp_path) -> dict:
    """What a run that is never interrupted ends with."""
    store = open_user_store(tmp_path / "reference", "ana.garcia")
    pull_until_caught_up(store, api_for(FakeSyncServer(change_log())), page_size=5)
    result = snapshot(store)
    store.close()
    return result


def test_pages_until_caught_up_and_reports_progress(store, uninterrupted):
    server = FakeSyncServer(change_log())
    reports: list[PullProgress] = []
    ticks = iter(range(100))
    result = pull_until_caught_up(store, api_for(server), reports.append, page_size=5, clock=lambda: float(next(ticks)))
    assert snapshot(store) == uninterrupted
    assert (result.pages, result.changes, result.cursor, result.was_reset) == (5, 23, 23, False)
    assert [r.changes for r in reports] == [5, 10, 15, 20, 23]
    assert {r.total for r in reports} == {23}
    percents = [r.percent for r in reports]
    assert percents == sorted(percents) and percents[0] == 21 and percents[-1] == 100
    assert reports[0].seconds_left is not None and reports[0].seconds_left > reports[2].seconds_left
    assert (reports[-1].caught_up, reports[-1].seconds_left) == (True, 0.0)
    # The total is a count on the server: asked for on the first page only.
    assert [r.get("with_total") for r in server.pull_requests] == ["true", None, None, None, None]
    with store.read() as db:
        assert read_state(db).last_success_at is not None


def test_a_crash_mid_sync_resumes_from_the_saved_cursor(store, uninterrupted):
    crashing = FakeSyncServer(change_log(), fail_after_pages=2)
    with pytest.raises(RuntimeError, match="process killed"):
        pull_until_caught_up(store, api_for(crashing), page_size=5)
    with store.read() as db:
        assert read_state(db).cursor == 10  # pages 1 and 2 were committed with their cursors
        assert read_state(db).last_success_at is None

    healthy = FakeSyncServer(change_log())
    result = pull_until_caught_up(store, api_for(healthy), page_size=5)
    assert healthy.pull_requests[0]["cursor"] == "10"  # not from zero
    assert result.changes == 13
    assert snapshot(store) == uninterrupted


def test_a_crash_in_the_progress_callback_also_resumes(store, uninterrupted):
    def explode_on_third(progress: PullProgress):
        if progress.changes >= 15:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pull_until_caught_up(store, api_for(FakeSyncServer(change_log())), explode_on_third, page_size=5)
    pull_until_caught_up(store, api_for(FakeSyncServer(change_log())), page_size=5)
    assert snapshot(store) == uninterrupted


def test_a_stale_cursor_triggers_one_replacement_sync(store, uninterrupted):
    server = FakeSyncServer(change_log())
    pull_until_caught_up(store, api_for(server), page_size=50)
    server.log.append(put(make_customer("C99"), 24))
    server.stale_once = True
    result = pull_until_caught_up(store, api_for(server), page_size=50)
    assert result.was_reset
    assert server.pull_requests[-1]["cursor"] == "0"
    assert [r["id"] for r in table_rows(store, "customers")] == [r["id"] for r in uninterrupted["customers"]] + ["C99"]


def test_a_new_server_epoch_replaces_the_local_copy(store):
    pull_until_caught_up(store, api_for(FakeSyncServer(change_log())), page_size=50)
    restored = FakeSyncServer([put(make_customer("R1"), 1)], epoch="epoch-2")
    result = pull_until_caught_up(store, api_for(restored), page_size=50)
    assert result.was_reset
    assert [r["id"] for r in table_rows(store, "customers")] == ["R1"]
    assert snapshot(store)["epoch"] == "epoch-2"


def test_a_stale_cursor_right_after_a_reset_surfaces(store):
    class AlwaysStale:
        def pull(self, cursor, limit, *, epoch=None, with_total=False, floor=None):
            raise StaleCursor("broken server")

    with pytest.raises(StaleCursor):
        pull_until_caught_up(store, AlwaysStale())


def test_progress_without_a_total_has_no_percent_until_done():
    running = PullProgress(changes=10, total=None, cursor=10, elapsed_seconds=1.0, caught_up=False)
    done = PullProgress(changes=10, total=None, cursor=10, elapsed_seconds=1.0, caught_up=True)
    assert (running.percent, running.seconds_left) == (None, None)
    assert (done.percent, done.seconds_left) == (100, 0.0)
    assert PullProgress(changes=0, total=0, cursor=0, elapsed_seconds=0.0, caught_up=False).percent == 100


def _eventually(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def test_the_next_page_is_requested_before_the_current_one_is_applied(store, uninterrupted):
    server = FakeSyncServer(change_log())
    requested_while_applying: list[bool] = []

    def look(progress: PullProgress):
        # Reported right after page N committed: page N+1 was asked for before that.
        if not progress.caught_up:
            pages_done = progress.changes // 5
            requested_while_applying.append(_eventually(lambda: len(server.pull_requests) > pages_done))

    result = pull_until_caught_up(store, api_for(server), look, page_size=5)
    assert requested_while_applying == [True, True, True, True]
    assert len(server.pull_requests) == result.pages == 5  # nothing asked for past the last page
    assert snapshot(store) == uninterrupted


def test_old_objects_are_frozen_only_while_pulling(store):
    frozen_during: list[int] = []
    pull_until_caught_up(
        store,
        api_for(FakeSyncServer(change_log())),
        lambda progress: frozen_during.append(gc.get_freeze_count()),
        page_size=5,
    )
    assert all(count > 0 for count in frozen_during) and len(frozen_during) == 5
    assert gc.get_freeze_count() == 0


def test_pages_come_in_streams_and_a_stream_that_ends_early_goes_on_from_its_last_page(store, uninterrupted):
    server = FakeSyncServer(change_log(), pages_per_stream=2)
    reports: list[PullProgress] = []
    result = pull_until_caught_up(store, api_for(server), reports.append, page_size=5)
    assert snapshot(store) == uninterrupted
    assert [r["cursor"] for r in server.stream_requests] == ["0", "10", "20"]
    assert [r.get("with_total") for r in server.stream_requests] == ["true", None, None]
    assert (result.pages, result.changes) == (5, 23) and reports[0].total == 23
    assert [r.changes for r in reports] == [5, 10, 15, 20, 23]


def test_a_server_without_the_stream_is_asked_page_by_page_and_the_stream_is_tried_once(store, uninterrupted):
    server = FakeSyncServer(change_log())
    asked: list[str] = []
    transport = server.transport()

    class Counting(httpx.BaseTransport):
        def handle_request(self, request):
            asked.append(request.url.path)
            return transport.handle_request(request)

    api = SyncApi("http://terreno.test", token=server.token, transport=Counting())
    pull_until_caught_up(store, api, page_size=5)
    assert snapshot(store) == uninterrupted
    assert asked == ["/v1/sync/pull/stream"] + ["/v1/sync/pull"] * 5


def test_a_stale_cursor_met_in_a_stream_still_gives_one_replacement_sync(store, uninterrupted):
    server = FakeSyncServer(change_log(), pages_per_stream=10)
    pull_until_caught_up(store, api_for(server), page_size=50)
    server.log.append(put(make_customer("C99"), 24))
    server.stale_once = True
    result = pull_until_caught_up(store, api_for(server), page_size=50)
    assert result.was_reset and server.stream_requests[-1]["cursor"] == "0"
    assert [r["id"] for r in table_rows(store, "customers")] == [r["id"] for r in uninterrupted["customers"]] + ["C99"]


def test_the_collector_stands_aside_while_each_page_is_applied_and_comes_back_between(store, monkeypatch):
    import client.sync.puller as puller

    during: list[bool] = []
    between: list[bool] = []
    real_apply = puller.apply_pull_page

    def watching_apply(target, page):
        during.append(gc.isenabled())
        return real_apply(target, page)

    monkeypatch.setattr(puller, "apply_pull_page", watching_apply)
    pull_until_caught_up(
        store,
        api_for(FakeSyncServer(change_log(), pages_per_stream=2)),
        lambda progress: between.append(gc.isenabled()),
        page_size=5,
    )
    assert during == [False] * 5 and between == [True] * 5 and gc.isenabled()


def test_a_404_the_server_states_as_a_problem_is_not_taken_for_an_older_server(store):
    server = FakeSyncServer(change_log())

    def handle(request):
        if request.url.path == "/v1/sync/pull/stream":
            return httpx.Response(
                404,
                json={
                    "type": "about:blank",
                    "title": "Not found",
                    "status": 404,
                    "code": "not_found",
                    "detail": "no such device",
                },
                headers={"content-type": "application/problem+json"},
            )
        return server.handle(request)

    api = SyncApi("http://terreno.test", token=server.token, transport=httpx.MockTransport(handle))
    with pytest.raises(NotFound, match="no such device"):
        pull_until_caught_up(store, api, page_size=5)
    assert server.pull_requests == []  # not quietly pulled page by page
