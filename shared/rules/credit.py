"""Credit readiness before quoting and before sending, and the portfolio's credit chips.

Exposure = open balance + open orders (both from the ERP) + `pending_amount` (the seller's
own quotes and orders the ERP does not know yet) + `quote_amount` (the quote being checked,
gross). Every amount is in the credit's currency; the caller converts first.

Readiness with the default `CreditPolicy`, each reason a sentence a seller can say:
- blocked   : the ERP blocked the customer (its reason is repeated); exposure over the limit;
              the oldest overdue invoice more than 60 days past due.
- warning   : exposure at or above 90 % of the limit; any overdue invoice up to 60 days; an
              open dispute; prepayment required; no credit row from the ERP.
- ok        : none of these.
A prepayment customer is not checked against its limit (ERP limit 0, nothing goes on
credit); "prepayment required" is a warning so the seller says it before quoting. The
status is the most severe reason's; every reason is kept, most severe first.

Chips (`credit_chips`) are the portfolio's at-a-glance view of the ERP row alone, as the
client showed them before: blocked, overdue, prepayment, near_limit (open balance + open
orders > 0 and ≥ 90 % of the limit, so over the limit too), else ok.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.messages import money, number, percent
from shared.models import Credit, CreditStatus
from shared.rules.formats import format_money, format_percent

ZERO = Decimal(0)
_SEVERITY = {CreditStatus.OK: 0, CreditStatus.WARNING: 1, CreditStatus.BLOCKED: 2}


class CreditPolicy(BaseModel):
    """Thresholds of credit readiness; the defaults are the company's unless the server sends others."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    near_limit_percent: Decimal = Field(default=Decimal(90), gt=0, le=100)
    """Exposure from this share of the limit up is a warning (and the near_limit chip)."""
    block_overdue_days: int = Field(default=60, ge=0)
    """An oldest overdue invoice more than this many days late blocks; fewer is a warning."""
    over_limit_blocks: bool = True
    """Exposure above the limit blocks; False makes it a warning."""
    dispute_warns: bool = True
    """An open dispute is a warning."""


class CreditReasonCode(StrEnum):
    BLOCKED = "blocked"
    OVER_LIMIT = "over_limit"
    OVERDUE = "overdue"
    NEAR_LIMIT = "near_limit"
    DISPUTE = "dispute"
    PREPAYMENT = "prepayment_required"
    NO_CREDIT_DATA = "no_credit_data"


class CreditChip(StrEnum):
    BLOCKED = "blocked"
    OVERDUE = "overdue"
    PREPAYMENT = "prepayment"
    NEAR_LIMIT = "near_limit"
    OK = "ok"


@dataclass(frozen=True, slots=True)
class CreditReason:
    """One fact about the customer's credit, how severe it is, and how to say it.

    `text` is English (the manager's side, logs); the app says it in the seller's language
    from `key` and `params` (see shared.messages).
    """

    code: CreditReasonCode
    status: CreditStatus
    text: str
    key: str | None = None
    params: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class CreditReadiness:
    """Whether the customer can be quoted: ok | warning | blocked, with every reason."""

    status: CreditStatus
    reasons: tuple[CreditReason, ...]
    currency: str | None = None
    exposure: Decimal = ZERO
    credit_limit: Decimal = ZERO
    available: Decimal = ZERO
    """Limit − exposure; negative when over the limit."""

    @property
    def is_blocked(self) -> bool:
        """Whether the status is blocked."""
        return self.status == CreditStatus.BLOCKED

    @property
    def texts(self) -> tuple[str, ...]:
        """The reasons as sentences, most severe first."""
        return tuple(r.text for r in self.reasons)


