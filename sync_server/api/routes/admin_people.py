"""Users, teams and devices for administrators (every change in the audit log)."""

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter

from shared.admin import (
    AdminOverview,
    DevicePublic,
    MemberMove,
    PasswordReset,
    TeamChange,
    TeamPublic,
    UserCreate,
    UserPublic,
)
from sync_server.api.deps import AdminDep, EngineDep, SettingsDep
from sync_server.api.openapi import problems
from sync_server.services import device_admin, team_admin, user_admin
from sync_server.services.accounts import SignInLimits
from sync_server.services.transactions import read_transaction, write_transaction

router = APIRouter(prefix="/v1/admin", tags=["admin"])


@router.get("/overview", responses=problems(401, 403))
def read_overview(engine: EngineDep, settings: SettingsDep, _admin: AdminDep) -> AdminOverview:
    """What needs the administrator: silent devices, locked and deactivated accounts."""
    limits = SignInLimits(
        window=timedelta(minutes=settings.sign_in_window_minutes),
        per_login=settings.sign_in_failures_per_login,
        per_address=settings.sign_in_failures_per_address,
    )
    with read_transaction(engine) as conn:
        return device_admin.overview(conn, datetime.now(UTC), limits)


@router.get("/users", responses=problems(401, 403))
def read_users(engine: EngineDep, _admin: AdminDep) -> list[UserPublic]:
    """Every user with her role, team, whether she can sign in and her devices."""
    with read_transaction(engine) as conn:
        return user_admin.list_users(conn)


@router.post("/users", status_code=201, responses=problems(401, 403, 422))
def create_user(body: UserCreate, engine: EngineDep, admin: AdminDep) -> UserPublic:
    """Create a user with her role, team and first password."""
    with write_transaction(engine) as conn:
        return user_admin.create_user(conn, body, by=admin.login)


@router.post("/users/{login}/deactivate", responses=problems(401, 403, 404, 422))
def deactivate_user(login: str, engine: EngineDep, admin: AdminDep) -> UserPublic:
    """Turn an account off: it cannot sign in and its sessions end."""
    with write_transaction(engine) as conn:
        return user_admin.deactivate_user(conn, login, by=admin.login)


@router.post("/users/{login}/reactivate", responses=problems(401, 403, 404))
def reactivate_user(login: str, engine: EngineDep, admin: AdminDep) -> UserPublic:
    """Let a deactivated account sign in again."""
    with write_transaction(engine) as conn:
        return user_admin.reactivate_user(conn, login, by=admin.login)


@router.post("/users/{login}/password", responses=problems(401, 403, 404, 422))
def reset_password(login: str, body: PasswordReset, engine: EngineDep, admin: AdminDep) -> UserPublic:
    """Set a user's password; every session of hers ends."""
    with write_transaction(engine) as conn:
        return user_admin.reset_user_password(conn, login, body.password, by=admin.login)


@router.get("/teams", responses=problems(401, 403))
def read_teams(engine: EngineDep, _admin: AdminDep) -> list[TeamPublic]:
    """Every team with its manager and members."""
    with read_transaction(engine) as conn:
        return team_admin.list_teams(conn)


@router.patch("/teams/{code}", responses=problems(401, 403, 404, 422))
def change_team(code: str, body: TeamChange, engine: EngineDep, admin: AdminDep) -> TeamPublic:
    """Rename a team and/or give it a manager."""
    with write_transaction(engine) as conn:
        return team_admin.change_team(conn, code, body, by=admin.login)


@router.post("/teams/{code}/members", responses=problems(401, 403, 404, 422))
def move_member(code: str, body: MemberMove, engine: EngineDep, admin: AdminDep) -> TeamPublic:
    """Move a seller into this team."""
    with write_transaction(engine) as conn:
        return team_admin.move_member(conn, code, body.login, by=admin.login)


@router.get("/devices", responses=problems(401, 403))
def read_devices(engine: EngineDep, _admin: AdminDep) -> list[DevicePublic]:
    """Every registered device, the longest silent first."""
    with read_transaction(engine) as conn:
        return device_admin.list_devices(conn)
