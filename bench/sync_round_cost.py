"""What one device round costs the server, in one process: statements, round trips, CPU.

    python -m bench.sync_round_cost [rounds] [--direct] [--profile]

The devices part of `make bench-sync` measures rounds under load, where the figures swing
with whatever else the machine runs. This runs the same rounds (push `BENCH_PUSH_MUTATIONS`
visits, one push in ten sent twice, pull until caught up) one after another, the app called
in this process through httpx's ASGI transport, on SQLite and (with
TERRENO_TEST_POSTGRES_URL) PostgreSQL, and counts for each backend:

    statements per round and per request kind (a SQLAlchemy `before_cursor_execute`
    listener; each is a round trip on PostgreSQL, BEGIN/COMMIT/SAVEPOINT included)
    CPU per round of this process (time.process_time: the app and a thin client), and on
    PostgreSQL the CPU its backends used for this run

`--direct` calls the routes' services in one thread instead (no HTTP, no event loop: the
database work alone, which is what differs between the backends); `--profile` prints cProfile's top functions by own time for each backend.
"""

import asyncio
import cProfile
import os
import pstats
import random
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import sqlalchemy as sa
from sqlalchemy import event

from bench.sync_device_runs import _postgres_schema_url
from bench.sync_devices import (
    RESEND_SHARE,
    Device,
    Load,
    _pull,
    _push,
    _visit,
    register_devices,
    seed_devices_db,
)
from bench.sync_fixtures import WORK, drop_run_database, remove_database
from bench.sync_serving import postgres_cpu_seconds
from sync_server.api.deps import SignedIn
from sync_server.api.routes.sync import PullQuery
from sync_server.app import create_app
from sync_server.repository.database import make_engine, read_transaction
from sync_server.services.push import push as push_mutations
from sync_server.services.push import read_envelopes
from sync_server.settings import ServerSettings

SELLERS = 4
PER_PUSH = int(os.environ.get("BENCH_PUSH_MUTATIONS", 3))


def _count_statements(engine: sa.Engine, counts: Counter, where: list[str]) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, _parameters, _context, executemany):
        counts[where[0]] += 1
        counts[f"{where[0]}: {statement.split(None, 1)[0].upper()}"] += 1

    @event.listens_for(engine, "begin")
    def _begin(conn):
        if conn.dialect.name == "sqlite":
            return  # SQLite's BEGIN is a statement of its own (database.make_engine), counted above
        counts[where[0]] += 1  # psycopg sends BEGIN itself, a round trip of its own
        counts[f"{where[0]}: (begin)"] += 1

    @event.listens_for(engine, "commit")
    def _commit(_conn):
        counts[where[0]] += 1
        counts[f"{where[0]}: (commit)"] += 1

    @event.listens_for(engine, "rollback")
    def _rollback(_conn):
        counts[where[0]] += 1
        counts[f"{where[0]}: (rollback)"] += 1

    @event.listens_for(engine, "savepoint")
    def _savepoint(_conn, _name):
        counts[where[0]] += 1
        counts[f"{where[0]}: (savepoint)"] += 1


async def _rounds(app, fleet: list[Device], rounds: int, where: list[str]) -> tuple[float, float, int]:
    load = Load()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for device in fleet:  # the first pull, not counted
            await _pull(client, load, device)
        cpu, wall = time.process_time(), time.perf_counter()
        for n in range(rounds):
            device = fleet[n % len(fleet)]
            rng = random.Random(f"{device.name}-{n}")
            where[0] = "push"
            await _push(client, load, device, PER_PUSH, rng)
            where[0] = "pull"
            await _pull(client, load, device)
            device.rounds += 1
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if load.errors:
        raise RuntimeError(f"{load.errors} requests failed: {load.error_kinds}")
    return cpu, wall, load.resent


