"""`terreno-server users ...` and `teams ...`: the administrator's operations on the command line.

The same services as the app's admin screens (sync_server.services.user_admin, team_admin,
device_admin), so each change is validated and audited the same way; from here the audit log's
actor is empty (the operator at the server).
"""

import argparse
import getpass

from shared.models import Role


def _engine(args: argparse.Namespace):
    from sync_server.cli import _migrated_engine, _settings

    return _migrated_engine(_settings(args))


def cmd_users(args: argparse.Namespace) -> int:
    from shared.admin import UserCreate
    from sync_server.services import device_admin, user_admin
    from sync_server.services.transactions import read_transaction, write_transaction

    engine = _engine(args)
    command = args.users_command
    if command == "list":
        with read_transaction(engine) as conn:
            for u in user_admin.list_users(conn):
                flag = "" if u.has_password else "  (no password yet)"
                flag += "" if u.is_active else "  (deactivated)"
                print(f"{u.login:24} {u.role:8} {u.team_code or '-':10} {u.name}{flag}")
        return 0
    if command == "devices":
        with read_transaction(engine) as conn:
            for d in device_admin.list_devices(conn):
                state = "revoked" if d.revoked_at else "active"
                print(f"{d.client_id}  {d.login:20} {d.name:20} {state:8} last seen {d.last_seen_at:%Y-%m-%d %H:%M}")
        return 0
    if command == "revoke-device":
        with write_transaction(engine) as conn:
            device_admin.revoke(conn, args.client_id)
        print(f"Device {args.client_id} revoked; it will wipe its data at next contact")
        return 0
    if command == "create":
        from pydantic import ValidationError

        from shared.invalid_input import problem_lines

        password = args.password or getpass.getpass(f"First password for {args.login}: ")
        try:
            new = UserCreate(
                login=args.login,
                name=args.name,
                email=args.email or "",
                role=Role(args.role),
                team_code=args.team,
                home_warehouse=args.warehouse,
                password=password,
            )
        except ValidationError as exc:
            from sync_server.cli import CommandError

            raise CommandError("; ".join(problem_lines(exc.errors()))) from None
        with write_transaction(engine) as conn:
            user_admin.create_user(conn, new)
        print(f"User {args.login} created ({args.role}{', team ' + args.team if args.team else ''})")
        return 0
    with write_transaction(engine) as conn:
        if command == "set-password":
            password = args.password or getpass.getpass(f"New password for {args.login}: ")
            user_admin.reset_user_password(conn, args.login, password)
            said = f"Password set for {args.login}; every session of theirs has ended"
        elif command == "deactivate":
            user_admin.deactivate_user(conn, args.login)
            said = f"{args.login} deactivated: they cannot sign in, and every session of theirs has ended"
        else:
            user_admin.reactivate_user(conn, args.login)
            said = f"{args.login} can sign in again"
    print(said)
    return 0


def cmd_teams(args: argparse.Namespace) -> int:
    from sync_server.services import team_admin
    from sync_server.services.transactions import read_transaction, write_transaction

    engine = _engine(args)
    if args.teams_command == "list":
        with read_transaction(engine) as conn:
            for team in team_admin.list_teams(conn):
                managers = ", ".join(team.managers) or "no manager"
                under = f"  (under {team.parent_code})" if team.parent_code else ""
                print(f"{team.code:10} {team.name:30} {managers:24} {len(team.members)} member(s){under}")
        return 0
    with write_transaction(engine) as conn:
        if args.teams_command == "rename":
            team_admin.rename_team(conn, args.code, args.name)
            said = f"Team {args.code} is now called {args.name}"
        elif args.teams_command == "set-parent":
            team_admin.set_parent(conn, args.code, args.parent, by=None)
            said = (
                f"Team {args.code} is now under {args.parent}" if args.parent else f"Team {args.code} is now at the top"
            )
        elif args.teams_command == "set-manager":
            team_admin.set_manager(conn, args.code, args.login)
            said = f"{args.login} manages team {args.code}"
        else:
            team_admin.move_member(conn, args.code, args.login)
            said = f"{args.login} moved to team {args.code}"
    print(said)
    return 0


def add_admin_commands(sub) -> None:
    """Add `users` and `teams` to the CLI's subcommands."""
    users = sub.add_parser("users", help="list, create and deactivate users, set passwords, manage devices")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    users_sub.add_parser("list")
    create = users_sub.add_parser("create", help="create a user (a seller needs --team and --warehouse)")
    create.add_argument("login")
    create.add_argument("--name", required=True)
    create.add_argument("--role", choices=[r.value for r in Role], required=True)
    create.add_argument("--team", help="team code (sellers and managers)")
    create.add_argument("--warehouse", help="home warehouse code (sellers)")
    create.add_argument("--email")
    create.add_argument("--password", help="the first password (asked for when omitted)")
    setpw = users_sub.add_parser("set-password", help="set a password; every session of the user ends")
    setpw.add_argument("login")
    setpw.add_argument("--password", help="the new password (asked for when omitted)")
    for name, helptext in (
        ("deactivate", "stop a user signing in; every session of theirs ends"),
        ("reactivate", "let a deactivated user sign in again"),
    ):
        users_sub.add_parser(name, help=helptext).add_argument("login")
    users_sub.add_parser("devices")
    revoke = users_sub.add_parser("revoke-device", help="revoke a device: it wipes its data at next contact")
    revoke.add_argument("client_id")
    users.set_defaults(func=cmd_users)

    teams = sub.add_parser("teams", help="list teams, rename them, set their manager or parent, move sellers")
    teams_sub = teams.add_subparsers(dest="teams_command", required=True)
    teams_sub.add_parser("list")
    rename = teams_sub.add_parser("rename")
    rename.add_argument("code")
    rename.add_argument("name")
    manager = teams_sub.add_parser("set-manager", help="make a manager the team's manager (the previous one leaves it)")
    manager.add_argument("code")
    manager.add_argument("login")
    parent = teams_sub.add_parser("set-parent", help="put a team under another (no PARENT: at the top)")
    parent.add_argument("code")
    parent.add_argument("parent", nargs="?")
    move = teams_sub.add_parser("move", help="move a seller into a team")
    move.add_argument("login")
    move.add_argument("code")
    teams.set_defaults(func=cmd_teams)


__all__ = ["add_admin_commands", "cmd_teams", "cmd_users"]
