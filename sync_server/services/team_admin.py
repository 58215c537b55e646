"""Teams as an administrator manages them: list, rename, set the manager, put a team under
another, move people between teams.

Teams and their people are synced records (the directory bucket), so each change is a new
version devices pull; a manager's scope (`services.scope`) follows her team's members at her
next pull. Every change is in the audit log with its old and new value.
"""

from shared.admin import TeamChange, TeamPublic
from shared.errors import NotFound, ValidationFailed
from shared.models import Role, Team, User
from shared.rules.teams import cycles
from sync_server.repository import admin_edits, directory, identity, people
from sync_server.repository.database import Connection
from sync_server.services.admin_edits import put_edited
from sync_server.services.audit import AuditKind, audit
from sync_server.services.user_admin import user_record


def list_teams(conn: Connection) -> list[TeamPublic]:
    """Every team with its managers and its other members, by code."""
    users = identity.users_by_role(conn)
    kept = admin_edits.edited_fields(conn, "team")
    teams = []
    for team in people.team_rows(conn):
        in_team = [u for u in users if u.team_code == team.code]
        teams.append(
            TeamPublic(
                code=team.code,
                name=team.name,
                parent_code=team.parent_code,
                admin_fields=kept.get(team.code, []),
                managers=sorted(u.login for u in in_team if u.role == Role.MANAGER),
                members=sorted(u.login for u in in_team if u.role != Role.MANAGER),
            )
        )
    return teams


def team_record(conn: Connection, code: str) -> Team:
    """The stored team; NotFound when there is none."""
    row = people.team_row(conn, code)
    if row is None:
        raise NotFound(f"no team {code!r}", key="problem.admin.no_team", params={"team": code})
    return Team.model_validate(row._asdict())


def rename_team(conn: Connection, code: str, name: str, by: str | None = None) -> TeamPublic:
    """Give a team a new name."""
    team = team_record(conn, code)
    renamed = team.model_copy(update={"name": Team.model_validate({"code": code, "name": name}).name})
    if renamed.name != team.name:
        put_edited(conn, team, renamed, by)
        audit(conn, AuditKind.TEAM_RENAMED, login=by, subject=code, detail=f"{team.name} → {renamed.name}")
    return _public(conn, code)


def set_parent(conn: Connection, code: str, parent_code: str | None, by: str | None = None) -> TeamPublic:
    """Put a team under another (None: at the top); its managers' scopes follow at their next pull."""
    team = team_record(conn, code)
    if parent_code is not None and people.team_row(conn, parent_code) is None:
        raise ValidationFailed(
            f"no team {parent_code!r}",
            key="problem.admin.no_team",
            params={"team": parent_code},
            field="parent_code",
        )
    if parent_code == team.parent_code:
        return _public(conn, code)
    parents = {**directory.team_parents(conn), code: parent_code}
    if cycles(parents):
        raise ValidationFailed(
            f"team {code} cannot go under {parent_code}, which is itself or below it",
            key="problem.admin.team_loop",
            params={"team": code, "parent": parent_code},
            field="parent_code",
        )
    put_edited(conn, team, team.model_copy(update={"parent_code": parent_code}), by)
    audit(
        conn,
        AuditKind.TEAM_PARENT_SET,
        login=by,
        subject=code,
        detail=f"parent: {team.parent_code or '(none)'} → {parent_code or '(none)'}",
    )
    return _public(conn, code)


def set_manager(conn: Connection, code: str, login: str, by: str | None = None) -> TeamPublic:
    """Make a manager the team's manager: she moves into the team, and the team's previous
    manager leaves it (she keeps her account and can be given another team)."""
    team_record(conn, code)
    manager = user_record(conn, login)
    if manager.role != Role.MANAGER:
        raise ValidationFailed(
            f"{login} is not a manager", key="problem.admin.not_a_manager", params={"login": login}, field="manager"
        )
    previous = [u for u in identity.users_by_role(conn) if u.team_code == code and u.role == Role.MANAGER]
    if [u.login for u in previous] == [login]:
        return _public(conn, code)
    for row in previous:
        left = User.model_validate(row._asdict())
        put_edited(conn, left, left.model_copy(update={"team_code": None}), by)
    put_edited(conn, manager, manager.model_copy(update={"team_code": code}), by)
    before = ", ".join(u.login for u in previous) or "(none)"
    audit(conn, AuditKind.TEAM_MANAGER_SET, login=by, subject=code, detail=f"manager: {before} → {login}")
    return _public(conn, code)


def move_member(conn: Connection, code: str, login: str, by: str | None = None) -> TeamPublic:
    """Move a seller into a team (her portfolio goes with her; her new manager sees it)."""
    team_record(conn, code)
    user = user_record(conn, login)
    if user.role != Role.SELLER:
        raise ValidationFailed(
            f"{login} is not a seller; a manager joins a team as its manager",
            key="problem.admin.not_a_seller",
            params={"login": login},
            field="login",
        )
    if user.team_code != code:
        put_edited(conn, user, user.model_copy(update={"team_code": code}), by)
        audit(
            conn, AuditKind.USER_MOVED, login=by, subject=login, detail=f"team: {user.team_code or '(none)'} → {code}"
        )
    return _public(conn, code)


def change_team(conn: Connection, code: str, change: TeamChange, by: str | None = None) -> TeamPublic:
    """Rename a team, set its manager and/or its parent (one transaction: all or none)."""
    team_record(conn, code)
    if change.name is not None:
        rename_team(conn, code, change.name, by=by)
    if change.manager_login is not None:
        set_manager(conn, code, change.manager_login, by=by)
    if change.parent_code is not None:
        set_parent(conn, code, change.parent_code or None, by=by)
    return _public(conn, code)


def _public(conn: Connection, code: str) -> TeamPublic:
    return next(t for t in list_teams(conn) if t.code == code)


__all__ = ["change_team", "list_teams", "move_member", "rename_team", "set_manager", "set_parent", "team_record"]
