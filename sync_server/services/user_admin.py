"""Users as an administrator manages them: list, create, deactivate, reactivate, reset a password.

A user is a synced record (the directory bucket: devices show names and teams); her password
and whether she may sign in are the server's alone. Every change is in the audit log, in the
same transaction: who (`by`; None from the command line), whose, and what changed.
"""

from datetime import UTC, datetime

from pydantic import ValidationError

from shared.admin import UserCreate, UserPublic
from shared.errors import NotFound, ValidationFailed
from shared.invalid_input import invalid_input
from shared.models import Role, User
from shared.rules.passwords import check_password as check_password_policy
from sync_server.repository import admin_edits, identity, people
from sync_server.repository.database import Connection
from sync_server.services.accounts import reset_password
from sync_server.services.admin_edits import put_edited
from sync_server.services.audit import AuditKind, audit
from sync_server.services.auth import set_password


def list_users(conn: Connection) -> list[UserPublic]:
    """Every user, by role then login, with whether she can sign in and her devices."""
    with_password = identity.logins_with_password(conn)
    inactive = people.deactivated_logins(conn)
    counts = people.device_counts(conn)
    kept = admin_edits.edited_fields(conn, "user")
    return [
        UserPublic(
            login=u.login,
            name=u.name,
            email=u.email or "",
            role=Role(u.role),
            team_code=u.team_code,
            home_warehouse=u.home_warehouse,
            has_password=u.login in with_password,
            is_active=u.login not in inactive,
            devices=counts.get(u.login, (0, None))[0],
            last_seen_at=counts.get(u.login, (0, None))[1],
            admin_fields=kept.get(u.login, []),
        )
        for u in identity.users_by_role(conn)
    ]


def user_record(conn: Connection, login: str) -> User:
    """The stored user; NotFound when there is none."""
    row = identity.user_row(conn, login)
    if row is None:
        raise NotFound(f"no user with login {login!r}", key="problem.admin.no_user", params={"login": login})
    return User.model_validate(row._asdict())


def create_user(conn: Connection, new: UserCreate, by: str | None = None) -> UserPublic:
    """Store a new user with her password; her team and warehouse must exist, her login be free."""
    if identity.user_row(conn, new.login) is not None:
        raise ValidationFailed(
            f"a user with login {new.login!r} exists already",
            key="problem.admin.login_taken",
            params={"login": new.login},
            field="login",
        )
    try:
        user = User(**new.model_dump(exclude={"password"}))
    except ValidationError as exc:
        raise _needs_team(new) if new.role == Role.SELLER else invalid_input(exc) from None
    if user.team_code is not None and people.team_row(conn, user.team_code) is None:
        raise ValidationFailed(
            f"no team {user.team_code!r}",
            key="problem.admin.no_team",
            params={"team": user.team_code},
            field="team_code",
        )
    if user.home_warehouse is not None and not people.has_warehouse(conn, user.home_warehouse):
        raise ValidationFailed(
            f"no warehouse {user.home_warehouse!r}",
            key="problem.admin.no_warehouse",
            params={"warehouse": user.home_warehouse},
            field="home_warehouse",
        )
    check_password_policy(new.password, new.login)
    put_edited(conn, None, user, by)
    set_password(conn, user.login, new.password)
    where = f", team {user.team_code}" if user.team_code else ""
    audit(conn, AuditKind.USER_CREATED, login=by, subject=user.login, detail=f"(none) → {user.role}{where}")
    return _public(conn, user.login)


def _needs_team(new: UserCreate) -> ValidationFailed:
    field = "team_code" if not new.team_code else "home_warehouse"
    return ValidationFailed(
        "a seller needs a team and a home warehouse", key="problem.admin.seller_needs_team", field=field
    )


def deactivate_user(conn: Connection, login: str, by: str | None = None) -> UserPublic:
    """Turn an account off: it cannot sign in, and every session of it ends now."""
    user_record(conn, login)
    if by is not None and login == by:
        raise ValidationFailed("you cannot deactivate your own account", key="problem.admin.not_yourself")
    if people.is_deactivated(conn, login):
        return _public(conn, login)
    people.deactivate(conn, login, datetime.now(UTC), by)
    ended = identity.delete_tokens_of(conn, login)
    audit(
        conn,
        AuditKind.USER_DEACTIVATED,
        login=by,
        subject=login,
        detail=f"active → deactivated ({ended} sessions ended)",
    )
    return _public(conn, login)


def reactivate_user(conn: Connection, login: str, by: str | None = None) -> UserPublic:
    """Let a deactivated account sign in again."""
    user_record(conn, login)
    if people.reactivate(conn, login):
        audit(conn, AuditKind.USER_REACTIVATED, login=by, subject=login, detail="deactivated → active")
    return _public(conn, login)


def reset_user_password(conn: Connection, login: str, password: str, by: str | None = None) -> UserPublic:
    """Set a user's password as an administrator; every session of the user ends."""
    user_record(conn, login)
    reset_password(conn, login, password, by=by)
    return _public(conn, login)


def _public(conn: Connection, login: str) -> UserPublic:
    return next(u for u in list_users(conn) if u.login == login)


__all__ = ["create_user", "deactivate_user", "list_users", "reactivate_user", "reset_user_password", "user_record"]
