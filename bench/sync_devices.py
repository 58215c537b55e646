"""Many devices at once: concurrent push + pull rounds against one server, then an audit.

Each simulated device is registered with a token, pulls its scope once, then loops: push a
few `record_visit` mutations, pull until caught up, with no pause between rounds (so the
figures are the server's saturation throughput, and latency is mostly queueing). A failed
request is retried as it was (the same mutation ids), and one push in ten is sent twice on
purpose, as after a lost response: the cases exactly-once must survive. The devices are
coroutines with a connection each (`bench/device_http.py`: the requests httpx sent, for a
fraction of its CPU), so that the driver is not what is measured (its CPU time is reported
beside the server's).

Afterwards the server's database is audited: every visit acknowledged as applied is
there once, nothing else is, the mutation ledger holds each acknowledged id once, each
device's `last_mutation_id` is its last acknowledged id, and every device has seen every
visit of its seller.
"""

import asyncio
import hashlib
import os
import random
import resource
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import Engine, func, insert, select

from bench.device_http import DeviceConnection, DeviceHTTPError
from shared.models import Customer, Role, Team, User, Warehouse
from shared.protocol import CATALOG_BUCKET, DIRECTORY_BUCKET, portfolio_bucket
from sync_server.importer.demo.staff import demo_password_hash
from sync_server.repository.credentials import store_password_hashes
from sync_server.repository.database import migrate, write_transaction
from sync_server.repository.records import put_record
from sync_server.repository.tables import ENTITY_TABLES, devices, mutations, tokens

CUSTOMERS_PER_SELLER = 5
_RETRIES = 20
KEEPALIVE_SECONDS = 2.0
RESEND_SHARE = 0.1
"""Share of pushes sent a second time, unchanged, as a device does after a lost response."""


def seller_login(n: int) -> str:
    """Login of the n-th simulated seller."""
    return f"dev.seller{n:03d}"


def customer_code(seller: int, n: int) -> str:
    """Code of a simulated seller's n-th customer."""
    return f"D{seller:03d}C{n}"


def seed_devices_db(engine: Engine, sellers: int) -> None:
    """Schema, sellers (password 'terreno-demo') and a few customers in each portfolio."""
    migrate(engine)
    with write_transaction(engine) as conn:
        put_record(conn, Team(code="DEV", name="Equipo de carga"), DIRECTORY_BUCKET)
        put_record(conn, Warehouse(code="W01", name="Almacén central"), CATALOG_BUCKET)
        for s in range(sellers):
            login = seller_login(s)
            user = User(login=login, name=f"Vendedor {s}", role=Role.SELLER, team_code="DEV", home_warehouse="W01")
            put_record(conn, user, DIRECTORY_BUCKET)
            for c in range(CUSTOMERS_PER_SELLER):
                put_record(
                    conn,
                    Customer(
                        code=customer_code(s, c),
                        legal_name=f"Ferretería {s}-{c} S.L.",
                        tax_id=f"B{s:03d}{c:05d}",
                        segment="retail",
                        payment_terms="NET30",
                        currency="EUR",
                        seller_login=login,
                    ),
                    portfolio_bucket(login),
                )
        store_password_hashes(conn, {seller_login(s): demo_password_hash() for s in range(sellers)})


@dataclass
class Device:
    """One simulated tablet: its identity, cursor, outbox counter and what it saw."""

    seller: int
    name: str
    token: str = ""
    client_id: str = ""
    cursor: int = 0
    epoch: str | None = None
    next_mutation: int = 1
    acknowledged: int = 0
    applied_visits: list[str] = field(default_factory=list)
    rejected: int = 0
    seen_visits: set[str] = field(default_factory=set)
    rounds: int = 0


@dataclass
class Load:
    """Everything measured while the devices ran."""

    round_seconds: list[float] = field(default_factory=list)
    push_seconds: list[float] = field(default_factory=list)
    pull_seconds: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    resent: int = 0
    resend_mismatches: int = 0

    def error(self, kind: str) -> None:
        """Count one failed request, by kind (exception name or HTTP status)."""
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


