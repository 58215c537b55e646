"""Hypothesis stateful test: several devices, lost responses, partial pulls, reassignments,
scrambled batches, compactions at any moment, and visits whose values come from each field's
whole domain (extremes, non-finite numbers, control characters, dates far out).

In-process (starlette TestClient) on SQLite for speed: every example starts from a copy of a
template database that already holds the users, customers and signed-in devices, so no
migration or password hashing runs per example. PostgreSQL is covered by the process-level
fault tests in this folder.
"""

import json
import shutil
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from starlette.testclient import TestClient

from shared.models import Role
from shared.protocol import PROTOCOL_VERSION
from sync_server.app import create_app
from sync_server.repository.compaction import compact
from sync_server.repository.database import make_engine, migrate, write_transaction
from sync_server.repository.tables import ENTITY_TABLES, changes, devices, mutations, records
from sync_server.services.auth import Principal
from sync_server.services.scope import buckets_for
from sync_server.settings import ServerSettings
from tests.sync_server.factories import make_customer, make_user

TEAMS = {"ana.garcia": "NORTE", "bruno.diaz": "NORTE", "carla.sur": "SUR", "marta.jefa": "NORTE"}
SELLERS = ["ana.garcia", "bruno.diaz", "carla.sur"]
CUSTOMERS = [f"C{i}" for i in range(1, 7)]
INITIAL_OWNER = {
    "C1": "ana.garcia",
    "C2": "ana.garcia",
    "C3": "bruno.diaz",
    "C4": "bruno.diaz",
    "C5": "carla.sur",
    "C6": "carla.sur",
}
# Two tablets of Ana, one of Bruno, one of Carla (another team), and their manager Marta (pull only).
DEVICE_LOGINS = ["ana.garcia", "ana.garcia", "bruno.diaz", "carla.sur", "marta.jefa"]
SELLER_DEVICES = [0, 1, 2, 3]

_template: dict = {}


def _template_db() -> dict:
    """Build once: a migrated, seeded SQLite database with every device signed in."""
    if _template:
        return _template
    folder = Path(tempfile.mkdtemp(prefix="terreno-stateful-template-"))
    url = f"sqlite:///{(folder / 'server.db').as_posix()}"
    engine = make_engine(url)
    migrate(engine)
    with write_transaction(engine) as conn:
        for login in SELLERS:
            make_user(conn, login, team=TEAMS[login])
        make_user(conn, "marta.jefa", role=Role.MANAGER, team="NORTE")
        for code, seller in INITIAL_OWNER.items():
            make_customer(conn, code, seller)
    engine.dispose()
    app = create_app(ServerSettings(data_dir=folder, database_url=url))
    with TestClient(app) as http:
        signed = []
        for login in DEVICE_LOGINS:
            response = http.post("/v1/auth/login", json={"login": login, "password": "secret-pass-1"})
            assert response.status_code == 200, response.text
            signed.append(response.json())
    app.state.engine.dispose()  # last connection closed: the WAL is checkpointed into the file
    _template.update(path=folder / "server.db", devices=signed)
    return _template


def _allowed_buckets(login: str) -> set[str]:
    """The scope a device must stay inside, written independently of the server's buckets_for."""
    visible = [s for s in TEAMS if TEAMS[s] == TEAMS[login]] if login == "marta.jefa" else [login]
    return (
        {"catalog", "directory", "stock:MAD"} | {f"portfolio:{s}" for s in visible} | {f"activity:{s}" for s in visible}
    )


def _refuse_non_finite(word: str):
    raise AssertionError(f"a pull page carries {word}: no strict JSON reader can read it")


