"""A pull stream cut at seeded random byte offsets: the app keeps every whole page it got,
asks again from the last one, and ends with exactly what the server holds in its scope."""

import httpx

from client.store import ENTITY_TABLES as DEVICE_TABLES
from client.store import open_user_store, read_state
from client.sync import Offline, SyncApi, pull_until_caught_up
from shared.models import Stock
from sync_server.repository.changelog import read_changes
from sync_server.repository.database import make_engine, write_transaction
from sync_server.repository.records import Desired, sync_entity
from tests.faults.helpers import sign_in
from tests.faults.proxy import NO_FAULT, FaultProxy, random_plan

SEED = 20261201
STOCK_ROWS = 3000
PAGE = 100
CUT_CONNECTIONS = 30
CUT_WITHIN = 60_000
"""Cut a stream within its first this many bytes: the whole one weighs about 450 kB (asked for
as identity), so a sync takes a good many cut streams, each keeping the pages it got."""


def _plan():
    # The first connections are all cut (a whole sync is one stream, so one lucky connection
    # would end the test), a few drop at once; the rest go through.
    cutting = random_plan(SEED, cut_rate=1.0, max_up=400, max_down=CUT_WITHIN)
    return lambda index: cutting(index) if index < CUT_CONNECTIONS else NO_FAULT


class RecordingApi(SyncApi):
    """The app's protocol client, noting the cursor each pull stream starts from."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream_starts: list[int] = []

    def pull_stream(self, cursor, limit, **kwargs):
        self.stream_starts.append(cursor)
        return super().pull_stream(cursor, limit, **kwargs)


def _seed_stock(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with write_transaction(engine) as conn:
            sync_entity(
                conn,
                "stock",
                (
                    Desired(
                        Stock(sku=f"SKU{i:05d}", warehouse_code="MAD", on_hand=str(i % 97), reserved="0", damaged="0"),
                        "stock:MAD",
                    )
                    for i in range(STOCK_ROWS)
                ),
            )
    finally:
        engine.dispose()


def _server_view(database_url: str, buckets: list[str]) -> tuple[dict[tuple[str, str], int], int]:
    """(entity, id) → version of every live record in `buckets`, and the last seq among them."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            live: dict[tuple[str, str], int] = {}
            last = 0
            for row in read_changes(conn, buckets, 0, 10**7):
                if row.op == "put":
                    live[(row.entity, row.entity_id)] = row.version
                else:
                    live.pop((row.entity, row.entity_id), None)
                last = row.seq
            return live, last
    finally:
        engine.dispose()


def _device_view(store) -> dict[tuple[str, str], int]:
    held = {}
    with store.read() as db:
        for entity, table in DEVICE_TABLES.items():
            for row_id, version in db.execute(f'SELECT id, _version FROM "{table}" WHERE _version > 0'):
                held[(entity, row_id)] = version
    return held


def _identity(request: httpx.Request) -> None:
    request.headers["Accept-Encoding"] = "identity"


def test_a_stream_cut_anywhere_resumes_from_the_last_whole_page_and_converges(seeded_url, server, tmp_path):
    _seed_stock(seeded_url)
    signed = sign_in(server.url, "ana.garcia")
    store = open_user_store(tmp_path / "device", "ana.garcia")
    failures = 0
    with FaultProxy(server.port, _plan()) as proxy:
        http = httpx.Client(
            base_url=proxy.url,
            timeout=10,
            limits=httpx.Limits(max_keepalive_connections=0),
            # Uncompressed, so the plan's byte offsets fall inside the stream: the app names its
            # own Accept-Encoding on every request, so it is replaced as each request leaves.
            event_hooks={"request": [_identity]},
        )
        api = RecordingApi(proxy.url, token=signed["token"], http_client=http)
        for _ in range(200):
            try:
                pull_until_caught_up(store, api, page_size=PAGE)
                break
            except Offline:
                failures += 1
        else:
            raise AssertionError("never caught up through the proxy")
        cuts = proxy.cuts
        http.close()
    assert cuts >= CUT_CONNECTIONS // 2 and failures >= CUT_CONNECTIONS // 2  # the faults did happen
    starts = api.stream_starts
    assert starts == sorted(starts) and len(set(starts)) > 5  # each try went on from the pages kept, never back
    with store.read() as db:
        cursor = read_state(db).cursor
    live, last = _server_view(
        seeded_url, ["catalog", "directory", "stock:MAD", "portfolio:ana.garcia", "activity:ana.garcia"]
    )
    assert _device_view(store) == live and len(live) >= STOCK_ROWS
    assert cursor == last
    with store.read() as db:
        stock = db.execute("SELECT count(*), sum(CAST(on_hand AS INTEGER)) FROM stock").fetchone()
    assert stock == (STOCK_ROWS, sum(i % 97 for i in range(STOCK_ROWS)))
    store.close()
