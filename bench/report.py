"""Shared by the quote and app benchmarks: timing, summaries, and the JSON results file."""

import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def timed_ms(fn: Callable[[], Any], runs: int = 1) -> list[float]:
    """Milliseconds each of `runs` calls of `fn` took."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(samples_ms: list[float]) -> dict:
    """Runs, median, p95 and max of a list of milliseconds."""
    ordered = sorted(samples_ms)
    return {
        "runs": len(ordered),
        "median_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 3),
        "max_ms": round(ordered[-1], 3),
    }


def write_results(name: str, results: dict) -> Path:
    """Save `results` as bench/results/<name>.json and print which targets were met."""
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    out = RESULTS / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    for key, ok in results["met"].items():
        print(f"  {'met    ' if ok else 'MISSED '} {key}", flush=True)
    print(f"wrote {out}")
    return out


__all__ = ["summary", "timed_ms", "write_results"]
