"""The administrator's API: what the server answers and accepts for users, teams and devices.

Shared so the app validates a form with the same model the server checks it with, and reads
the answers as typed values. Policies travel as their own models' JSON (`shared.rules`).
"""

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.models import Role
from shared.models.types import Code, Email, Login, Name


class UserCreate(BaseModel):
    """A new user: a seller needs a team and a home warehouse, a manager a team."""

    model_config = ConfigDict(extra="forbid")

    login: Login
    name: Name
    email: Email = ""
    role: Role
    team_code: Code | None = None
    home_warehouse: Code | None = None
    password: str = Field(min_length=1, max_length=256)


class PasswordReset(BaseModel):
    """An administrator's new password for a user (every session of the user ends)."""

    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=256)


class UserPublic(BaseModel):
    """A user as the administrator sees her: role, team, whether she can sign in, her devices."""

    login: str
    name: str
    email: str
    role: Role
    team_code: str | None
    home_warehouse: str | None
    has_password: bool
    is_active: bool
    devices: int
    last_seen_at: datetime | None


class TeamChange(BaseModel):
    """A team's new name, manager and/or parent (a field left out stays as it is)."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    manager_login: Login | None = None
    parent_code: Code | None = None
    """The team it goes under."""
    at_top: bool = False
    """The team goes to the top: it belongs to no other (not with `parent_code`)."""

    @model_validator(mode="after")
    def _one_place(self) -> Self:
        if self.at_top and self.parent_code is not None:
            raise ValueError("a team goes either under parent_code or at_top, not both")
        return self


class MemberMove(BaseModel):
    """A seller (or manager) moving into a team."""

    model_config = ConfigDict(extra="forbid")

    login: Login


class TeamPublic(BaseModel):
    """A team with its managers and its sellers."""

    code: str
    name: str
    parent_code: str | None = None
    """The team it belongs to (None at the top)."""
    managers: list[str]
    members: list[str]


class DevicePublic(BaseModel):
    """A registered device: whose, when it last reached the server, whether it is revoked."""

    client_id: str
    login: str
    name: str
    number: int
    created_at: datetime
    last_seen_at: datetime
    revoked_at: datetime | None


class AdminOverview(BaseModel):
    """What needs the administrator today."""

    stale_days: int
    stale_devices: list[DevicePublic]
    """Active devices that have not reached the server for `stale_days` days or more."""
    locked_logins: list[str]
    """Logins refused for too many failed sign-ins in the last window."""
    inactive_logins: list[str]
    """Deactivated accounts."""
    without_password: list[str]
    """Active accounts that cannot sign in yet (no password set)."""


__all__ = [
    "AdminOverview",
    "DevicePublic",
    "MemberMove",
    "PasswordReset",
    "TeamChange",
    "TeamPublic",
    "UserCreate",
    "UserPublic",
]