Client = httpx.AsyncClient | DeviceConnection
"""A device's way to the server: a connection of its own under load, httpx in one process
(`bench/sync_round_cost.py` calls the app through httpx's ASGI transport)."""


async def _request(client: Client, load: Load, method: str, path: str, **kw) -> dict:
    """A request retried as it was until it succeeds; every failure is counted."""
    for attempt in range(_RETRIES):
        try:
            response = await client.request(method, path, **kw)
        except (httpx.HTTPError, DeviceHTTPError) as exc:
            load.error(type(exc).__name__)
        else:
            if response.status_code == 200:
                return response.json()
            load.error(f"HTTP {response.status_code}")
        await asyncio.sleep(0.1 * (attempt + 1))
    raise RuntimeError(f"{method} {path} failed {_RETRIES} times")


async def _pull(client: Client, load: Load, device: Device, limit: int = 1000) -> None:
    headers = {"Authorization": f"Bearer {device.token}"}
    while True:
        params = {"cursor": device.cursor, "limit": limit, "protocol_version": 1, "schema_version": 1}
        if device.epoch:
            params["epoch"] = device.epoch
        started = time.perf_counter()
        page = await _request(client, load, "GET", "/v1/sync/pull", params=params, headers=headers)
        load.pull_seconds.append(time.perf_counter() - started)
        device.seen_visits.update(c["id"] for c in page["changes"] if c["entity"] == "visit")
        device.cursor, device.epoch = page["cursor"], page["epoch"]
        if not page["has_more"]:
            return


def _visit(device: Device, rng: random.Random) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "customer_code": customer_code(device.seller, rng.randrange(CUSTOMERS_PER_SELLER)),
        "seller_login": seller_login(device.seller),
        "checked_in_at": datetime.now(UTC).isoformat(),
        "purpose": "Visita de seguimiento",
        "notes": f"Ronda {device.rounds} desde {device.name}",
        "outcome": "pending",
    }


async def _push(client: Client, load: Load, device: Device, count: int, rng: random.Random) -> None:
    batch = [
        {"id": device.next_mutation + k, "name": "record_visit", "args": {"visit": _visit(device, rng)}}
        for k in range(count)
    ]
    body = {"client_id": device.client_id, "protocol_version": 1, "schema_version": 1, "mutations": batch}
    started = time.perf_counter()
    answer = await _request(
        client, load, "POST", "/v1/sync/push", json=body, headers={"Authorization": f"Bearer {device.token}"}
    )
    load.push_seconds.append(time.perf_counter() - started)
    if answer["last_mutation_id"] != batch[-1]["id"]:
        raise RuntimeError(
            f"{device.name}: server acknowledged up to {answer['last_mutation_id']}, sent up to {batch[-1]['id']}"
        )
    if rng.random() < RESEND_SHARE:
        # As after a lost response: the same batch again must get the stored results back.
        again = await _request(
            client, load, "POST", "/v1/sync/push", json=body, headers={"Authorization": f"Bearer {device.token}"}
        )
        load.resent += 1
        if again != answer:
            load.resend_mismatches += 1
    results = {r["id"]: r for r in answer["results"]}
    for mutation in batch:
        result = results[mutation["id"]]
        device.acknowledged += 1
        if result["status"] == "applied":
            device.applied_visits.append(mutation["args"]["visit"]["id"])
        else:
            device.rejected += 1
    device.next_mutation = batch[-1]["id"] + 1


async def _run_device(
    client, load: Load, device: Device, rounds: int, per_push: int, deadline: float, start: asyncio.Event
) -> None:
    rng = random.Random(device.name)
    await start.wait()
    await asyncio.sleep(rng.random() * 0.5)  # devices do not all wake in the same millisecond
    for _ in range(rounds):
        if time.monotonic() >= deadline:
            return
        started = time.perf_counter()
        await _push(client, load, device, per_push, rng)
        await _pull(client, load, device)
        load.round_seconds.append(time.perf_counter() - started)
        device.rounds += 1


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def _ms(values: list[float]) -> dict:
    return {
        "p50_ms": round(_percentile(values, 50) * 1000, 1),
        "p95_ms": round(_percentile(values, 95) * 1000, 1),
        "max_ms": round(max(values, default=0) * 1000, 1),
        "count": len(values),
    }


