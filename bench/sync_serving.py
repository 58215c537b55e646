"""The sync server under benchmark: uvicorn in a child process on loopback and a free port.

The server gets its own process (and so its own GIL): what a benchmark client in this
process measures is the server's time plus the wire, as a tablet would see it.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on right now (127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """`create_app()` served by uvicorn in a child process; a context manager.

    Settings reach the app as TERRENO_* environment variables (`create_app` builds
    `ServerSettings()` from them), so uvicorn can start several workers from the factory.
    """

    def __init__(self, database_url: str, data_dir: Path, workers: int = 1) -> None:
        self.database_url = database_url
        self.data_dir = Path(data_dir)
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen | None = None

    def start(self, timeout: float = 120.0) -> "ServerProcess":
        """Start uvicorn and wait until /v1/health answers."""
        env = {**os.environ, "TERRENO_DATABASE_URL": self.database_url, "TERRENO_DATA_DIR": str(self.data_dir)}
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "sync_server.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--no-access-log",
            "--log-level",
            "info",
        ]
        self._process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the server exited with status {self._process.returncode}")
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer on {self.url} within {timeout:.0f} s")

    @property
    def pids(self) -> list[int]:
        """The uvicorn process and, with several workers, its worker processes."""
        if self._process is None:
            return []
        return [self._process.pid, *_children(self._process.pid)]

    def peak_rss_mib(self) -> int | None:
        """Largest high-water mark (VmHWM) among the server's processes, in MiB."""
        peaks = [_vm_hwm_kib(pid) for pid in self.pids]
        peaks = [p for p in peaks if p is not None]
        return round(max(peaks) / 1024) if peaks else None

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by the server's processes."""
        return sum(self.cpu_by_process().values())

    def cpu_by_process(self) -> dict[str, float]:
        """CPU seconds so far of each server process: the supervisor and each worker."""
        pids = self.pids
        names = ["main"] + [f"worker{n}" for n in range(1, len(pids))]
        return {name: cpu for name, pid in zip(names, pids) if (cpu := process_cpu_seconds(pid)) is not None}

    def stop(self) -> None:
        """SIGTERM (graceful), then SIGKILL if it lingers."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used so far (None once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def postgres_cpu_seconds(admin: "sa.Engine", application_name: str) -> float:
    """CPU seconds used so far by the PostgreSQL backends serving connections that call
    themselves `application_name` (the server's: see `with_application_name`).

    Only those: the machine's other PostgreSQL clients (other benchmarks, test suites) and
    the shared background processes (WAL writer, checkpointer) are not this server's cost.
    A backend that exits between two readings takes its CPU with it; the server's pool
    keeps its connections open, so that is rare.
    """
    with admin.connect() as conn:
        pids = conn.execute(
            sa.text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"), {"name": application_name}
        ).scalars()
        return sum(process_cpu_seconds(pid) or 0.0 for pid in pids)


def with_application_name(url: str, application_name: str) -> str:
    """`url` whose connections name themselves `application_name` in pg_stat_activity."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}application_name={application_name}"


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.extend(int(c) for c in task.read_text().split())
        except OSError:
            pass
    return found


def _vm_hwm_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


__all__ = ["ServerProcess", "free_port", "postgres_cpu_seconds", "process_cpu_seconds", "with_application_name"]
