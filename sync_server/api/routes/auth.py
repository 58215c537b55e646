"""Sign-in, logout, password change and device administration."""

from datetime import timedelta

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from shared.protocol import LoginRequest, LoginResponse
from sync_server.api.deps import AdminDep, EngineDep, PrincipalDep, SettingsDep, TokenDep
from sync_server.api.openapi import problems
from sync_server.services import accounts, auth
from sync_server.services.accounts import SignInLimits
from sync_server.services.transactions import write_transaction
from sync_server.settings import ServerSettings

router = APIRouter(prefix="/v1", tags=["auth"])


class PasswordChange(BaseModel):
    """The signed-in user's own password change."""

    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


def _limits(settings: ServerSettings) -> SignInLimits:
    return SignInLimits(
        window=timedelta(minutes=settings.sign_in_window_minutes),
        per_login=settings.sign_in_failures_per_login,
        per_address=settings.sign_in_failures_per_address,
    )


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.post("/auth/login", response_model=LoginResponse, responses=problems(401, 403, 413, 422, 426, 429, 503))
def login(body: LoginRequest, request: Request, engine: EngineDep, settings: SettingsDep) -> LoginResponse:
    """Sign in; registers the device on first use and returns a token bound to it. Too many
    failed attempts for the login or from the address: 429 with Retry-After."""
    ttl = timedelta(hours=settings.token_ttl_hours)
    return accounts.sign_in_throttled(engine, body, ttl, _address(request), _limits(settings))


@router.post("/auth/logout", status_code=204, responses=problems(401))
def logout(request: Request, engine: EngineDep, principal: PrincipalDep, token: TokenDep) -> None:
    """End this token's session; the device keeps its data until it signs in again."""
    with write_transaction(engine) as conn:
        accounts.log_out(conn, principal, token, _address(request))


@router.post("/auth/password", status_code=204, responses=problems(401, 413, 422, 429))
def change_password(
    body: PasswordChange, request: Request, engine: EngineDep, settings: SettingsDep, principal: PrincipalDep
) -> None:
    """Change one's own password (the current one is checked); every token of the user ends."""
    accounts.change_password(
        engine, principal, body.current_password, body.new_password, _address(request), _limits(settings)
    )


@router.post("/admin/devices/{client_id}/revoke", status_code=204, responses=problems(401, 403, 404))
def revoke_device(client_id: str, engine: EngineDep, admin: AdminDep) -> None:
    """Revoke a device: it is told to wipe its local data at its next contact."""
    with write_transaction(engine) as conn:
        auth.revoke_device(conn, client_id, by=admin.login)