def check_credit(
    credit: Credit | None,
    pending_amount: Decimal = ZERO,
    quote_amount: Decimal = ZERO,
    policy: CreditPolicy | None = None,
) -> CreditReadiness:
    """Readiness of a customer's credit for a quote of `quote_amount` (credit currency)."""
    policy = policy or CreditPolicy()
    if credit is None:
        reason = CreditReason(
            CreditReasonCode.NO_CREDIT_DATA,
            CreditStatus.WARNING,
            "No credit information from the ERP yet: check with finance before promising terms",
            key="credit_reason.no_credit_data",
        )
        return CreditReadiness(CreditStatus.WARNING, (reason,))
    cur = credit.currency
    exposure = credit.open_balance + credit.open_orders + pending_amount + quote_amount
    limit = credit.credit_limit
    reasons: list[CreditReason] = []
    if credit.blocked:
        reasons.append(
            CreditReason(
                CreditReasonCode.BLOCKED,
                CreditStatus.BLOCKED,
                f"Blocked by finance: {credit.block_reason}",
                key="credit_reason.blocked",
                params={"reason": credit.block_reason or "—"},
            )
        )
    if credit.prepayment_required:
        reasons.append(
            CreditReason(
                CreditReasonCode.PREPAYMENT,
                CreditStatus.WARNING,
                "Prepayment required: the order ships once it is paid",
                key="credit_reason.prepayment_required",
            )
        )
    elif exposure > limit:
        status = CreditStatus.BLOCKED if policy.over_limit_blocks else CreditStatus.WARNING
        reasons.append(
            CreditReason(
                CreditReasonCode.OVER_LIMIT,
                status,
                f"Over the credit limit by {format_money(exposure - limit, cur)} "
                f"(exposure {format_money(exposure, cur)}, limit {format_money(limit, cur)})",
                key="credit_reason.over_limit",
                params={
                    "over": money(exposure - limit, cur),
                    "exposure": money(exposure, cur),
                    "limit": money(limit, cur),
                },
            )
        )
    elif exposure > 0 and exposure * 100 >= limit * policy.near_limit_percent:
        used = exposure / limit * 100
        reasons.append(
            CreditReason(
                CreditReasonCode.NEAR_LIMIT,
                CreditStatus.WARNING,
                f"Near the credit limit: {format_percent(used)}% used, {format_money(limit - exposure, cur)} available",
                key="credit_reason.near_limit",
                params={"used": percent(used.quantize(Decimal("0.01"))), "available": money(limit - exposure, cur)},
            )
        )
    if credit.overdue_invoices > 0 or credit.overdue_amount > 0:
        late = credit.oldest_overdue_days > policy.block_overdue_days
        reasons.append(
            CreditReason(
                CreditReasonCode.OVERDUE,
                CreditStatus.BLOCKED if late else CreditStatus.WARNING,
                _overdue_text(credit, policy, late),
                *_overdue_message(credit, policy, late),
            )
        )
    if credit.open_disputes > 0 and policy.dispute_warns:
        n = credit.open_disputes
        reasons.append(
            CreditReason(
                CreditReasonCode.DISPUTE,
                CreditStatus.WARNING,
                f"{n} open dispute{'s' if n != 1 else ''} for {format_money(credit.disputed_amount, cur)}",
                key="credit_reason.dispute_one" if n == 1 else "credit_reason.disputes",
                params={"count": number(n), "amount": money(credit.disputed_amount, cur)},
            )
        )
    reasons.sort(key=lambda r: -_SEVERITY[r.status])  # stable: same severity keeps the order above
    return CreditReadiness(
        status=_worst(r.status for r in reasons),
        reasons=tuple(reasons),
        currency=cur,
        exposure=exposure,
        credit_limit=limit,
        available=limit - exposure,
    )


def chips_from_values(
    blocked: bool,
    overdue_amount: Decimal,
    overdue_invoices: int,
    prepayment_required: bool,
    credit_limit: Decimal,
    open_balance: Decimal,
    open_orders: Decimal,
    near_limit_percent: Decimal = CreditPolicy().near_limit_percent,
) -> tuple[CreditChip, ...]:
    """Every chip that applies, most severe first; (OK,) when none does."""
    chips = []
    if blocked:
        chips.append(CreditChip.BLOCKED)
    if overdue_amount > 0 or overdue_invoices > 0:
        chips.append(CreditChip.OVERDUE)
    if prepayment_required:
        chips.append(CreditChip.PREPAYMENT)
    exposure = open_balance + open_orders
    if exposure > 0 and exposure * 100 >= credit_limit * near_limit_percent:
        chips.append(CreditChip.NEAR_LIMIT)
    return tuple(chips) or (CreditChip.OK,)


def credit_chips(credit: Credit | None, policy: CreditPolicy | None = None) -> tuple[CreditChip, ...]:
    """Chips of a customer's credit; empty when the ERP sent no credit for the customer."""
    if credit is None:
        return ()
    return chips_from_values(
        credit.blocked,
        credit.overdue_amount,
        credit.overdue_invoices,
        credit.prepayment_required,
        credit.credit_limit,
        credit.open_balance,
        credit.open_orders,
        (policy or CreditPolicy()).near_limit_percent,
    )


def _worst(statuses: Iterable[CreditStatus]) -> CreditStatus:
    return max(statuses, key=lambda s: _SEVERITY[s], default=CreditStatus.OK)


def _overdue_text(credit: Credit, policy: CreditPolicy, late: bool) -> str:
    n = credit.overdue_invoices
    invoices = f"{n} invoice{'s' if n != 1 else ''} overdue" if n else "Overdue balance"
    text = f"{invoices}, oldest by {credit.oldest_overdue_days} days ({format_money(credit.overdue_amount, credit.currency)})"
    if late:
        text += f": more than {policy.block_overdue_days} days late blocks new sales until paid"
    return text


def _overdue_message(credit: Credit, policy: CreditPolicy, late: bool) -> tuple[str, dict[str, Any]]:
    n = credit.overdue_invoices
    params: dict[str, Any] = {
        "days": number(credit.oldest_overdue_days),
        "amount": money(credit.overdue_amount, credit.currency),
    }
    if n:
        params["count"] = number(n)
    if late:
        params["limit"] = number(policy.block_overdue_days)
    shape = "invoice" if n == 1 else "invoices" if n else "balance"
    return _OVERDUE_KEYS[shape, late], params


_OVERDUE_KEYS = {
    ("invoice", False): "credit_reason.overdue_invoice",
    ("invoice", True): "credit_reason.overdue_invoice_late",
    ("invoices", False): "credit_reason.overdue_invoices",
    ("invoices", True): "credit_reason.overdue_invoices_late",
    ("balance", False): "credit_reason.overdue_balance",
    ("balance", True): "credit_reason.overdue_balance_late",
}


__all__ = [
    "CreditChip",
    "CreditPolicy",
    "CreditReadiness",
    "CreditReason",
    "CreditReasonCode",
    "chips_from_values",
    "check_credit",
    "credit_chips",
]
