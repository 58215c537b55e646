"""`terreno-server users` and `teams`: the administrator's operations, audited; each error one line."""

import pytest

from sync_server.cli import main
from tests.importer.conftest import make_rows, write_export


@pytest.fixture
def data_dir(tmp_path, capsys):
    directory = str(tmp_path / "server")
    assert (
        main(["--data-dir", directory, "import", "--quiet", str(write_export(tmp_path / "export", make_rows()))]) == 0
    )
    capsys.readouterr()
    return directory


def _run(data_dir, capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", data_dir, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_create_deactivate_move_and_rename_are_audited(data_dir, capsys):
    code, out, _ = _run(data_dir, capsys, "teams", "list")
    assert code == 0
    team = out.split()[0]
    code, out, err = _run(
        data_dir, capsys, "users", "create", "bea.nueva", "--name", "Bea Nueva", "--role", "seller",
        "--team", team, "--warehouse", "MAD", "--password", "first-pass-2026",
    )  # fmt: skip
    assert (code, err) == (0, "") and "bea.nueva created" in out
    assert _run(data_dir, capsys, "users", "deactivate", "bea.nueva")[0] == 0
    assert "(deactivated)" in _run(data_dir, capsys, "users", "list")[1]
    assert _run(data_dir, capsys, "users", "reactivate", "bea.nueva")[0] == 0
    assert _run(data_dir, capsys, "teams", "rename", team, "Equipo Renombrado")[0] == 0
    assert "Equipo Renombrado" in _run(data_dir, capsys, "teams", "list")[1]
    code, out, _ = _run(data_dir, capsys, "audit", "--login", "bea.nueva")
    kinds = [line.split()[2] for line in out.splitlines()]
    assert kinds == ["user_created", "user_deactivated", "user_reactivated"]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (("users", "deactivate", "nobody.here"), "error: no user with login 'nobody.here'\n"),
        (("teams", "rename", "NOTEAM", "X"), "error: no team 'NOTEAM'\n"),
        (("users", "revoke-device", "0000"), "error: no device 0000\n"),
        (
            ("users", "create", "x.y", "--name", "X", "--role", "seller", "--password", "first-pass-2026"),
            "error: a seller needs a team and a home warehouse\n",
        ),
        (("users", "create", "bad login!", "--name", "X", "--role", "admin", "--password", "p"), None),
    ],
)
def test_each_error_is_one_line_and_a_non_zero_exit(data_dir, capsys, argv, said):
    code, out, err = _run(data_dir, capsys, *argv)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err
    if said is not None:
        assert err == said


def test_a_reimport_keeps_the_changes_made_here_and_prints_them(data_dir, capsys, tmp_path):
    assert _run(data_dir, capsys, "teams", "rename", "CENTRO", "Centro y Sur")[0] == 0
    assert _run(data_dir, capsys, "teams", "move", "luis.pena", "NORESTE")[0] == 0
    export = write_export(tmp_path / "again", make_rows())

    code, out, err = _run(data_dir, capsys, "import", "--quiet", str(export))

    assert (code, err) == (0, "")
    assert out.splitlines()[-3:] == [
        "Kept 2 administrator's change(s):",
        "  teams.csv: CENTRO: name 'Centro y Sur' kept, set by an administrator (the ERP still says 'Equipo Centro')",
        "  users.csv: luis.pena: team_code 'NORESTE' kept, set by an administrator (the ERP still says 'CENTRO')",
    ]
    assert "Centro y Sur" in _run(data_dir, capsys, "teams", "list")[1]


def test_a_team_is_put_under_another_and_back_at_the_top(data_dir, capsys):
    assert _run(data_dir, capsys, "teams", "set-parent", "NORESTE", "CENTRO")[1] == "Team NORESTE is now under CENTRO\n"
    assert "(under CENTRO)" in _run(data_dir, capsys, "teams", "list")[1]
    code, out, err = _run(data_dir, capsys, "teams", "set-parent", "CENTRO", "NORESTE")
    assert (code, out) == (1, "") and err.startswith("error: team CENTRO cannot go under NORESTE")
    assert _run(data_dir, capsys, "teams", "set-parent", "NORESTE")[1] == "Team NORESTE is now at the top\n"
    assert "(under" not in _run(data_dir, capsys, "teams", "list")[1]