def _direct_rounds(app, fleet: list[Device], rounds: int, where: list[str]) -> tuple[float, float, int]:
    """The same rounds calling the routes' services in this thread: no HTTP, no event loop,
    no worker threads (so cProfile sees the database work, which is what differs)."""
    engine = app.state.engine
    principals = {}
    for device in fleet:
        signed_in = SignedIn(device.token, "GET", "/v1/sync/pull")
        with read_transaction(engine) as conn:
            principals[device.name] = signed_in.principal(conn)
    resent = 0

    def pull(device: Device) -> None:
        while True:
            query = PullQuery(cursor=device.cursor, limit=1000, epoch=device.epoch)
            page = query.first_page(engine, SignedIn(device.token, "GET", "/v1/sync/pull"))
            page.to_json()
            device.cursor, device.epoch = page.cursor, page.epoch
            if not page.has_more:
                return

    for device in fleet:
        pull(device)
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(rounds):
        device = fleet[n % len(fleet)]
        rng = random.Random(f"{device.name}-{n}")
        batch = [
            {"id": device.next_mutation + k, "name": "record_visit", "args": {"visit": _visit(device, rng)}}
            for k in range(PER_PUSH)
        ]
        where[0] = "push"
        signed_in = SignedIn(device.token, "POST", "/v1/sync/push")
        with read_transaction(engine) as conn:
            principal = signed_in.principal(conn)
        for _ in range(2 if rng.random() < RESEND_SHARE else 1):
            answer = push_mutations(engine, principal, device.client_id, read_envelopes(batch))
            resent += 1
        resent -= 1
        if answer.last_mutation_id != batch[-1]["id"]:
            raise RuntimeError(f"acknowledged {answer.last_mutation_id}, sent up to {batch[-1]['id']}")
        device.next_mutation += PER_PUSH
        where[0] = "pull"
        pull(device)
    del principals
    return time.process_time() - cpu, time.perf_counter() - wall, resent


def measure(backend: str, rounds: int, profile: bool, direct: bool) -> dict:
    """`rounds` rounds on `backend`; statements and CPU per round."""
    admin = schema = None
    if backend == "sqlite":
        db = WORK / "server-round-cost.db"
        remove_database(db)
        url = f"sqlite:///{db.resolve()}"
    else:
        url, schema, admin = _postgres_schema_url(os.environ["TERRENO_TEST_POSTGRES_URL"])
    settings = ServerSettings(
        data_dir=Path(WORK / "round-cost"), database_url=url, quote_expiry_minutes=0, metrics_update_seconds=0
    )
    seeding = make_engine(url)
    try:
        seed_devices_db(seeding, SELLERS)
        fleet = register_devices(seeding, SELLERS, 1)
    finally:
        seeding.dispose()
    app = create_app(settings)
    engine = app.state.engine
    try:
        counts: Counter = Counter()
        where = ["setup"]
        _count_statements(engine, counts, where)
        profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not waits
        database_before = postgres_cpu_seconds(admin, schema) if admin is not None else 0.0
        if profiler:
            profiler.enable()
        if direct:
            cpu, wall, resent = _direct_rounds(app, fleet, rounds, where)
        else:
            cpu, wall, resent = asyncio.run(_rounds(app, fleet, rounds, where))
        if profiler:
            profiler.disable()
        database = postgres_cpu_seconds(admin, schema) - database_before if admin is not None else None
    finally:
        engine.dispose()
        drop_run_database(admin, schema, db if backend == "sqlite" else None)
    figures = {
        "rounds": rounds,
        "pushes_resent": resent,
        "cpu_ms_per_round": round(cpu / rounds * 1000, 2),
        "wall_ms_per_round": round(wall / rounds * 1000, 2),
        "statements_per_round": {k: round(v / rounds, 2) for k, v in sorted(counts.items()) if k != "setup"},
    }
    if database is not None:
        figures["postgresql_cpu_ms_per_round"] = round(database / rounds * 1000, 2)
    if profiler:
        profiler.dump_stats(f"{WORK}/round-cost-{backend}.prof")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return figures


def main() -> int:
    rounds = int(next((a for a in sys.argv[1:] if a.isdigit()), 300))
    profile = "--profile" in sys.argv
    direct = "--direct" in sys.argv
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("TERRENO_TEST_POSTGRES_URL") else [])
    print(f"load average {os.getloadavg()}", flush=True)
    for backend in backends:
        figures = measure(backend, rounds, profile, direct)
        print(backend, figures, flush=True)
    print(f"load average {os.getloadavg()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
