"""The seller's words for what rules, services and the server describe by message key.

Errors (`DomainError.key`), approval rules (`FiredRule.key`), credit reasons
(`CreditReason.key`) and the server's refusals of pushed changes (`SyncIssue.key`) name a
catalog message and give its values (see shared.messages); this module is the one place
that turns them into the seller's language, with the locale's money, numbers and dates.
A key this app has no words for (a newer server's) falls back to the English the app
showed before, so nothing is ever blank.
"""

import logging
import uuid
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from client.i18n import Translator
from client.i18n.messages import MissingWords, describe, render
from client.services.synchronization import Offline
from shared.errors import (
    ERRORS_BY_CODE,
    AuthError,
    DeviceRevoked,
    DomainError,
    ImportFailed,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from shared.invalid_input import invalid_input
from shared.rules.approval import FiredRule
from shared.rules.credit import CreditReason

log = logging.getLogger(__name__)


def describe_rule(t: Translator, rule: FiredRule) -> str:
    """Why an approval rule fired, e.g. "Línea 1 (TOR-001): descuento del 12 % ..."."""
    return describe(t, rule.key, rule.params, rule.reason)


def describe_credit_reason(t: Translator, reason: CreditReason) -> str:
    """One reason of a customer's credit readiness, e.g. "Supera el límite de crédito en 1.200,00 €"."""
    return describe(t, reason.key, reason.params, reason.text)


def field_names(t: Translator, fields: Iterable[str]) -> str:
    """Record fields in the seller's words (a merge's fields where the server's value won)."""
    return ", ".join(t.label_of("Field", f) if t.has(f"enum.Field.{f}") else f for f in fields)


def describe_error(t: Translator, error: BaseException) -> str:
    """The words a seller reads when something they asked for fails."""
    if isinstance(error, DeviceRevoked):
        return t("error.device_revoked")
    if isinstance(error, AuthError):  # by its key: a wrong password, or a sign-in that ran out
        return describe(t, error.key, error.params, t("error.sign_in_again"))
    if isinstance(error, Offline):
        return t("error.offline")
    if isinstance(error, DomainError):
        return describe(t, error.key, error.params, _framed(t, error))
    if isinstance(error, ValidationError):  # a form value a record's model refused
        return describe_error(t, invalid_input(error))
    if isinstance(error, ValueError):
        return _framed(t, error)
    # Not a failure the app knows: a bug. Its traceback goes to the app's log under a
    # reference the seller can give to whoever looks at the log.
    reference = uuid.uuid4().hex[:8]
    log.error("unexpected error, reference %s", reference, exc_info=error)
    return t("error.unexpected", reference=reference)


def describe_refusal(
    t: Translator, code: str | None, key: str | None, params: dict[str, Any] | None, detail: str
) -> str:
    """Why the server refused a pushed change (a sync issue's code, key, params and detail)."""
    kind = ERRORS_BY_CODE.get(code or "", DomainError)
    as_error = (kind if kind is not ImportFailed else DomainError)(detail or code or "?")
    return describe(t, key, params, _framed(t, as_error))


def _framed(t: Translator, error: BaseException) -> str:
    """An error without words of its own: its English detail in a translated frame."""
    detail = error.detail if isinstance(error, DomainError) else str(error)
    if isinstance(error, NotFound):
        return t("error.not_found", detail=detail)
    if isinstance(error, PermissionDenied):
        return t("error.not_allowed", detail=detail)
    if isinstance(error, ValidationFailed | ValueError):
        return t("error.invalid", detail=detail[:1].upper() + detail[1:])
    return detail[:1].upper() + detail[1:]


__all__ = [
    "MissingWords",
    "describe",
    "describe_credit_reason",
    "describe_error",
    "describe_refusal",
    "describe_rule",
    "render",
]
