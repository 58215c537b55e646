"""Sign-in and device administration."""

from datetime import timedelta

from fastapi import APIRouter

from shared.protocol import LoginRequest, LoginResponse
from sync_server.api.deps import AdminDep, EngineDep, SettingsDep
from sync_server.services import auth
from sync_server.services.transactions import write_transaction

router = APIRouter(prefix="/v1", tags=["auth"])


@router.post("/auth/login", response_model=LoginResponse)
def login(body: LoginRequest, engine: EngineDep, settings: SettingsDep) -> LoginResponse:
    """Sign in; registers the device on first use and returns a token bound to it."""
    with write_transaction(engine) as conn:
        return auth.sign_in(conn, body, timedelta(hours=settings.token_ttl_hours))


@router.post("/admin/devices/{client_id}/revoke", status_code=204)
def revoke_device(client_id: str, engine: EngineDep, _admin: AdminDep) -> None:
    """Revoke a device: it is told to wipe its local data at its next contact."""
    with write_transaction(engine) as conn:
        auth.revoke_device(conn, client_id)
