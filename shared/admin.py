"""The administrator's API: what the server answers and accepts for users, teams and devices.

Shared so the app validates a form with the same model the server checks it with, and reads
the answers as typed values. Policies travel as their own models' JSON (`shared.rules`).
"""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from shared.models import Role
from shared.models.types import Code, Email, Login, Name, check_text

ParentCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=64, pattern=r"^[^\s|]*$"),
    AfterValidator(check_text),
    # check_text's rule in the OpenAPI too, as for Code (schemathesis reads the pattern).
    Field(json_schema_extra={"pattern": "^[^\\s|\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$"}),
]
"""A team's code, or "" for no team."""


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
    admin_fields: list[str] = Field(default_factory=list)
    """What an administrator set that the ERP's imports keep ('created': she created the user;
    else field names such as team_code); empty: all as the ERP sent it."""


class TeamChange(BaseModel):
    """A team's new name, manager and/or parent (a field left out stays as it is)."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    manager_login: Login | None = None
    parent_code: ParentCode | None = None
    """The team it goes under; "" puts it at the top (it belongs to none)."""


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
    admin_fields: list[str] = Field(default_factory=list)
    """What an administrator set that the ERP's imports keep (field names, or 'created')."""
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
