"""End to end: an administrator changes users and teams in the app (client services, the real
server in-process), then the ERP's unchanged export is imported again and undoes none of it."""

import httpx
import sqlalchemy as sa

from client.services import administration as admin_services
from client.services.session import sign_in, sign_out
from client.settings import ClientSettings
from client.sync import SyncApi
from sync_server.importer.run import import_export
from sync_server.repository.database import make_engine
from sync_server.services.auth import check_password, set_password
from tests.client.servers import serve_in_process
from tests.importer.conftest import make_rows, write_export


def test_the_administrators_changes_in_the_app_survive_the_next_import(database_url, tmp_path):
    rows = make_rows()
    engine = make_engine(database_url)
    try:
        import_export(engine, write_export(tmp_path / "monday", rows))
        with serve_in_process(
            database_url, tmp_path, lambda conn: set_password(conn, "admin", "office-key-2026")
        ) as server:
            http = httpx.Client(base_url="http://testserver", transport=server._transport)
            admin = sign_in(
                ClientSettings(data_dir=tmp_path / "device"),
                "admin",
                "office-key-2026",
                api=SyncApi("", http_client=http),
            )
            admin_services.change_team(admin, "NORESTE", name="Noreste y Baleares")
            admin_services.move_member(admin, "NORESTE", "ana.garcia")
            admin_services.create_user(
                admin,
                login="bea.nueva",
                name="Bea Nueva",
                role="seller",
                team_code="CENTRO",
                home_warehouse="MAD",
                password="first-pass-2026",
            )
            admin_services.deactivate_user(admin, "luis.pena")
            admin_services.reset_password(admin, "marta.jefa", "nueva-clave-77")
            users = {u.login: u.admin_fields for u in admin_services.list_users(admin)}
            assert (users["ana.garcia"], users["bea.nueva"], users["luis.pena"]) == (["team_code"], ["created"], [])
            teams = {t.code: t.admin_fields for t in admin_services.list_teams(admin)}
            assert teams == {"CENTRO": [], "NORESTE": ["name"]}
            sign_out(admin)

        report = import_export(engine, write_export(tmp_path / "tuesday", rows))

        with engine.connect() as conn:
            users = {r.login: r.team_code for r in conn.execute(sa.text("SELECT login, team_code FROM users"))}
            team = conn.execute(sa.text("SELECT name FROM teams WHERE code = 'NORESTE'")).scalar()
            inactive = conn.execute(sa.text("SELECT login FROM deactivations")).scalars().all()
            check_password(conn, "marta.jefa", "nueva-clave-77")
            check_password(conn, "bea.nueva", "first-pass-2026")
        assert (team, users["ana.garcia"], users["bea.nueva"], inactive) == (
            "Noreste y Baleares",
            "NORESTE",
            "CENTRO",
            ["luis.pena"],
        )
        assert [n.line() for n in report.admin_notes] == [
            "teams.csv: NORESTE: name 'Noreste y Baleares' kept, set by an administrator "
            "(the ERP still says 'Equipo Noreste · Cataluña y Aragón')",
            "users.csv: ana.garcia: team_code 'NORESTE' kept, set by an administrator (the ERP still says 'CENTRO')",
            "users.csv: bea.nueva: kept: created by an administrator, not in users.csv",
            "users.csv: luis.pena: stays deactivated (an administrator deactivated the account)",
            "users.csv: marta.jefa: password kept, set on the server (the ERP's password_hash has not changed)",
        ]
        assert report.changes == 0
    finally:
        engine.dispose()
