"""Several server processes on one fresh PostgreSQL database: none crashes, all serve.

The schema is migrated by `terreno-server migrate` (and by `serve`, first) under an advisory
lock; an app on a database that is not at the latest migration refuses to start and says
what to run.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import sqlalchemy as sa

from sync_server.app import create_app
from sync_server.repository.database import SchemaNotReady, head_revision
from sync_server.settings import ServerSettings
from tests.ports import free_port
from tests.postgres import postgres_base_url

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


@pytest.fixture
def fresh_schema_url():
    """An empty PostgreSQL schema of its own (nothing migrated), dropped afterwards."""
    base = postgres_base_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    joiner = "&" if "?" in base else "?"
    try:
        yield f"{base}{joiner}options={quote(f'-csearch_path={schema}')}", schema, admin
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def _serve(url: str, data_dir: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync_server.cli",
            "--database-url",
            url,
            "--data-dir",
            str(data_dir),
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
            *extra,
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, f"http://127.0.0.1:{port}"


def _wait_healthy(process: subprocess.Popen, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"a server exited with {process.returncode}: {process.stdout.read().decode()}")
        try:
            if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"no answer from {url} within {timeout} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _revision(admin, schema: str) -> str:
    with admin.connect() as conn:
        return conn.exec_driver_sql(f'SELECT version_num FROM "{schema}".alembic_version').scalar_one()


def test_three_servers_started_together_on_a_fresh_database_all_serve(fresh_schema_url, tmp_path):
    url, schema, admin = fresh_schema_url
    servers = [_serve(url, tmp_path / "data") for _ in range(3)]
    try:
        for process, address in servers:
            _wait_healthy(process, address)
        assert all(process.poll() is None for process, _ in servers)
    finally:
        for process, _ in servers:
            _stop(process)
    assert _revision(admin, schema) == head_revision()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found.extend(int(c) for c in task.read_text().split())
    return found


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_one_server_with_two_workers_answers_from_both(fresh_schema_url, tmp_path):
    url, _schema, _admin = fresh_schema_url
    process, address = _serve(url, tmp_path / "data", "--workers", "2")
    try:
        _wait_healthy(process, address)
        workers = [p for p in _children(process.pid) if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()]
        assert len(workers) == 2
        before = {p: _cpu_ticks(p) for p in workers}

        # Eight clients at once, a fresh connection a request: the kernel hands the
        # connections to both workers' accept, and each then has work to show for it.
        # (One httpx client for all: a client per request spends its time building TLS
        # contexts, not asking.)
        with httpx.Client(timeout=10, headers={"Connection": "close"}) as client:

            def ask(_n: int) -> int:
                return client.get(f"{address}/v1/health").status_code

            with ThreadPoolExecutor(8) as pool:
                assert set(pool.map(ask, range(400))) == {200}
        assert all(_cpu_ticks(p) > before[p] for p in workers), "a worker answered nothing"
    finally:
        _stop(process)


def test_an_app_on_a_database_that_was_not_migrated_says_what_to_run(fresh_schema_url, tmp_path):
    url, _schema, _admin = fresh_schema_url
    with pytest.raises(SchemaNotReady, match="has no Terreno schema yet.*run `terreno-server migrate`"):
        create_app(ServerSettings(data_dir=tmp_path, database_url=url))


def test_migrate_run_by_several_processes_at_once_leaves_one_migrated_database(fresh_schema_url):
    url, schema, admin = fresh_schema_url
    command = [sys.executable, "-m", "sync_server.cli", "--database-url", url, "migrate"]
    runs = [
        subprocess.Popen(
            command,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    outcomes = [(run.wait(timeout=120), run.stderr.read().decode()) for run in runs]
    assert outcomes == [(0, "")] * 3
    assert _revision(admin, schema) == head_revision()
