"""Passwords are stored at production cost outside the tests (which use cheap parameters)."""

import os
import subprocess
import sys
from pathlib import Path

from argon2 import PasswordHasher, extract_parameters

from sync_server.services.auth import PRODUCTION_HASHER

REPO = Path(__file__).resolve().parents[2]


def test_the_production_hasher_is_argon2id_at_the_recommended_cost():
    params = extract_parameters(PRODUCTION_HASHER.hash("a password of some length"))
    assert (params.type.name, params.memory_cost, params.time_cost, params.parallelism) == ("ID", 65536, 3, 4)


def test_a_server_process_hashes_at_production_cost():
    script = "from sync_server.services.auth import hash_password; print(hash_password('pw-1234567890'))"
    stored = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    ).stdout.strip()
    assert extract_parameters(stored) == extract_parameters(PRODUCTION_HASHER.hash("x"))
    assert PasswordHasher().verify(stored, "pw-1234567890")
