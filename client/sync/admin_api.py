"""The administrator's calls to the server (users, teams, devices, policies): online only.

Typed with the shared admin models; failures raise as `SyncApi` does (a DomainError from the
server's problem, `Offline` when it cannot be reached, `BadResponse` for an answer that is not
what the server promises).
"""

from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from client.sync.errors import BadResponse
from client.sync.http import SyncApi
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

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def _as(kind: Any, body: Any) -> Any:
    try:
        return TypeAdapter(kind).validate_python(body)
    except ValidationError as exc:
        raise BadResponse(f"not a {kind}: {exc.error_count()} problem(s)") from exc


def _body(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


class AdminApi:
    """The administrator's routes (`/v1/admin/...`) over a signed-in SyncApi."""

    def __init__(self, api: SyncApi) -> None:
        self.api = api

    def overview(self) -> AdminOverview:
        """What needs the administrator today."""
        return _as(AdminOverview, self.api.call_json("GET", "/v1/admin/overview"))

    def users(self) -> list[UserPublic]:
        """Every user."""
        return _as(list[UserPublic], self.api.call_json("GET", "/v1/admin/users"))

    def create_user(self, new: UserCreate) -> UserPublic:
        """Create a user."""
        return _as(UserPublic, self.api.call_json("POST", "/v1/admin/users", _body(new)))

    def deactivate_user(self, login: str) -> UserPublic:
        """Turn an account off."""
        return _as(UserPublic, self.api.call_json("POST", f"/v1/admin/users/{login}/deactivate"))

    def reactivate_user(self, login: str) -> UserPublic:
        """Turn an account back on."""
        return _as(UserPublic, self.api.call_json("POST", f"/v1/admin/users/{login}/reactivate"))

    def reset_password(self, login: str, reset: PasswordReset) -> UserPublic:
        """Set a user's password (her sessions end)."""
        return _as(UserPublic, self.api.call_json("POST", f"/v1/admin/users/{login}/password", _body(reset)))

    def teams(self) -> list[TeamPublic]:
        """Every team."""
        return _as(list[TeamPublic], self.api.call_json("GET", "/v1/admin/teams"))

    def change_team(self, code: str, change: TeamChange) -> TeamPublic:
        """Rename a team and/or set its manager."""
        return _as(TeamPublic, self.api.call_json("PATCH", f"/v1/admin/teams/{code}", _body(change)))

    def move_member(self, code: str, move: MemberMove) -> TeamPublic:
        """Move a seller into a team."""
        return _as(TeamPublic, self.api.call_json("POST", f"/v1/admin/teams/{code}/members", _body(move)))

    def devices(self) -> list[DevicePublic]:
        """Every registered device."""
        return _as(list[DevicePublic], self.api.call_json("GET", "/v1/admin/devices"))

    def revoke_device(self, client_id: str) -> None:
        """Revoke a device (it wipes its data at its next contact)."""
        self.api.call_json("POST", f"/v1/admin/devices/{client_id}/revoke")

    def policies(self) -> dict[str, dict[str, Any]]:
        """Every policy in force, by name, as JSON."""
        return _as(dict[str, dict[str, Any]], self.api.call_json("GET", "/v1/policies"))

    def save_policy(self, name: str, data: dict[str, Any]) -> dict[str, Any]:
        """Replace a policy; the policy as stored."""
        return _as(dict[str, Any], self.api.call_json("PUT", f"/v1/admin/policies/{name}", data))


__all__ = ["AdminApi"]