def register_devices(engine: Engine, sellers: int, per_seller: int) -> list[Device]:
    """A registered device with a valid token for each of `per_seller` tablets per seller.

    Written straight into `devices` and `tokens` as `sign_in` would: 200 sign-ins through
    the API cost 200 argon2 verifications (about a minute here), which is not what this
    benchmark measures. A token stored any other way would fail every request (401).
    """
    fleet = [Device(seller=s, name=f"tablet-{s:03d}-{d:02d}") for s in range(sellers) for d in range(per_seller)]
    now = datetime.now(UTC)
    for device in fleet:
        device.client_id, device.token = str(uuid.uuid4()), secrets.token_urlsafe(32)
    with write_transaction(engine) as conn:
        conn.execute(
            insert(devices),
            [
                {
                    "client_id": d.client_id,
                    "login": seller_login(d.seller),
                    "name": d.name,
                    "created_at": now,
                    "last_seen_at": now,
                    "revoked_at": None,
                    "last_mutation_id": 0,
                    "number": int(d.name.rsplit("-", 1)[1]) + 1,
                    # Unique and at most 8 characters, as the server's own prefixes (devices.quote_prefix).
                    "quote_prefix": f"DV{index:06d}",
                }
                for index, d in enumerate(fleet)
            ],
        )
        conn.execute(
            insert(tokens),
            [
                {
                    "token_hash": hashlib.sha256(d.token.encode()).hexdigest(),
                    "client_id": d.client_id,
                    "login": seller_login(d.seller),
                    "created_at": now,
                    "expires_at": now + timedelta(days=1),
                }
                for d in fleet
            ],
        )
    return fleet


async def run_devices(
    url: str,
    fleet: list[Device],
    rounds: int,
    per_push: int,
    seconds: float,
    cpu_of_server: Callable[[], dict[str, float]],
) -> dict:
    """Pull each device's scope once, then run the timed push + pull rounds; the figures.

    `cpu_of_server` gives CPU seconds so far per process of the server side (each worker,
    and the database's processes where it has its own): each is reported per round.
    """
    load = Load()
    # One connection per device, as on real tablets. Idle connections are dropped before
    # uvicorn's 5 s keep-alive timeout: at equal timeouts a request can race the server's
    # close and fail (see the report).
    clients = [DeviceConnection(url, keepalive=KEEPALIVE_SECONDS) for _ in fleet]
    try:
        phase = time.perf_counter()
        await asyncio.gather(*(_pull(c, load, d) for c, d in zip(clients, fleet)))
        first_pull_seconds = time.perf_counter() - phase
        setup_errors = load.errors
        load = Load()
        start = asyncio.Event()
        deadline = time.monotonic() + seconds
        tasks = [
            asyncio.create_task(_run_device(c, load, d, rounds, per_push, deadline, start))
            for c, d in zip(clients, fleet)
        ]
        cpu_before, server_before = _cpu(), cpu_of_server()
        started = time.perf_counter()
        start.set()
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - started
        server_after = cpu_of_server()
        cpu_driver = _cpu() - cpu_before
        cpu_by_process = {name: server_after[name] - server_before.get(name, 0.0) for name in server_after}
        # Converge: one more pull each, so every device can have seen every acknowledged visit.
        await asyncio.gather(*(_pull(c, load, d) for c, d in zip(clients, fleet)))
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    done = sum(d.rounds for d in fleet)
    figures = {
        "devices": len(fleet),
        "sellers": len({d.seller for d in fleet}),
        "rounds_per_device_asked": rounds,
        "mutations_per_push": per_push,
        "time_limit_seconds": seconds,
        "rounds_done": done,
        "wall_seconds": round(wall, 2),
        "rounds_per_s": round(done / wall, 1),
        "mutations_per_s": round(done * per_push / wall, 1),
        "round": _ms(load.round_seconds),
        "push": _ms(load.push_seconds),
        "pull_request": _ms(load.pull_seconds),
        "errors": load.errors,
        "error_kinds": load.error_kinds,
        "pushes_resent": load.resent,
        "resent_pushes_answered_differently": load.resend_mismatches,
        "setup_errors": setup_errors,
        "first_pull_seconds": round(first_pull_seconds, 1),
        "driver_cpu_seconds": round(cpu_driver, 1),
        "cpu_seconds_by_process": {name: round(cpu, 2) for name, cpu in cpu_by_process.items()},
        "cpu_ms_per_round_by_process": {
            name: round(cpu / done * 1000, 2) if done else None for name, cpu in cpu_by_process.items()
        },
    }
    server = sum(cpu for name, cpu in cpu_by_process.items() if name != "postgresql")
    figures["server_cpu_seconds"] = round(server, 1)
    figures["server_cpu_ms_per_round"] = round(server / done * 1000, 1) if done else None
    if "postgresql" in cpu_by_process:
        figures["database_cpu_ms_per_round"] = figures["cpu_ms_per_round_by_process"]["postgresql"]
    figures["driver_cpu_ms_per_round"] = round(cpu_driver / done * 1000, 1) if done else None
    # Everything this run kept busy (server, its database, the simulated devices), in cores:
    # on a 2-core machine, 2 workers can at best multiply the rounds by 2 / this at 1 worker.
    figures["cores_busy"] = round((sum(cpu_by_process.values()) + cpu_driver) / wall, 2)
    figures["load_average_1_5_15"] = [round(load, 2) for load in os.getloadavg()]  # the machine's others too
    return figures


