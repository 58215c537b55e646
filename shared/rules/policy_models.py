"""The server's policies by name, and the model each one is checked with (on the server when it
is saved, in the administrator's app before it is sent)."""

from pydantic import BaseModel

from shared.rules.approval import ApprovalPolicy
from shared.rules.credit import CreditPolicy
from shared.rules.device_lock import DevicePolicy
from shared.rules.email_policy import EmailPolicy
from shared.rules.retention import RetentionPolicy

POLICY_MODELS: dict[str, type[BaseModel]] = {
    "approval": ApprovalPolicy,
    "credit": CreditPolicy,
    "email": EmailPolicy,
    "retention": RetentionPolicy,
    "device": DevicePolicy,
}

__all__ = ["POLICY_MODELS"]
