"""`terreno-server` turns library errors into messages and exit codes a person can act on."""

import pytest

from sync_server.cli import main
from tests.importer.conftest import edit_lines, make_rows, write_export


@pytest.fixture
def data_dir(tmp_path):
    return str(tmp_path / "server")


def test_import_then_list_users_and_set_a_password(tmp_path, data_dir, capsys):
    export = write_export(tmp_path / "export", make_rows())
    assert main(["--data-dir", data_dir, "import", "--quiet", str(export)]) == 0
    assert "inserted" in capsys.readouterr().out
    assert main(["--data-dir", data_dir, "users", "list"]) == 0
    listing = capsys.readouterr().out
    login = listing.split()[0]
    assert main(["--data-dir", data_dir, "users", "set-password", login, "--password", "s3cret-pw-2026"]) == 0
    assert f"Password set for {login}" in capsys.readouterr().out
    assert main(["--data-dir", data_dir, "users", "set-password", login, "--password", "short-pw"]) == 1
    assert "at least 10 characters" in capsys.readouterr().err
    assert main(["--data-dir", data_dir, "audit", "--since", "1h", "--kind", "password_reset"]) == 0
    [event] = capsys.readouterr().out.splitlines()
    assert "password_reset" in event and login in event
    assert main(["--data-dir", data_dir, "audit", "--login", "nobody"]) == 0
    assert capsys.readouterr().out == "No audit events match.\n"


def test_a_bad_export_prints_every_problem_and_exits_1(tmp_path, data_dir, capsys):
    export = write_export(tmp_path / "export", make_rows())
    edit_lines(export / "stock.csv", lambda lines: [lines[0], lines[1].replace(",", ";", 1), *lines[2:]])
    assert main(["--data-dir", data_dir, "import", "--quiet", str(export)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Import refused:") and "stock.csv:2:" in err


def test_a_delta_import_shows_progress_and_its_summary(tmp_path, data_dir, capsys):
    assert main(["--data-dir", data_dir, "import", "--quiet", str(write_export(tmp_path / "export", make_rows()))]) == 0
    capsys.readouterr()
    delta = tmp_path / "delta"
    delta.mkdir()
    (delta / "stock.csv").write_text("sku,warehouse_code,on_hand,reserved,damaged\nP-001,MAD,7.5,2,0.5\n")
    (delta / "stock.deleted.csv").write_text("sku,warehouse_code\nP-003,MAD\n")

    assert main(["--data-dir", data_dir, "import", "--delta", str(delta)]) == 0

    captured = capsys.readouterr()
    assert "Imported 1 rows" in captured.out and "0 inserted, 1 updated, 1 deleted, 0 unchanged" in captured.out
    # Piped, one progress line per file when it is done: the delta's one file, read and written.
    assert [line.split()[:3] for line in captured.err.splitlines()] == [
        ["read", "8/22", "stock.csv"],
        ["write", "8/20", "stock.csv"],
    ]
    (delta / "stock.csv").write_text("sku,warehouse_code,on_hand,reserved,damaged\nP-099,MAD,1,0,0\n")
    assert main(["--data-dir", data_dir, "import", "--quiet", "--delta", str(delta)]) == 1
    assert "stock.csv:2: sku: no product 'P-099' in products.csv or on the server" in capsys.readouterr().err


def test_a_missing_folder_is_a_usage_error(tmp_path, data_dir, capsys):
    assert main(["--data-dir", data_dir, "import", str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_setting_the_password_of_an_unknown_user_is_refused(data_dir, capsys):
    assert main(["--data-dir", data_dir, "users", "set-password", "nobody", "--password", "whatever"]) == 1
    assert "no user with login 'nobody'" in capsys.readouterr().err


def test_demo_data_refuses_a_scale_below_one(tmp_path, capsys):
    assert main(["demo-data", "--scale", "0", "--out", str(tmp_path / "x")]) == 2
    assert "--scale must be 1 or more" in capsys.readouterr().err


def test_compact_reports_what_it_removed(data_dir, capsys):
    assert main(["--data-dir", data_dir, "compact", "--retention-days", "30"]) == 0
    assert "Removed 0 superseded changes" in capsys.readouterr().out
