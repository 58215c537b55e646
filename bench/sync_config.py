"""The sizes of one `make bench-sync` run, read from the environment (the variables are
listed in bench/sync_bench.py's docstring; BENCH_QUICK=1 picks the small sizes)."""

import os
from dataclasses import dataclass, field

from client.settings import ClientSettings

CLIENT_PAGE_SIZE = ClientSettings.model_fields["pull_page_size"].default


def _env_int(name: str, full: int, quick: int) -> int:
    return int(os.environ.get(name, quick if _quick() else full))


def _env_sizes(name: str, full: str, quick: str) -> list[int]:
    return sorted({int(s) for s in os.environ.get(name, quick if _quick() else full).split(",") if s.strip()})


def _quick() -> bool:
    return os.environ.get("BENCH_QUICK", "") not in ("", "0")


@dataclass
class Config:
    """Sizes of this run (see the module docstring for the environment variables)."""

    quick: bool
    parts: list[str]
    scale: int
    seller: str
    rows: int
    subset_rows: int
    incremental_rows: list[int]
    rounds: int
    changes: int
    page_size: int
    repeats: int
    warmups: int
    devices: list[int]
    device_sellers: int
    device_rounds: int
    device_seconds: int
    push_mutations: int
    sqlite_workers: list[int]
    postgres_workers: list[int]
    postgres_url: str | None = field(repr=False, default=None)

    @classmethod
    def from_env(cls) -> "Config":
        parts = os.environ.get("BENCH_PARTS", "initial,incremental,devices").split(",")
        return cls(
            quick=_quick(),
            parts=[p.strip() for p in parts if p.strip()],
            scale=_env_int("BENCH_SCALE", 10, 1),
            seller=os.environ.get("BENCH_SELLER", "ana.garcia"),
            rows=_env_int("BENCH_ROWS", 1_000_000, 40_000),
            subset_rows=_env_int("BENCH_SUBSET_ROWS", 250_000, 10_000),
            incremental_rows=_env_sizes("BENCH_INCREMENTAL_ROWS", "100000,1000000", "10000,40000"),
            rounds=_env_int("BENCH_ROUNDS", 20, 5),
            changes=_env_int("BENCH_CHANGES", 100, 100),
            page_size=_env_int("BENCH_PAGE_SIZE", CLIENT_PAGE_SIZE, CLIENT_PAGE_SIZE),
            repeats=max(1, _env_int("BENCH_REPEATS", 5, 1)),
            warmups=max(0, _env_int("BENCH_WARMUPS", 1, 0)),
            devices=_env_sizes("BENCH_DEVICES", "200,1000", "20"),
            device_sellers=_env_int("BENCH_DEVICE_SELLERS", 20, 4),
            device_rounds=_env_int("BENCH_DEVICE_ROUNDS", 10, 3),
            device_seconds=_env_int("BENCH_DEVICE_SECONDS", 120, 30),
            push_mutations=_env_int("BENCH_PUSH_MUTATIONS", 3, 3),
            sqlite_workers=_env_sizes("BENCH_SQLITE_WORKERS", "1", "1"),
            postgres_workers=_env_sizes("BENCH_POSTGRES_WORKERS", "1,2,4", "1,2"),
            postgres_url=os.environ.get("TERRENO_TEST_POSTGRES_URL"),
        )


__all__ = ["Config"]
