"""The administrator's work: users, teams, devices and policies, on the server (online only).

Each function is one call to the server through `client.sync.admin_api`; forms are checked
with the same shared models the server checks them with first, so a mistake is named under its
field without a round trip. A server that cannot be reached raises `Offline` (the screens say
that these tasks need a connection).
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ValidationError

from client.services.session import Session
from client.sync import BadResponse  # re-exported: the admin screens name it, views import services only
from client.sync.admin_api import AdminApi
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
from shared.errors import ValidationFailed
from shared.invalid_input import invalid_input
from shared.models import Role
from shared.rules.policy_models import POLICY_MODELS


def _admin(session: Session) -> AdminApi:
    return AdminApi(session.api)


def _checked(model: type[BaseModel], **values: Any) -> Any:
    try:
        return model(**values)
    except ValidationError as exc:
        raise invalid_input(exc) from None


def admin_overview(session: Session) -> AdminOverview:
    """What needs the administrator today."""
    return _admin(session).overview()


def list_users(session: Session) -> list[UserPublic]:
    """Every user."""
    return _admin(session).users()


def create_user(
    session: Session,
    *,
    login: str,
    name: str,
    role: Role | str,
    password: str,
    team_code: str = "",
    home_warehouse: str = "",
    email: str = "",
) -> UserPublic:
    """Create a user (an empty team or warehouse is none)."""
    new = _checked(
        UserCreate,
        login=login.strip().lower(),
        name=name,
        email=email.strip(),
        role=role,
        team_code=team_code.strip() or None,
        home_warehouse=home_warehouse.strip() or None,
        password=password,
    )
    return _admin(session).create_user(new)


def deactivate_user(session: Session, login: str) -> UserPublic:
    """Turn an account off (it cannot sign in; its sessions end)."""
    return _admin(session).deactivate_user(login)


def reactivate_user(session: Session, login: str) -> UserPublic:
    """Turn an account back on."""
    return _admin(session).reactivate_user(login)


def reset_password(session: Session, login: str, password: str) -> UserPublic:
    """Set a user's password; every session of hers ends."""
    return _admin(session).reset_password(login, _checked(PasswordReset, password=password))


def list_teams(session: Session) -> list[TeamPublic]:
    """Every team with its manager and members."""
    return _admin(session).teams()


def change_team(
    session: Session,
    code: str,
    *,
    name: str | None = None,
    manager_login: str | None = None,
    parent_code: str | None = None,
) -> TeamPublic:
    """Rename a team, give it a manager and/or put it under another ("" for parent_code: at the top)."""
    change = _checked(
        TeamChange,
        name=name,
        manager_login=manager_login or None,
        parent_code=parent_code,
    )
    return _admin(session).change_team(code, change)


def move_member(session: Session, code: str, login: str) -> TeamPublic:
    """Move a seller into a team."""
    return _admin(session).move_member(code, _checked(MemberMove, login=login))


def list_devices(session: Session) -> list[DevicePublic]:
    """Every registered device, the longest silent first."""
    return _admin(session).devices()


def revoke_device(session: Session, client_id: str) -> bool:
    """Revoke a device; it wipes its data at its next contact. True once done."""
    _admin(session).revoke_device(client_id)
    return True


class FieldKind(StrEnum):
    """How a policy field is edited."""

    SWITCH = "switch"
    TEXT = "text"
    PAIRS = "pairs"
    """One `name = value` per line (discount bands, seller bands)."""
    LIST = "list"
    """Values separated by commas."""


@dataclass(frozen=True, slots=True)
class PolicyField:
    """One field of a policy as the form shows it: its kind, and its value as text or a switch."""

    name: str
    kind: FieldKind
    text: str = ""
    is_on: bool = False


def policy_fields(data: dict[str, Any]) -> list[PolicyField]:
    """A policy's fields in the model's order, each editable by the kind of its value (so a
    field added to a policy model shows up in the form without a change here)."""
    fields = []
    for name, value in data.items():
        if isinstance(value, bool):
            fields.append(PolicyField(name, FieldKind.SWITCH, is_on=value))
        elif isinstance(value, dict):
            fields.append(PolicyField(name, FieldKind.PAIRS, "\n".join(f"{k} = {v}" for k, v in value.items())))
        elif isinstance(value, list):
            fields.append(PolicyField(name, FieldKind.LIST, ", ".join(str(v) for v in value)))
        else:
            fields.append(PolicyField(name, FieldKind.TEXT, "" if value is None else str(value)))
    return fields


def read_policies(session: Session) -> dict[str, list[PolicyField]]:
    """Every policy in force, by name, as form fields."""
    return {name: policy_fields(data) for name, data in _admin(session).policies().items()}


def save_policy(session: Session, name: str, fields: list[PolicyField]) -> list[PolicyField]:
    """Check the edited fields with the policy's model, then replace the policy on the server;
    the policy as stored. ValidationFailed names the field (`extra["field"]`) to correct."""
    data = {field.name: _value(field) for field in fields}
    model = POLICY_MODELS.get(name)
    if model is not None:
        try:
            model.model_validate(data)
        except ValidationError as exc:
            raise invalid_input(exc) from None
    return policy_fields(_admin(session).save_policy(name, data))


def _value(field: PolicyField) -> Any:
    if field.kind == FieldKind.SWITCH:
        return field.is_on
    if field.kind == FieldKind.LIST:
        return [part.strip() for part in field.text.split(",") if part.strip()]
    if field.kind == FieldKind.PAIRS:
        pairs = {}
        for line in field.text.splitlines():
            if not line.strip():
                continue
            key, equals, value = line.partition("=")
            if not equals or not key.strip() or not value.strip():
                raise ValidationFailed(
                    f"{field.name}: write each line as name = value, not {line.strip()!r}",
                    key="problem.policy.pair_line",
                    params={"line": line.strip()},
                    field=field.name,
                )
            pairs[key.strip()] = value.strip()
        return pairs
    return field.text.strip()


__all__ = [
    "BadResponse",
    "FieldKind",
    "PolicyField",
    "admin_overview",
    "change_team",
    "create_user",
    "deactivate_user",
    "list_devices",
    "list_teams",
    "list_users",
    "move_member",
    "policy_fields",
    "reactivate_user",
    "read_policies",
    "reset_password",
    "revoke_device",
    "save_policy",
]
