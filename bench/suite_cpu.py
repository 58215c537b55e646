"""CPU seconds per test, Chromium included: a pytest plugin for measuring the suite.

    .venv/bin/python -m pytest tests/browser/test_x.py -p bench.suite_cpu

On a machine shared with other work, wall time says little; CPU seconds do. A thread reads
/proc every 0.2 s for every process below this one (the Playwright driver, Chromium and its
renderer, GPU and utility processes) and keeps each one's last figure, so a process that
exits during a test still counts (less at most its last 0.2 s). Each test gets the CPU of
the pytest process and of those children between its setup and its teardown, and the part
spent inside the browser helpers' `sign_in` (opening the app, signing in, the first sync).
Results go to bench/results/suite_cpu-<worker>.json (TERRENO_SUITE_CPU_OUT overrides).
"""

import json
import os
import threading
import time
from pathlib import Path

import pytest

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, str, float, int] | None:
    """(parent pid, name, CPU seconds, start time) of a process, or None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), name, (int(fields[11]) + int(fields[12])) / _TICK, int(fields[19])


class _Tree:
    """Last CPU figure seen for each process below `root` (dead ones keep theirs)."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.seen: dict[tuple[int, int], tuple[str, float]] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(0.2):
            self.sample()

    def sample(self) -> None:
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (got := _stat(int(entry))) is not None:
                stats[int(entry)] = got
        below = {self.root}
        grew = True
        while grew:  # the descendants of root, whatever order /proc lists them in
            grew = False
            for pid, (ppid, _, _, _) in stats.items():
                if ppid in below and pid not in below:
                    below.add(pid)
                    grew = True
        with self.lock:
            for pid in below - {self.root}:
                _, name, cpu, start = stats[pid]
                self.seen[(pid, start)] = (name, cpu)

    def totals(self) -> dict[str, float]:
        """CPU seconds so far: this process, Chromium's processes, the other children."""
        self.sample()
        own = _stat(self.root)
        with self.lock:
            chromium = sum(cpu for name, cpu in self.seen.values() if "chrom" in name.lower())
            others = sum(cpu for name, cpu in self.seen.values() if "chrom" not in name.lower())
        return {"python": own[2] if own else 0.0, "chromium": chromium, "other": others}


_tree: _Tree | None = None
_rows: list[dict] = []
_sign_in: dict[str, float] = {}
_phases: dict[str, float] = {}


def _diff(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {key: round(after[key] - before[key], 2) for key in after}


def pytest_configure(config):
    global _tree
    _tree = _Tree(os.getpid())
    from tests.browser import helpers

    original = helpers.sign_in

    def measured_sign_in(*args, **kwargs):
        assert _tree is not None
        before = _tree.totals()
        try:
            return original(*args, **kwargs)
        finally:
            for key, value in _diff(_tree.totals(), before).items():
                _sign_in[key] = _sign_in.get(key, 0.0) + value

    helpers.sign_in = measured_sign_in


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    assert _tree is not None
    _sign_in.clear()
    before, started = _tree.totals(), time.perf_counter()
    yield
    cpu = _diff(_tree.totals(), before)
    _rows.append(
        {
            "test": item.nodeid,
            "wall": round(time.perf_counter() - started, 2),
            "cpu": cpu,
            "cpu_total": round(sum(cpu.values()), 2),
            "phases": dict(_phases),
            "sign_in_cpu": {key: round(value, 2) for key, value in _sign_in.items()},
        }
    )
    _phases.clear()


def _phase(name: str):
    assert _tree is not None
    before = _tree.totals()
    yield
    _phases[name] = round(sum(_diff(_tree.totals(), before).values()), 2)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    yield from _phase("setup")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield from _phase("call")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield from _phase("teardown")


def pytest_unconfigure(config):
    if _tree is None:
        return
    _tree.stop.set()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    out = Path(os.environ.get("TERRENO_SUITE_CPU_OUT", f"bench/results/suite_cpu-{worker}.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    out.write_text(json.dumps({"load_average": load, "tests": _rows}, indent=1))
    total = sum(row["cpu_total"] for row in _rows)
    print(f"\n[suite_cpu] {len(_rows)} tests, {total:.1f} CPU-s; load average {load[0]:.2f}; {out}")
