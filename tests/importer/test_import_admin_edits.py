"""An administrator's changes to users and teams survive the next ERP import until the ERP's
own value changes; what was kept or replaced is in the report (SQLite and PostgreSQL)."""

import pytest
import sqlalchemy as sa

from shared.admin import UserCreate
from shared.errors import ImportFailed
from shared.models import Role
from sync_server.importer.delta import import_delta
from sync_server.importer.run import import_export
from sync_server.importer.spec import FILES_BY_NAME
from sync_server.repository import identity, people
from sync_server.repository.database import write_transaction
from sync_server.services import team_admin, user_admin
from sync_server.services.auth import check_password
from tests.importer.conftest import ARGON2_HASH, make_rows, write_csv, write_export

ANOTHER_HASH = ARGON2_HASH[:-4] + "QUFB"


def _users(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT login, role, team_code, home_warehouse FROM users")).all()
    return {r.login: (r.role, r.team_code, r.home_warehouse) for r in rows}


def _teams(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT code, name, parent_code FROM teams")).all()
    return {r.code: (r.name, r.parent_code) for r in rows}


def _edits(engine) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT entity, record_id, field, erp_value, edited_by FROM admin_edits ORDER BY 1, 2, 3")
        ).all()
    return [tuple(r) for r in rows]


def _notes(report) -> list[tuple[bool, str]]:
    return [(n.kept, n.line()) for n in report.admin_notes]


def _reimport(engine, tmp_path, rows, name: str):
    return import_export(engine, write_export(tmp_path / name, rows))


def test_a_renamed_team_and_a_moved_seller_stay_while_the_erp_sends_the_same(engine, tmp_path):
    rows = make_rows()
    import_export(engine, write_export(tmp_path / "monday", rows))
    with write_transaction(engine) as conn:
        team_admin.rename_team(conn, "CENTRO", "Centro y Sur", by="admin")
        team_admin.move_member(conn, "NORESTE", "luis.pena", by="admin")
    assert _edits(engine) == [
        ("team", "CENTRO", "name", '"Equipo Centro"', "admin"),
        ("user", "luis.pena", "team_code", '"CENTRO"', "admin"),
    ]

    report = _reimport(engine, tmp_path, rows, "tuesday")

    assert _teams(engine)["CENTRO"] == ("Centro y Sur", None)
    assert _users(engine)["luis.pena"] == ("seller", "NORESTE", "MAD")
    assert (report.entities["team"].updated, report.entities["user"].updated) == (0, 0)
    assert _notes(report) == [
        (
            True,
            "teams.csv: CENTRO: name 'Centro y Sur' kept, set by an administrator (the ERP still says 'Equipo Centro')",
        ),
        (True, "users.csv: luis.pena: team_code 'NORESTE' kept, set by an administrator (the ERP still says 'CENTRO')"),
    ]
    summary = report.summary().splitlines()
    assert summary[-3:] == [
        "Kept 2 administrator's change(s):",
        "  teams.csv: CENTRO: name 'Centro y Sur' kept, set by an administrator (the ERP still says 'Equipo Centro')",
        "  users.csv: luis.pena: team_code 'NORESTE' kept, set by an administrator (the ERP still says 'CENTRO')",
    ]
    assert len(_edits(engine)) == 2


def test_the_erps_new_value_replaces_the_administrators_and_the_field_is_the_erps_again(engine, tmp_path):
    rows = make_rows()
    import_export(engine, write_export(tmp_path / "monday", rows))
    with write_transaction(engine) as conn:
        team_admin.rename_team(conn, "CENTRO", "Centro y Sur", by="admin")
        team_admin.move_member(conn, "NORESTE", "luis.pena", by="admin")
    rows["teams.csv"][0]["name"] = "Equipo Centro-Sur"

    report = _reimport(engine, tmp_path, rows, "tuesday")

    assert _teams(engine)["CENTRO"] == ("Equipo Centro-Sur", None)
    assert _users(engine)["luis.pena"] == ("seller", "NORESTE", "MAD")
    assert _notes(report) == [
        (
            False,
            "teams.csv: CENTRO: name 'Equipo Centro-Sur' from the ERP replaces 'Centro y Sur' an administrator set (the ERP's value changed)",
        ),
        (True, "users.csv: luis.pena: team_code 'NORESTE' kept, set by an administrator (the ERP still says 'CENTRO')"),
    ]
    assert "Replaced 1 administrator's change(s) with the ERP's new values:" in report.summary()
    assert _edits(engine) == [("user", "luis.pena", "team_code", '"CENTRO"', "admin")]

    rows["teams.csv"][0]["name"] = "Equipo Centro"  # the ERP's own change, now followed
    again = _reimport(engine, tmp_path, rows, "wednesday")
    assert _teams(engine)["CENTRO"] == ("Equipo Centro", None)
    assert [kept for kept, _ in _notes(again)] == [True]


def test_moving_her_back_to_the_erps_team_makes_the_field_the_erps_again(engine, tmp_path):
    rows = make_rows()
    import_export(engine, write_export(tmp_path / "monday", rows))
    with write_transaction(engine) as conn:
        team_admin.move_member(conn, "NORESTE", "luis.pena", by="admin")
        team_admin.move_member(conn, "CENTRO", "luis.pena", by="root")
    assert _edits(engine) == []
    rows["users.csv"][1]["team_code"] = "NORESTE"
    assert _reimport(engine, tmp_path, rows, "tuesday").admin_notes == ()
    assert _users(engine)["luis.pena"][1] == "NORESTE"


def test_a_user_the_administrator_created_is_kept_until_the_erp_lists_her(engine, tmp_path):
    rows = make_rows()
    import_export(engine, write_export(tmp_path / "monday", rows))
    new = UserCreate(
        login="bea.nueva",
        name="Bea Nueva",
        role=Role.SELLER,
        team_code="NORESTE",
        home_warehouse="BCN",
        password="first-pass-2026",
    )
    with write_transaction(engine) as conn:
        user_admin.create_user(conn, new, by="admin")
    assert _edits(engine) == [("user", "bea.nueva", "*", None, "admin")]

    report = _reimport(engine, tmp_path, rows, "tuesday")
    assert _users(engine)["bea.nueva"] == ("seller", "NORESTE", "BCN")
    assert report.entities["user"].deleted == 0
    assert _notes(report) == [(True, "users.csv: bea.nueva: kept: created by an administrator, not in users.csv")]

    rows["users.csv"].append(
        {
            "login": "bea.nueva",
            "name": "Beatriz Nueva Ruiz",
            "email": "bea@ferrosur.es",
            "role": "seller",
            "team_code": "CENTRO",
            "home_warehouse": "MAD",
            "password_hash": ARGON2_HASH,
        }
    )
    listed = _reimport(engine, tmp_path, rows, "wednesday")
    assert _users(engine)["bea.nueva"] == ("seller", "CENTRO", "MAD")
    assert _notes(listed) == [
        (False, "users.csv: bea.nueva: now in users.csv: the ERP's row replaces the one an administrator created"),
        (True, "users.csv: bea.nueva: password kept, set on the server (the ERP's password_hash has not changed)"),
    ]
    assert _edits(engine) == []
    with engine.connect() as conn:
        check_password(conn, "bea.nueva", "first-pass-2026")  # hers, not the ERP's first hash

    del rows["users.csv"][-1]
    gone = _reimport(engine, tmp_path, rows, "thursday")
    assert "bea.nueva" not in _users(engine)  # the ERP's now: it removes her
    assert (gone.entities["user"].deleted, gone.admin_notes) == (1, ())


def test_a_created_user_whose_team_the_erp_dropped_stops_the_import_and_nothing_is_written(engine, tmp_path):
    rows = make_rows()
    rows["teams.csv"].append({"code": "SUR", "name": "Equipo Sur"})
    import_export(engine, write_export(tmp_path / "monday", rows))
    new = UserCreate(
        login="bea.nueva", name="Bea Nueva", role=Role.MANAGER, team_code="SUR", password="first-pass-2026"
    )
    with write_transaction(engine) as conn:
        user_admin.create_user(conn, new, by="admin")
    del rows["teams.csv"][-1]
    rows["teams.csv"][0]["name"] = "Equipo Centro renombrado"

    with pytest.raises(ImportFailed) as failed:
        _reimport(engine, tmp_path, rows, "tuesday")

    assert failed.value.errors == [
        "users.csv: bea.nueva: created by an administrator and not in users.csv, has team_code 'SUR', which the "
        "export no longer has: add it back to the export, or change bea.nueva in the administrator's screens, "
        "then import again"
    ]
    assert _teams(engine)["CENTRO"] == ("Equipo Centro", None)
    assert "SUR" in _teams(engine)
    assert _edits(engine) == [("user", "bea.nueva", "*", None, "admin")]


def test_a_kept_team_the_export_no_longer_has_gives_way_to_the_erps(engine, tmp_path):
    rows = make_rows()
    rows["teams.csv"].append({"code": "SUR", "name": "Equipo Sur"})
    import_export(engine, write_export(tmp_path / "monday", rows))
    with write_transaction(engine) as conn:
        team_admin.move_member(conn, "SUR", "jordi.puig", by="admin")
    del rows["teams.csv"][-1]

    report = _reimport(engine, tmp_path, rows, "tuesday")

    assert _users(engine)["jordi.puig"][1] == "NORESTE"
    assert "SUR" not in _teams(engine)
    assert _notes(report) == [
        (
            False,
            "users.csv: jordi.puig: team_code 'NORESTE' from the ERP replaces 'SUR' an administrator set (the export no longer has it)",
        )
    ]
    assert _edits(engine) == []


def test_a_new_manager_and_the_one_who_left_keep_their_teams_unless_the_row_no_longer_fits(engine, tmp_path):
    rows = make_rows()
    rows["users.csv"].append(
        {
            "login": "pilar.jefa",
            "name": "Pilar Jefa",
            "email": "",
            "role": "manager",
            "team_code": "NORESTE",
            "home_warehouse": "",
            "password_hash": "",
        }
    )
    import_export(engine, write_export(tmp_path / "monday", rows))
    with write_transaction(engine) as conn:
        team_admin.set_manager(conn, "CENTRO", "pilar.jefa", by="admin")
    assert _edits(engine) == [
        ("user", "marta.jefa", "team_code", '"CENTRO"', "admin"),
        ("user", "pilar.jefa", "team_code", '"NORESTE"', "admin"),
    ]
    kept = _reimport(engine, tmp_path, rows, "tuesday")
    assert (_users(engine)["marta.jefa"][1], _users(engine)["pilar.jefa"][1]) == (None, "CENTRO")
    assert [line for _, line in _notes(kept)] == [
        "users.csv: marta.jefa: team_code (none) kept, set by an administrator (the ERP still says 'CENTRO')",
        "users.csv: pilar.jefa: team_code 'CENTRO' kept, set by an administrator (the ERP still says 'NORESTE')",
    ]

    # The ERP makes Marta a seller of CENTRO: without a team she would be no valid seller.
    marta = next(r for r in rows["users.csv"] if r["login"] == "marta.jefa")
    marta.update(role="seller", home_warehouse="MAD")
    replaced = _reimport(engine, tmp_path, rows, "wednesday")
    assert _users(engine)["marta.jefa"] == ("seller", "CENTRO", "MAD")
    assert _notes(replaced)[0] == (
        False,
        "users.csv: marta.jefa: the ERP's row replaces team_code (none) an administrator set (they no longer fit it)",
    )
    assert _edits(engine) == [("user", "pilar.jefa", "team_code", '"NORESTE"', "admin")]


def test_a_deactivation_stays_through_an_import_that_lists_her(engine, tmp_path):
    rows = make_rows()
    import_export(engine, write_export(tmp_path / "monday", rows))
    with write_transaction(engine) as conn:
        user_admin.deactivate_user(conn, "jordi.puig", by="admin")

    report = _reimport(engine, tmp_path, rows, "tuesday")

    with engine.connect() as conn:
        assert people.is_deactivated(conn, "jordi.puig")
    assert _notes(report) == [
        (True, "users.csv: jordi.puig: stays deactivated (an administrator deactivated the account)")
    ]


def test_a_password_the_administrator_set_stays_until_the_erps_hash_changes(engine, tmp_path):
    rows = make_rows()
    import_export(engine, write_export(tmp_path / "monday", rows))
    with write_transaction(engine) as conn:
        user_admin.reset_user_password(conn, "ana.garcia", "admins-choice-9", by="admin")

    same = _reimport(engine, tmp_path, rows, "tuesday")
    assert same.passwords_set == 0
    assert _notes(same) == [
        (True, "users.csv: ana.garcia: password kept, set on the server (the ERP's password_hash has not changed)")
    ]
    with engine.connect() as conn:
        check_password(conn, "ana.garcia", "admins-choice-9")

    rows["users.csv"][0]["password_hash"] = ANOTHER_HASH
    changed = _reimport(engine, tmp_path, rows, "wednesday")
    assert (changed.passwords_set, changed.admin_notes) == (1, ())
    with engine.connect() as conn:
        assert identity.password_hash(conn, "ana.garcia") == ANOTHER_HASH


def test_a_password_stored_before_the_erps_hash_was_recorded_is_kept_once_and_recorded(engine, tmp_path):
    rows = make_rows()
    import_export(engine, write_export(tmp_path / "monday", rows))
    with engine.begin() as conn:  # as a server upgraded from before revision 0027 has it
        conn.execute(
            sa.text("UPDATE credentials SET erp_hash = NULL, password_hash = :h WHERE login = 'ana.garcia'"),
            {"h": ANOTHER_HASH},
        )
    report = _reimport(engine, tmp_path, rows, "tuesday")
    assert (report.passwords_set, [line for _, line in _notes(report)]) == (
        0,
        ["users.csv: ana.garcia: password kept, set on the server (the ERP's password_hash has not changed)"],
    )
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT password_hash, erp_hash FROM credentials WHERE login = 'ana.garcia'")).one()
    assert tuple(row) == (ANOTHER_HASH, ARGON2_HASH)


def test_a_parent_an_administrator_set_gives_way_when_the_erps_new_parents_would_make_a_loop(engine, tmp_path):
    rows = make_rows()
    rows["teams.csv"].append({"code": "SUR", "name": "Equipo Sur", "parent_code": ""})
    for team in rows["teams.csv"]:
        team.setdefault("parent_code", "")
    import_export(engine, write_export(tmp_path / "monday", rows))
    with write_transaction(engine) as conn:
        team_admin.set_parent(conn, "SUR", "CENTRO", by="admin")
    kept = _reimport(engine, tmp_path, rows, "tuesday")
    assert _teams(engine)["SUR"] == ("Equipo Sur", "CENTRO")
    assert len(kept.admin_notes) == 1

    rows["teams.csv"][0]["parent_code"] = "SUR"  # the ERP puts CENTRO under SUR
    report = _reimport(engine, tmp_path, rows, "wednesday")

    assert (_teams(engine)["SUR"], _teams(engine)["CENTRO"]) == (("Equipo Sur", None), ("Equipo Centro", "SUR"))
    assert _notes(report) == [
        (
            False,
            "teams.csv: SUR: parent_code (none) from the ERP replaces 'CENTRO' an administrator set (teams would form a loop)",
        )
    ]
    assert _edits(engine) == []


def test_a_delta_keeps_the_administrators_changes_to_the_rows_it_carries_and_leaves_the_rest(engine, tmp_path):
    rows = make_rows()
    import_export(engine, write_export(tmp_path / "monday", rows))
    with write_transaction(engine) as conn:
        team_admin.rename_team(conn, "CENTRO", "Centro y Sur", by="admin")
        user_admin.create_user(
            conn,
            UserCreate(
                login="bea.nueva",
                name="Bea Nueva",
                role=Role.SELLER,
                team_code="NORESTE",
                home_warehouse="BCN",
                password="first-pass-2026",
            ),
            by="admin",
        )
    teams = [dict(row) for row in rows["teams.csv"]]
    delta = tmp_path / "delta"
    delta.mkdir()
    # The delta carries both teams (CENTRO with the ERP's unchanged name, NORESTE renamed by
    # the ERP) and no users.csv: bea.nueva is unchanged, not gone.
    next(t for t in teams if t["code"] == "NORESTE")["name"] = "Equipo Noreste y Baleares"
    write_csv(delta / "teams.csv", FILES_BY_NAME["teams.csv"].columns(), teams)

    report = import_delta(engine, delta)

    assert _teams(engine)["CENTRO"][0] == "Centro y Sur"
    assert _teams(engine)["NORESTE"][0] == "Equipo Noreste y Baleares"
    assert _users(engine)["bea.nueva"] == ("seller", "NORESTE", "BCN")
    assert _notes(report) == [
        (
            True,
            "teams.csv: CENTRO: name 'Centro y Sur' kept, set by an administrator (the ERP still says 'Equipo Centro')",
        )
    ]
    assert _edits(engine) == [
        ("team", "CENTRO", "name", '"Equipo Centro"', "admin"),
        ("user", "bea.nueva", "*", None, "admin"),
    ]
