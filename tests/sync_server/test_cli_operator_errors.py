"""The operator's commands say what is wrong in one line, honour every value given, and
never end in a traceback (the integrity review's item 7)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from shared.models import Role, User
from shared.protocol import DIRECTORY_BUCKET
from sync_server.cli import main
from sync_server.repository.database import make_engine, migrate, write_transaction
from sync_server.repository.records import put_record
from sync_server.repository.tables import changes
from tests.sync_server.factories import make_customer, make_user

REPO = Path(__file__).resolve().parents[2]


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def _seed_a_fresh_delete(database_url: str) -> None:
    engine = make_engine(database_url)
    with write_transaction(engine) as conn:
        make_user(conn, "ana.garcia", password="secret-12345")
        make_user(conn, "bruno.diaz", password="secret-12345")
        make_customer(conn, "C1", "ana.garcia")
    with write_transaction(engine) as conn:
        make_customer(conn, "C1", "bruno.diaz")  # a delete in Ana's bucket, made just now
    engine.dispose()


def _deletes(database_url: str) -> int:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(sa.func.count()).select_from(changes).where(changes.c.op == "delete")).scalar()
    engine.dispose()
    return found


def test_compact_with_a_retention_of_0_days_drops_every_delete(database_url, tmp_path, capsys):
    _seed_a_fresh_delete(database_url)
    assert main(["--database-url", database_url, "--data-dir", str(tmp_path), "compact", "--retention-days", "0"]) == 0
    assert "every delete was dropped" in capsys.readouterr().out
    assert _deletes(database_url) == 0


def test_compact_with_a_negative_retention_is_refused(database_url, tmp_path, capsys):
    assert main(["--database-url", database_url, "compact", "--retention-days", "-1"]) == 2
    assert "--retention-days must be 0 or more" in _one_line_error(capsys)


def test_a_retention_of_0_days_in_the_environment_is_honoured(database_url, tmp_path, capsys, monkeypatch):
    _seed_a_fresh_delete(database_url)
    monkeypatch.setenv("TERRENO_TOMBSTONE_RETENTION_DAYS", "0")
    assert main(["--database-url", database_url, "compact"]) == 0
    assert _deletes(database_url) == 0


@pytest.mark.parametrize(
    "name, value, says",
    [
        ("TERRENO_TOMBSTONE_RETENTION_DAYS", "-3", "TERRENO_TOMBSTONE_RETENTION_DAYS = '-3'"),
        ("TERRENO_TOMBSTONE_RETENTION_DAYS", "ninety", "TERRENO_TOMBSTONE_RETENTION_DAYS = 'ninety'"),
        ("TERRENO_PORT", "99999", "TERRENO_PORT = '99999'"),
        ("TERRENO_SMTP_HOST", "mail.example.com", "TERRENO_SMTP_FROM is required"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(tmp_path, capsys, monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    assert main(["--data-dir", str(tmp_path), "compact"]) == 2
    assert says in _one_line_error(capsys)


def test_serving_another_database_without_a_data_folder_is_refused(capsys, monkeypatch):
    monkeypatch.delenv("TERRENO_DATA_DIR", raising=False)
    assert main(["--database-url", "postgresql://nobody@127.0.0.1:1/none", "serve"]) == 2
    assert "give the data folder too" in _one_line_error(capsys)


def test_an_unreachable_database_is_one_line(tmp_path, capsys):
    assert (
        main(["--database-url", "postgresql://nobody@127.0.0.1:1/none", "--data-dir", str(tmp_path), "users", "list"])
        == 1
    )
    assert "the database failed" in _one_line_error(capsys)


def test_a_database_url_that_is_not_one_is_one_line(tmp_path, capsys):
    assert main(["--database-url", "nonsense://", "--data-dir", str(tmp_path), "users", "list"]) == 2
    assert "not a database URL" in _one_line_error(capsys)


def test_a_listing_read_by_a_command_that_stops_early_ends_quietly(tmp_path):
    data_dir = tmp_path / "server"
    engine = make_engine(f"sqlite:///{(data_dir / 'terreno.db').as_posix()}")
    migrate(engine)
    with write_transaction(engine) as conn:  # far more lines than a pipe holds
        for n in range(3000):
            put_record(
                conn,
                User(login=f"manager.{n:04d}", name=f"Manager {n}", role=Role.MANAGER, team_code="T"),
                DIRECTORY_BUCKET,
            )
    engine.dispose()
    command = [
        sys.executable,
        "-c",
        "import sys; from sync_server.cli import main; sys.exit(main(sys.argv[1:]))",
        "--data-dir",
        str(data_dir),
        "users",
        "list",
    ]
    listing = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    head = subprocess.run(["head", "-n", "2"], stdin=listing.stdout, capture_output=True)
    listing.stdout.close()
    err = listing.stderr.read().decode()
    assert listing.wait(timeout=60) == 0
    assert len(head.stdout.splitlines()) == 2 and "Traceback" not in err and "BrokenPipe" not in err, err
