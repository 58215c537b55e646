"""Incremental sync: the server writes a batch of changes, the device runs one sync round.

The device is the real client (`sign_in`, then `sync_now`: push the outbox, pull until
caught up, verify) on the store a first sync already filled; the server writes the
changes with `put_record` in one transaction, as a push or an approval would. Only the
round is timed. A few rounds with nothing new give the floor a round costs anyway.
"""

import random
import statistics
import time
from pathlib import Path

from sqlalchemy import Engine

from bench.sync_client import TimedTransport
from bench.sync_fixtures import PASSWORD, reference_layout, synthetic_product, synthetic_stock
from client.services.session import sign_in, sign_out
from client.services.synchronization import sync_now
from client.settings import ClientSettings
from client.sync import SyncApi
from shared.protocol import CATALOG_BUCKET, stock_bucket
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record

EMPTY_ROUNDS = 5


def write_server_changes(engine: Engine, rows: int, revision: int, count: int, rng: random.Random) -> None:
    """`count` changes in the reference set's scope: 60 % stock, 30 % product edits, 10 % new products."""
    products, _ = reference_layout(rows)
    stock_rows = rows - products
    stock = rng.sample(range(stock_rows), count)
    edited = rng.sample(range(products), count)
    with write_transaction(engine) as conn:
        for k in range(count):
            kind = k % 10
            if kind < 6:
                record = synthetic_stock(stock[k], products, revision)
                put_record(conn, record, stock_bucket(record.warehouse_code))
            elif kind < 9:
                put_record(conn, synthetic_product(edited[k], revision), CATALOG_BUCKET)
            else:
                put_record(conn, synthetic_product(products + revision * count + k), CATALOG_BUCKET)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def incremental_rounds(
    server_url: str, engine: Engine, data_dir: Path, login: str, rows: int, rounds: int, changes: int
) -> dict:
    """Rounds of (server writes `changes`, device syncs); timings in ms."""
    transport = TimedTransport()
    api = SyncApi(server_url, transport=transport)
    session = sign_in(ClientSettings(data_dir=data_dir, server_url=server_url), login, PASSWORD, "bench", api=api)
    rng = random.Random(rows)
    try:
        sync_now(session)  # whatever the sign-in left, and warm connections and caches
        empty = [_timed_round(session, transport)[0] for _ in range(EMPTY_ROUNDS)]
        timings, server_share, pulled = [], [], []
        for revision in range(1, rounds + 1):
            write_server_changes(engine, rows, revision, changes, rng)
            seconds, wire, result = _timed_round(session, transport)
            timings.append(seconds)
            server_share.append(wire)
            pulled.append(result.pulled.changes)
    finally:
        sign_out(session)
    return {
        "local_rows": rows,
        "rounds": rounds,
        "changes_per_round": changes,
        "changes_pulled_min": min(pulled),
        "median_ms": round(statistics.median(timings) * 1000, 1),
        "p95_ms": round(_percentile(timings, 95) * 1000, 1),
        "max_ms": round(max(timings) * 1000, 1),
        "server_and_wire_median_ms": round(statistics.median(server_share) * 1000, 1),
        "empty_round_median_ms": round(statistics.median(empty) * 1000, 1),
    }


def _timed_round(session, transport: TimedTransport):
    before = transport.seconds
    started = time.perf_counter()
    result = sync_now(session)
    return time.perf_counter() - started, transport.seconds - before, result


__all__ = ["incremental_rounds", "write_server_changes"]