_EXTREME_TEXT = ["", "visita", "\x00", "nota\x07", "\u202eodnum aloh", "a\tb\r\nc", "ñ" * 4000, "x" * 4001, "\x1b[31m"]
_EXTREME_NUMBERS = [0.0, -0.0, 1e-320, 1e308, float("inf"), float("-inf"), float("nan"), 1e40, -1.0, 90.0, 180.0]
_EXTREME_TIMES = [
    "2026-06-01T10:00:00+00:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "1900-01-01T00:00:00+00:00",
    "2200-12-31T23:59:59+00:00",
    "1899-12-31T23:59:59+00:00",
    "2201-01-01T00:00:00+00:00",
]
VISIT_VALUES = st.fixed_dictionaries(
    {},
    optional={
        "notes": st.one_of(st.sampled_from(_EXTREME_TEXT), st.text(max_size=50)),
        "purpose": st.one_of(st.sampled_from(_EXTREME_TEXT), st.text(max_size=20)),
        "checked_in_at": st.sampled_from(_EXTREME_TIMES),
        "planned_at": st.sampled_from(_EXTREME_TIMES),
        "location": st.fixed_dictionaries(
            {"latitude": st.sampled_from(_EXTREME_NUMBERS), "longitude": st.sampled_from(_EXTREME_NUMBERS)},
            optional={"accuracy_m": st.sampled_from(_EXTREME_NUMBERS)},
        ),
    },
)


def _outside_every_domain(values: dict) -> bool:
    """Values the protocol refuses whatever the field (docs/sync-protocol.md, values): a number
    that is not finite, a control character other than tab and line breaks, a time outside
    1900-2200. Other values may be accepted or refused by the field's own bounds."""

    def bad_text(text: str) -> bool:
        return any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text)

    def bad_time(text: str) -> bool:
        moment = datetime.fromisoformat(text)
        return not datetime(1900, 1, 1, tzinfo=UTC) <= moment < datetime(2201, 1, 1, tzinfo=UTC)

    texts = [values.get("notes", ""), values.get("purpose", "")]
    numbers = list(values.get("location", {}).values())
    times = [values[k] for k in ("checked_in_at", "planned_at") if k in values]
    return (
        any(bad_text(t) for t in texts)
        or any(n != n or abs(n) == float("inf") for n in numbers)
        or any(bad_time(t) for t in times)
    )


class Device:
    def __init__(self, signed: dict):
        self.login, self.client_id, self.token = signed["login"], signed["client_id"], signed["token"]
        self.role = Role(signed["role"])
        self.team = signed["team_code"]
        self.outbox: list[dict] = []
        self.results: dict[int, dict] = {}
        self.cursor = 0
        self.floor: int | None = None
        self.last_mutation_seen = 0
        self.live: dict[tuple[str, str, str], int] = {}
        self.resets = 0
        self.must_be_refused: set[int] = set()
        """Ids of mutations whose values no field accepts."""

    def reset(self) -> None:
        """A replacement sync: forget every pulled row, keep the outbox."""
        self.cursor, self.floor, self.live = 0, None, {}
        self.resets += 1

    @property
    def acked(self) -> int:
        """Highest k such that the results of 1..k are known."""
        k = 0
        while k + 1 in self.results:
            k += 1
        return k

    def principal(self) -> Principal:
        return Principal(login=self.login, role=self.role, client_id=self.client_id, team_code=self.team)


class SyncMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        template = _template_db()
        self.folder = Path(tempfile.mkdtemp(prefix="terreno-stateful-"))
        shutil.copy(template["path"], self.folder / "server.db")
        url = f"sqlite:///{(self.folder / 'server.db').as_posix()}"
        self.app = create_app(ServerSettings(data_dir=self.folder, database_url=url))
        self.engine = self.app.state.engine
        self.http = TestClient(self.app)
        self.devices = [Device(d) for d in template["devices"]]
        self.owner = dict(INITIAL_OWNER)

    # --- helpers -------------------------------------------------------------------------

    def _push(self, device: Device, batch: list[dict]):
        # Written as a lax JSON writer would (NaN and Infinity as bare words): the server is
        # the one that must refuse them.
        body = json.dumps(
            {
                "client_id": device.client_id,
                "protocol_version": PROTOCOL_VERSION,
                "schema_version": 1,
                "mutations": batch,
            }
        )
        return self.http.post(
            "/v1/sync/push",
            content=body.encode(),
            headers={"Authorization": f"Bearer {device.token}", "Content-Type": "application/json"},
        )

    def _take_results(self, device: Device, body: dict, sent: list[dict]) -> None:
        sent_ids = {m["id"] for m in sent}
        for result in body["results"]:
            assert result["id"] in sent_ids
            previous = device.results.setdefault(result["id"], result)
            assert previous == result, f"a replayed result changed: {previous} -> {result}"
        assert body["last_mutation_id"] >= device.last_mutation_seen
        device.last_mutation_seen = body["last_mutation_id"]

    def _pull_page(self, device: Device, limit: int) -> dict | None:
        """One page applied to the device's model; None after a 410 (the device was reset)."""
        params = {"cursor": device.cursor, "limit": limit, "protocol_version": PROTOCOL_VERSION}
        if device.floor is not None:
            params["floor"] = device.floor
        response = self.http.get("/v1/sync/pull", params=params, headers={"Authorization": f"Bearer {device.token}"})
        if response.status_code == 410:
            assert response.json()["code"] == "stale_cursor" and device.cursor > 0
            device.reset()
            return None
        assert response.status_code == 200, response.text
        page = json.loads(response.content, parse_constant=_refuse_non_finite)  # what any strict reader needs
        assert page["cursor"] >= device.cursor, "a cursor went back"
        assert page["last_mutation_id"] >= device.last_mutation_seen
        device.last_mutation_seen = page["last_mutation_id"]
        allowed = _allowed_buckets(device.login)
        for change in page["changes"]:
            assert change["seq"] > device.cursor
            assert change["bucket"] in allowed, f"{device.login} got {change['bucket']}: out of scope"
            if change["op"] == "put" and change["entity"] in ("customer", "visit"):
                owner = change["bucket"].split(":", 1)[1]
                assert change["data"]["seller_login"] == owner, change
            key = (change["bucket"], change["entity"], change["id"])
            if change["op"] == "put":
                device.live[key] = change["version"]
            else:
                device.live.pop(key, None)
        device.cursor, device.floor = page["cursor"], page["floor"]
        return page

    # --- rules ---------------------------------------------------------------------------

    @rule(index=st.sampled_from(SELLER_DEVICES), customer=st.sampled_from(CUSTOMERS))
    def record_visit(self, index, customer):
        device = self.devices[index]
        visit = {
            "id": str(uuid.uuid4()),
            "customer_code": customer,
            "seller_login": device.login,
            "checked_in_at": datetime.now(UTC).isoformat(),
            "notes": "visita",
        }
        device.outbox.append({"id": len(device.outbox) + 1, "name": "record_visit", "args": {"visit": visit}})

    @rule(index=st.sampled_from(SELLER_DEVICES), customer=st.sampled_from(CUSTOMERS), values=VISIT_VALUES)
    def record_visit_with_any_values(self, index, customer, values):
        device = self.devices[index]
        visit = {"id": str(uuid.uuid4()), "customer_code": customer, "seller_login": device.login, **values}
        device.outbox.append({"id": len(device.outbox) + 1, "name": "record_visit", "args": {"visit": visit}})
        if _outside_every_domain(values):
            device.must_be_refused.add(len(device.outbox))

    @rule(days=st.sampled_from([0, 90]))
    def compact(self, days):
        # A year on: every delete is older than the retention, so the floor rises.
        with write_transaction(self.engine) as conn:
            compact(conn, datetime.now(UTC) + timedelta(days=365), timedelta(days=days))

    @rule(index=st.sampled_from(SELLER_DEVICES), take=st.integers(0, 6), lose=st.booleans())
    def push(self, index, take, lose):
        device = self.devices[index]
        batch = device.outbox[device.acked : device.acked + take]
        response = self._push(device, batch)
        if lose:
            return  # applied on the server, the answer never arrives
        assert response.status_code == 200, response.text
        body = response.json()
        assert [r["id"] for r in body["results"]] == [m["id"] for m in batch]
        self._take_results(device, body, batch)

    @precondition(lambda self: any(d.outbox for d in self.devices))
    @rule(index=st.sampled_from(SELLER_DEVICES), data=st.data())
    def push_scrambled(self, index, data):
        device = self.devices[index]
        if not device.outbox:
            return
        ids = data.draw(st.lists(st.integers(1, len(device.outbox)), min_size=1, max_size=8), label="ids")
        batch = [device.outbox[i - 1] for i in ids]
        response = self._push(device, batch)
        with self.engine.connect() as conn:
            last = conn.execute(
                sa.select(devices.c.last_mutation_id).where(devices.c.client_id == device.client_id)
            ).scalar()
        if response.status_code == 409:
            problem = response.json()
            assert problem["code"] == "mutation_gap" and problem["expected"] == last + 1
            return
        assert response.status_code == 200, response.text
        body = response.json()
        assert [r["id"] for r in body["results"]] == ids
        self._take_results(device, body, batch)

    @rule(index=st.integers(0, len(DEVICE_LOGINS) - 1), limit=st.integers(1, 12))
    def pull(self, index, limit):
        self._pull_page(self.devices[index], limit)

    @rule(customer=st.sampled_from(CUSTOMERS), seller=st.sampled_from(SELLERS))
    def reassign(self, customer, seller):
        with write_transaction(self.engine) as conn:
            make_customer(conn, customer, seller)
        self.owner[customer] = seller

    @rule()
    def quiesce(self):
        self._quiesce_and_check()

    # --- invariants ----------------------------------------------------------------------

    @invariant()
    def server_never_doubles_anything(self):
        with self.engine.connect() as conn:
            puts = conn.execute(
                sa.select(changes.c.entity_id, sa.func.count())
                .where(changes.c.entity == "visit", changes.c.op == "put")
                .group_by(changes.c.entity_id)
                .having(sa.func.count() > 1)
            ).all()
            assert puts == [], f"visits put twice: {puts}"
            for device in self.devices:
                ledger = sorted(
                    conn.execute(
                        sa.select(mutations.c.mutation_id).where(mutations.c.client_id == device.client_id)
                    ).scalars()
                )
                last = conn.execute(
                    sa.select(devices.c.last_mutation_id).where(devices.c.client_id == device.client_id)
                ).scalar()
                assert ledger == list(range(1, last + 1)) and last <= len(device.outbox)

    # --- quiescence ----------------------------------------------------------------------

    def _quiesce_and_check(self):
        for device in self.devices:
            for _ in range(len(device.outbox) + 2):
                if device.acked >= len(device.outbox):
                    break
                batch = device.outbox[device.acked : device.acked + 50]
                response = self._push(device, batch)
                assert response.status_code == 200, response.text
                self._take_results(device, response.json(), batch)
            assert device.acked == len(device.outbox)
        for device in self.devices:
            page = None
            for _ in range(1000):
                page = self._pull_page(device, 50)
                if page is not None and not page["has_more"]:
                    break
            assert page is not None and not page["has_more"], f"{device.login} could not sync to the end"
            assert page["last_mutation_id"] == len(device.outbox)
            with self.engine.connect() as conn:
                buckets = buckets_for(conn, device.principal())
                server = {
                    (r.bucket, r.entity, r.entity_id): r.version
                    for r in conn.execute(sa.select(records).where(records.c.bucket.in_(buckets)))
                }
            assert device.live == server, f"{device.login} differs from the server within its buckets"
            counts = {b["bucket"]: b["count"] for b in page["checkpoint"]["buckets"]}
            for bucket, count in counts.items():
                assert sum(1 for key in device.live if key[0] == bucket) == count
        # Every acknowledged mutation applied exactly once; nothing else on the server.
        visits = ENTITY_TABLES["visit"]
        with self.engine.connect() as conn:
            on_server = set(conn.execute(sa.select(visits.c.id)).scalars())
            stored = {
                (r.client_id, r.mutation_id): json.loads(r.result)
                for r in conn.execute(sa.select(mutations.c.client_id, mutations.c.mutation_id, mutations.c.result))
            }
        applied = set()
        for device in self.devices:
            for mutation in device.outbox:
                result = device.results[mutation["id"]]
                assert stored[(device.client_id, mutation["id"])] == result
                visit_id = mutation["args"]["visit"]["id"]
                if mutation["id"] in device.must_be_refused:
                    assert result["status"] == "rejected" and result["code"], (mutation, result)
                if result["status"] == "applied":
                    applied.add(visit_id)
                else:
                    assert visit_id not in on_server
        assert on_server == applied

    def teardown(self):
        try:
            self._quiesce_and_check()
        finally:
            self.http.close()
            self.engine.dispose()
            shutil.rmtree(self.folder, ignore_errors=True)


def test_devices_converge_under_lost_responses_partial_pulls_and_reassignments():
    # No shrink phase: every step ends in a full quiescence check, so shrinking a failure
    # takes minutes; the unshrunk 25-step trace is readable. Add Phase.shrink when debugging.
    run_state_machine_as_test(
        SyncMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
