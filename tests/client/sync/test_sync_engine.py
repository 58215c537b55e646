"""SyncEngine on a real AsyncIOScheduler: schedule, backoff, coalescing, status, nudges, stop."""

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from client.services.field_work import record_visit
from client.services.session import sign_in, sign_out
from client.services.synchronization import background_sync
from client.store import save_state
from client.sync import Backoff, Connection, Offline, ServerBusy, SyncApi, SyncEngine
from client.sync.engine import JOB_ID
from shared.errors import AuthError
from tests.client.factories import make_visit
from tests.client.fakes import FakeSyncServer

FAST = Backoff(first_seconds=0.02, cap_seconds=0.08, jitter=0.2)
HALF = 0.5  # the injected jitter draw: every delay is 90 % of its base


async def wait_for(predicate, timeout: float = 5.0) -> None:
    """Yield to the loop until `predicate()` holds (fails the test after `timeout`)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the engine")
        await asyncio.sleep(0.005)


class ScriptedRounds:
    """A round function that fails or succeeds as scripted, recording when it ran."""

    def __init__(self, store, script: list[Exception | None]) -> None:
        self.store = store
        self.script = script
        self.started: list[float] = []
        self.retry_seen: list[float | None] = []
        self.engine: SyncEngine | None = None

    def __call__(self, _progress) -> str:
        self.started.append(time.monotonic())
        if self.engine is not None:
            self.retry_seen.append(self.engine.status.retry_in_seconds)
        failure = self.script.pop(0) if self.script else None
        if failure is not None:
            raise failure
        with self.store.write() as db:
            save_state(db, last_success_at=datetime.now(UTC))
        return "ok"


def _engine(store, rounds, **kw) -> SyncEngine:
    options = dict(interval_seconds=60, nudge_delay_seconds=0.01, backoff=FAST, rng=lambda: HALF)
    engine = SyncEngine(store, rounds, **{**options, **kw})
    if isinstance(rounds, ScriptedRounds):
        rounds.engine = engine
    return engine


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap():
    delays = [Backoff().delay(n, rng=lambda: 0.0) for n in range(1, 10)]
    assert delays == [15, 30, 60, 120, 240, 480, 600, 600, 600]
    assert Backoff().delay(3, rng=lambda: 0.999) == pytest.approx(60 * (1 - 0.2 * 0.999))
    assert Backoff().delay(5000, rng=lambda: 0.0) == 600  # no overflow after days offline


def test_failed_rounds_back_off_and_a_success_resets_the_backoff(store):
    rounds = ScriptedRounds(store, [Offline("no route")] * 4 + [None] + [Offline("no route")])

    async def scenario():
        engine = _engine(store, rounds)
        engine.start()
        await wait_for(lambda: len(rounds.started) == 5 and not engine.status.is_syncing)
        after_success = engine.status
        outcome = await engine.sync_now()  # fails again: the backoff starts from the first step
        await engine.stop()
        return after_success, outcome, engine.status

    after_success, outcome, final = asyncio.run(scenario())
    expected = [0.9 * 0.02, 0.9 * 0.04, 0.9 * 0.08, 0.9 * 0.08]  # capped at 0.08, jitter takes 10 %
    assert rounds.retry_seen[1:5] == pytest.approx(expected)
    gaps = [b - a for a, b in zip(rounds.started, rounds.started[1:5])]
    assert all(gap >= delay * 0.95 for gap, delay in zip(gaps, expected)), gaps
    assert after_success.retry_in_seconds is None and after_success.connection is Connection.ONLINE
    assert not outcome.ok and final.retry_in_seconds == pytest.approx(0.9 * 0.02)


def test_requests_during_a_round_share_one_following_round(store):
    release = threading.Event()
    runs = []

    def slow_round(_progress):
        runs.append(time.monotonic())
        release.wait(5)
        return len(runs)

    async def scenario():
        engine = _engine(store, slow_round)
        engine.start(sync_at_once=False)
        first = asyncio.create_task(engine.sync_now())
        await wait_for(lambda: len(runs) == 1)
        waiting = [asyncio.create_task(engine.sync_now()) for _ in range(3)]
        await asyncio.sleep(0.05)
        release.set()
        outcomes = await asyncio.gather(first, *waiting)
        await engine.stop()
        return outcomes

    first, *coalesced = asyncio.run(scenario())
    assert len(runs) == 2  # the running round, then ONE for the three requests made during it
    assert first.result == 1 and {o.result for o in coalesced} == {2}
    assert coalesced[0] is coalesced[1] is coalesced[2]


def test_status_moves_from_unknown_through_syncing_to_offline_and_online(store):
    rounds = ScriptedRounds(store, [Offline("no route"), ServerBusy("503"), None])
    seen = []

    async def scenario():
        engine = _engine(store, rounds)
        engine.subscribe(lambda s: seen.append((s.connection.value, s.is_syncing, s.last_error is not None)))
        engine.start()
        await wait_for(lambda: len(rounds.started) == 3 and not engine.status.is_syncing)
        await engine.stop()
        return engine.status

    final = asyncio.run(scenario())
    transitions = [s for i, s in enumerate(seen) if i == 0 or s != seen[i - 1]]
    assert transitions == [
        ("unknown", False, False),
        ("unknown", True, False),
        ("offline", False, True),
        ("offline", True, True),
        ("online", False, True),  # busy: the server answered
        ("online", True, True),
        ("online", False, False),
    ]
    assert final.last_success_at is not None and final.pending == 0 and final.issues == 0


def test_a_round_never_blocks_the_event_loop(store):
    release = threading.Event()

    def blocking_round(_progress):
        release.wait(5)  # a slow network and a big page

    async def scenario():
        engine = _engine(store, blocking_round)
        engine.start()
        await wait_for(lambda: engine.status.is_syncing)
        ticks = 0
        for _ in range(10):
            await asyncio.sleep(0.01)
            ticks += 1
        release.set()
        await engine.stop()
        return ticks

    assert asyncio.run(scenario()) == 10


def test_rounds_repeat_every_interval(store):
    rounds = ScriptedRounds(store, [])

    async def scenario():
        engine = _engine(store, rounds, interval_seconds=0.05)
        engine.start()
        await wait_for(lambda: len(rounds.started) >= 4)
        await engine.stop()

    asyncio.run(scenario())
    gaps = [b - a for a, b in zip(rounds.started, rounds.started[1:4])]
    assert all(gap >= 0.045 for gap in gaps), gaps


def test_a_round_longer_than_the_interval_is_not_followed_by_an_immediate_one(store):
    spans = []

    def long_round(_progress):  # a first sync that outlasts the interval several times
        started = time.monotonic()
        time.sleep(0.15)
        spans.append((started, time.monotonic()))

    async def scenario():
        engine = _engine(store, long_round, interval_seconds=0.03)
        engine.start()
        await wait_for(lambda: len(spans) >= 3)
        await engine.stop()

    asyncio.run(scenario())
    rests = [next_start - end for (_, end), (next_start, _) in zip(spans, spans[1:])]
    assert all(rest >= 0.025 for rest in rests), rests  # a full interval after each round ends


def test_a_refused_token_stops_automatic_rounds(store):
    rounds = ScriptedRounds(store, [AuthError("token expired")])

    async def scenario():
        engine = _engine(store, rounds)
        engine.start()
        await wait_for(lambda: engine.status.needs_sign_in)
        engine.nudge()  # on the loop: decided before it returns
        job = engine._scheduler.get_job(JOB_ID)
        paused = job.next_run_time is None and engine.status.next_attempt_at is None
        await engine.stop()
        return engine.status, paused

    status, paused = asyncio.run(scenario())
    assert paused  # no round is scheduled, so none can start
    assert len(rounds.started) == 1
    assert status.needs_attention and status.last_error["$message"] == "sync.failure.sign_in"


def test_stop_waits_for_the_running_round(store):
    release = threading.Event()
    finished = []

    def slow_round(_progress):
        release.wait(5)
        finished.append(True)

    async def scenario():
        engine = _engine(store, slow_round)
        engine.start()
        await wait_for(lambda: engine.status.is_syncing)
        stopping = asyncio.create_task(engine.stop())
        await asyncio.sleep(0.05)
        was_done = stopping.done()
        release.set()
        await stopping
        return was_done

    assert asyncio.run(scenario()) is False
    assert finished == [True]


@pytest.fixture
def fake_server() -> FakeSyncServer:
    return FakeSyncServer([])


def test_a_recorded_visit_is_pushed_soon_after_the_write(client_settings, fake_server):
    session = sign_in(
        client_settings,
        "ana.garcia",
        "secret-pass-1",
        api=SyncApi("http://terreno.test", transport=fake_server.transport()),
    )

    async def scenario():
        engine = background_sync(session, interval_minutes=60, nudge_delay_seconds=0.01, backoff=FAST)
        engine.start(sync_at_once=False)
        await asyncio.to_thread(record_visit, session, make_visit("C1"))  # as a UI handler would
        await wait_for(lambda: fake_server.applied and engine.status.pending == 0 and not engine.status.is_syncing)
        await engine.stop()
        return engine.status

    status = asyncio.run(scenario())
    assert [m.name for m in fake_server.applied] == ["record_visit"]
    assert status.connection is Connection.ONLINE and status.last_success_at is not None
    sign_out(session)


def test_a_write_while_offline_waits_for_the_network(client_settings, fake_server):
    session = sign_in(
        client_settings,
        "ana.garcia",
        "secret-pass-1",
        api=SyncApi("http://terreno.test", transport=fake_server.transport()),
    )

    async def scenario():
        engine = background_sync(session, interval_minutes=60, nudge_delay_seconds=0.01, backoff=FAST)
        engine.start(sync_at_once=False)
        engine.set_network(False)
        await asyncio.to_thread(record_visit, session, make_visit("C1"))
        await wait_for(lambda: engine.status.pending == 1)  # the engine has heard of the write
        job = engine._scheduler.get_job(JOB_ID)
        # Online, the nudge would have moved the next round to within nudge_delay_seconds.
        held = job.next_run_time - datetime.now(UTC) > timedelta(minutes=30)
        sent_while_offline = len(fake_server.push_bodies)
        pending_shown = engine.status.pending
        engine.set_network(True)
        await wait_for(lambda: fake_server.applied and not engine.status.is_syncing)
        await engine.stop()
        return held, sent_while_offline, pending_shown

    assert asyncio.run(scenario()) == (True, 0, 1)
    sign_out(session)
