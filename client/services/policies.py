"""The server's approval, credit and device policies, kept on the device and applied offline.

Fetched at the end of every successful sync round (two small JSON objects); a device that
never fetched them applies the models' defaults, as a fresh server does.
"""

import json
from datetime import UTC, datetime

from pydantic import ValidationError

from client.services.session import Session
from client.sync.errors import BadResponse
from shared.rules import ApprovalPolicy, CreditPolicy
from shared.rules.device_lock import DevicePolicy

MODELS: dict[str, type[ApprovalPolicy] | type[CreditPolicy] | type[DevicePolicy]] = {
    "approval": ApprovalPolicy,
    "credit": CreditPolicy,
    "device": DevicePolicy,
}


def refresh_policies(session: Session) -> None:
    """Fetch the policies in force and store them (all or nothing)."""
    body = session.api.policies()
    rows = []
    for name, model in MODELS.items():
        try:
            policy = model.model_validate(body.get(name, {}))
        except ValidationError as exc:
            raise BadResponse(f"the server's {name} policy is not one this app understands: {exc}") from None
        rows.append((name, json.dumps(policy.model_dump(mode="json"), sort_keys=True, default=sorted)))
    now = datetime.now(UTC).isoformat()
    with session.store.write() as db:
        for name, data in rows:
            db.execute(
                "INSERT INTO policies (name, data, fetched_at) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at",
                [name, data, now],
            )


__all__ = ["refresh_policies"]
