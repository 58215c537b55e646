"""What machine a benchmark ran on, saved beside its figures."""

import os
import platform
import sqlite3
from datetime import UTC, datetime


def machine_info() -> dict:
    """Cores, memory, Python and SQLite versions, and when."""
    memory_kb = 0
    try:
        with open("/proc/meminfo") as fh:
            memory_kb = int(fh.readline().split()[1])
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
