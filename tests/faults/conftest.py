"""A real server process per test, on the test's database (SQLite file or PostgreSQL schema)."""

import pytest

from tests.faults.helpers import Counts, seed_two_sellers
from tests.faults.processes import ServerProcess


@pytest.fixture
def seeded_url(database_url) -> str:
    seed_two_sellers(database_url)
    return database_url


@pytest.fixture
def server(seeded_url, tmp_path):
    process = ServerProcess(seeded_url, tmp_path)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def counts(seeded_url):
    reader = Counts(seeded_url)
    yield reader
    reader.dispose()
