"""Server-configured rules (DESIGN §5): the approval policy and the credit policy.

Stored as JSON in the `policies` table under the names below; a policy never set is the
model's defaults, so a fresh server quotes with sensible rules. Devices read both from
`GET /v1/policies` (they are not yet a synced entity; see the quoting report).
"""

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from shared.errors import NotFound, ValidationFailed
from shared.invalid_input import problem_lines
from shared.rules import ApprovalPolicy, CreditPolicy
from shared.rules.device_lock import DevicePolicy
from shared.rules.email_policy import EmailPolicy
from sync_server.repository.database import Connection
from sync_server.repository.policy_store import store_policy, stored_policy

APPROVAL = "approval"
CREDIT = "credit"
EMAIL = "email"
DEVICE = "device"
"""The tablets' app lock and offline grace (shared/rules/device_lock.py)."""
POLICY_MODELS: dict[str, type[BaseModel]] = {
    APPROVAL: ApprovalPolicy,
    CREDIT: CreditPolicy,
    EMAIL: EmailPolicy,
    DEVICE: DevicePolicy,
}


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


def save_policy(conn: Connection, name: str, data: dict[str, Any], now: datetime) -> BaseModel:
    """Validate and store policy `name` (the whole policy: omitted fields take their defaults)."""
    model = _model_of(name)
    try:
        policy = model.model_validate(data)
    except ValidationError as exc:
        problems = problem_lines(exc.errors(), where=name)
        raise ValidationFailed(f"invalid {name} policy: " + "; ".join(problems), errors=problems) from None
    text = json.dumps(policy_json(policy), sort_keys=True)
    store_policy(conn, name, text, now)
    return policy


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
    "approval_policy",
    "credit_policy",
    "email_policy",
    "load_policy",
    "policies_as_json",
    "policy_json",
    "save_policy",
]