def audit(engine: Engine, fleet: list[Device]) -> dict:
    """Every acknowledged mutation applied exactly once; every device saw its seller's visits."""
    visits = ENTITY_TABLES["visit"]
    applied = [v for d in fleet for v in d.applied_visits]
    with engine.connect() as conn:
        stored = list(conn.execute(select(visits.c.id)).scalars())
        ledger = conn.execute(select(func.count()).select_from(mutations)).scalar_one()
        duplicated = conn.execute(
            select(func.count()).select_from(
                select(mutations.c.client_id, mutations.c.mutation_id)
                .group_by(mutations.c.client_id, mutations.c.mutation_id)
                .having(func.count() > 1)
                .subquery()
            )
        ).scalar_one()
        last_ids = dict(conn.execute(select(devices.c.client_id, devices.c.last_mutation_id)).all())
    by_seller: dict[int, set[str]] = {}
    for d in fleet:
        by_seller.setdefault(d.seller, set()).update(d.applied_visits)
    behind = [d.name for d in fleet if not by_seller[d.seller] <= d.seen_visits]
    acknowledged = sum(d.acknowledged for d in fleet)
    wrong_last = [d.name for d in fleet if last_ids.get(d.client_id) != d.next_mutation - 1]
    checks = {
        "acknowledged_mutations": acknowledged,
        "applied_visits_acknowledged": len(applied),
        "rejected": sum(d.rejected for d in fleet),
        "visits_in_server": len(stored),
        "distinct_visits_in_server": len(set(stored)),
        "ledger_rows": ledger,
        "ledger_duplicates": duplicated,
        "devices_with_wrong_last_mutation_id": len(wrong_last),
        "devices_missing_a_visit_of_their_seller": len(behind),
    }
    checks["exactly_once"] = (
        len(stored) == len(applied) == len(set(applied))
        and set(stored) == set(applied)
        and ledger == acknowledged
        and duplicated == 0
        and not wrong_last
    )
    checks["converged"] = not behind
    return checks


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


__all__ = ["Device", "audit", "customer_code", "register_devices", "run_devices", "seed_devices_db", "seller_login"]
