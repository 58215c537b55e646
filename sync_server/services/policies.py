"""Server-configured rules (DESIGN §5): approval, credit, e-mail and retention policies.

Stored as JSON in the `policies` table under the names below; a policy never set is the
model's defaults, so a fresh server quotes with sensible rules. Devices read both from
`GET /v1/policies` (they are not yet a synced entity; see the quoting report).
"""

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from shared.errors import NotFound, ValidationFailed
from shared.invalid_input import invalid_input, problem_lines
from shared.rules import ApprovalPolicy, CreditPolicy
from shared.rules.email_policy import EmailPolicy
from shared.rules.policy_models import POLICY_MODELS
from shared.rules.retention import RetentionPolicy
from sync_server.repository.database import Connection
from sync_server.repository.policy_store import store_policy, stored_policy
from sync_server.services.audit import AuditKind, audit

APPROVAL = "approval"
CREDIT = "credit"
EMAIL = "email"
RETENTION = "retention"
DEVICE = "device"
"""The tablets' app lock and offline grace (shared/rules/device_lock.py)."""
# One table, shared with the administrator's app (shared/rules/policy_models.py).


def _model_of(name: str) -> type[BaseModel]:
    try:
        return POLICY_MODELS[name]
    except KeyError:
        raise NotFound(f"no policy named {name!r}; the policies are {', '.join(sorted(POLICY_MODELS))}") from None


def load_policy(conn: Connection, name: str) -> BaseModel:
    """The stored policy `name`, or its defaults when none was ever saved."""
    model = _model_of(name)
    stored = stored_policy(conn, name)
    return model() if stored is None else model.model_validate(json.loads(stored))


def approval_policy(conn: Connection) -> ApprovalPolicy:
    """The approval policy in force."""
    return load_policy(conn, APPROVAL)  # type: ignore[return-value]


def credit_policy(conn: Connection) -> CreditPolicy:
    """The credit policy in force."""
    return load_policy(conn, CREDIT)  # type: ignore[return-value]


def email_policy(conn: Connection) -> EmailPolicy:
    """The e-mail policy in force."""
    return load_policy(conn, EMAIL)  # type: ignore[return-value]


def retention_policy(conn: Connection) -> RetentionPolicy:
    """The retention policy in force."""
    return load_policy(conn, RETENTION)  # type: ignore[return-value]


def deletes_retention_days(conn: Connection, fallback: int) -> int:
    """How long deletes are kept: the retention policy's, or `fallback` (the server's setting,
    TERRENO_TOMBSTONE_RETENTION_DAYS) while no administrator has saved one."""
    return retention_policy(conn).deletes_days if stored_policy(conn, RETENTION) is not None else fallback


def save_policy(conn: Connection, name: str, data: dict[str, Any], now: datetime, by: str | None = None) -> BaseModel:
    """Validate and store policy `name` (the whole policy: omitted fields take their defaults);
    the audit log notes who (`by`; None from the command line) changed which fields, old → new."""
    model = _model_of(name)
    try:
        policy = model.model_validate(data)
    except ValidationError as exc:
        problems = problem_lines(exc.errors(), where=name)
        first = invalid_input(exc)
        raise ValidationFailed(
            f"invalid {name} policy: " + "; ".join(problems),
            key=first.key,
            params=first.params,
            field=first.extra.get("field"),
            errors=problems,
        ) from None
    before = policy_json(load_policy(conn, name))
    after = policy_json(policy)
    store_policy(conn, name, json.dumps(after, sort_keys=True), now)
    changed = policy_changes(before, after)
    if changed:
        audit(conn, AuditKind.POLICY_CHANGED, login=by, subject=name, detail="; ".join(changed), at=now)
    return policy


def policy_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Each changed field as 'field: old → new' (a mapping's entries one by one)."""
    lines = []
    for field in sorted(set(before) | set(after)):
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            for key in sorted(set(old) | set(new)):
                if old.get(key) != new.get(key):
                    lines.append(f"{field}.{key}: {_shown(old.get(key))} → {_shown(new.get(key))}")
        else:
            lines.append(f"{field}: {_shown(old)} → {_shown(new)}")
    return lines


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def policy_json(policy: BaseModel) -> dict[str, Any]:
    """A policy as JSON with its sets sorted, so the same policy always reads the same."""
    data = policy.model_dump(mode="json")
    for name, value in data.items():
        if isinstance(getattr(policy, name), frozenset):
            data[name] = sorted(value)
    return data


def policies_as_json(conn: Connection) -> dict[str, dict[str, Any]]:
    """Every policy in force as JSON, by name (what devices apply offline)."""
    return {name: policy_json(load_policy(conn, name)) for name in sorted(POLICY_MODELS)}


__all__ = [
    "APPROVAL",
    "CREDIT",
    "DEVICE",
    "EMAIL",
    "POLICY_MODELS",
    "RETENTION",
    "approval_policy",
    "credit_policy",
    "email_policy",
    "load_policy",
    "deletes_retention_days",
    "policies_as_json",
    "policy_changes",
    "policy_json",
    "retention_policy",
    "save_policy",
]
