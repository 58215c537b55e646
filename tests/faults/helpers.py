"""Seeding, raw-HTTP push/pull and database counts shared by the fault tests."""

import time
import uuid
from datetime import UTC, datetime

import httpx
import sqlalchemy as sa

from shared.protocol import PROTOCOL_VERSION
from sync_server.repository.database import make_engine, write_transaction
from sync_server.repository.tables import ENTITY_TABLES, changes, devices, mutations
from tests.sync_server.factories import make_customer, make_user

VISITS = ENTITY_TABLES["visit"]


def seed_two_sellers(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with write_transaction(engine) as conn:
            make_user(conn, "ana.garcia")
            make_user(conn, "bruno.diaz")
            for code, seller in [("C1", "ana.garcia"), ("C2", "ana.garcia"), ("C3", "bruno.diaz")]:
                make_customer(conn, code, seller)
    finally:
        engine.dispose()


def sign_in(base_url: str, login: str, password: str = "secret-pass-1") -> dict:
    response = httpx.post(f"{base_url}/v1/auth/login", json={"login": login, "password": password}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def visit(customer: str = "C1", seller: str = "ana.garcia", **kw) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "customer_code": customer,
        "seller_login": seller,
        "checked_in_at": datetime.now(UTC).isoformat(),
        "notes": "Revisar stock de EPIs",
        **kw,
    }


def visit_mutation(mid: int, **kw) -> dict:
    return {"id": mid, "name": "record_visit", "args": {"visit": visit(**kw)}}


def push_body(device: dict, batch: list[dict]) -> dict:
    return {
        "client_id": device["client_id"],
        "protocol_version": PROTOCOL_VERSION,
        "schema_version": 1,
        "mutations": batch,
    }


def auth(device: dict) -> dict:
    return {"Authorization": f"Bearer {device['token']}"}


def retrying(send, attempts: int = 60):
    """Call `send()` until it returns a response that is not a transport error nor a 503."""
    failures = 0
    for _ in range(attempts):
        try:
            response = send()
        except httpx.RequestError:
            failures += 1
            continue
        if response.status_code == 503:
            failures += 1
            time.sleep(0.01)
            continue
        return response, failures
    raise AssertionError(f"no answer after {attempts} attempts")


def fresh_client(base_url: str) -> httpx.Client:
    """A client that opens a new connection per request, so each request meets its own fault."""
    return httpx.Client(base_url=base_url, timeout=10, limits=httpx.Limits(max_keepalive_connections=0))


class Counts:
    """What the server's database holds, read directly."""

    def __init__(self, database_url: str):
        self.engine = make_engine(database_url)

    def visits(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(VISITS)).scalar()

    def visit_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(VISITS.c.id)).scalars())

    def ledger(self, client_id: str) -> list[int]:
        with self.engine.connect() as conn:
            return sorted(
                conn.execute(sa.select(mutations.c.mutation_id).where(mutations.c.client_id == client_id)).scalars()
            )

    def ledger_results(self, client_id: str) -> dict[int, str]:
        with self.engine.connect() as conn:
            return dict(
                conn.execute(
                    sa.select(mutations.c.mutation_id, mutations.c.result).where(mutations.c.client_id == client_id)
                ).all()
            )

    def last_mutation_id(self, client_id: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(devices.c.last_mutation_id).where(devices.c.client_id == client_id)).scalar()

    def visit_puts_per_id(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(changes.c.entity_id, sa.func.count())
                .where(changes.c.entity == "visit", changes.c.op == "put")
                .group_by(changes.c.entity_id)
            ).all()
        return {r[0]: r[1] for r in rows}

    def dispose(self) -> None:
        self.engine.dispose()
