"""Approval policy: which rules a quote fires, each with a stable code and a reason (DESIGN §5).

Rules and their codes (stored in `Quote.fired_rules`, never renamed):
- discount_above_band  a line's discount, line and header combined (measured from the list
                       price when known, so a typed-down unit price counts too), is above the
                       seller's band; a seller without a band gets `default_band`.
- price_below_floor    the net unit price is below the floor (see `floors`).
- margin_below_floor   the margin % is below the minimum (see `floors`).
- credit_warning       credit readiness is warning for a reason that needs a manager;
                       "prepayment required" does not by default (nothing goes on credit).
- credit_blocked       credit readiness is blocked. Always fires, whatever the policy: a
                       blocked customer may be quoted (the seller knows before starting) but
                       the quote is never sent without a manager's approval, which is the
                       override and is recorded as such.
- payment_terms        terms outside the standard set; the customer's own terms agreed in
                       the ERP count as standard unless the policy says otherwise.
Equal to a limit never fires; only beyond it does. Rules fire in the order above, line by
line, so the list a manager reads is stable.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.messages import label, message, percent
from shared.models import CreditStatus
from shared.models.types import Percent
from shared.rules.credit import CreditReadiness, CreditReason, CreditReasonCode
from shared.rules.floors import MARGIN_BELOW_FLOOR, PRICE_BELOW_FLOOR, FloorViolation
from shared.rules.formats import format_percent
from shared.rules.quote_math import HUNDRED, ZERO, LineInput, discount_factor

DISCOUNT_ABOVE_BAND = "discount_above_band"
CREDIT_WARNING = "credit_warning"
CREDIT_BLOCKED = "credit_blocked"
PAYMENT_TERMS = "payment_terms"
RULE_CODES = (DISCOUNT_ABOVE_BAND, PRICE_BELOW_FLOOR, MARGIN_BELOW_FLOOR, CREDIT_WARNING, CREDIT_BLOCKED, PAYMENT_TERMS)


class ApprovalPolicy(BaseModel):
    """The company's approval rules; the server syncs them to devices as JSON."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    discount_bands: dict[str, Percent] = {"junior": Decimal(5), "standard": Decimal(10), "senior": Decimal(15)}
    """Band name → the highest combined discount % a seller of that band gives alone."""
    seller_bands: dict[str, str] = {}
    """Seller login → band name."""
    default_band: str = "standard"
    floors_need_approval: bool = True
    credit_warning_needs_approval: bool = True
    credit_reasons_without_approval: frozenset[str] = frozenset({CreditReasonCode.PREPAYMENT.value})
    standard_payment_terms: frozenset[str] = frozenset({"PREPAID", "NET30", "NET60"})
    customer_terms_are_standard: bool = True
    prepaid_terms: str = "PREPAID"
    """The terms of a customer who must pay in advance (the ERP's prepayment flag): a new
    quote starts on them, and any other terms for that customer need an approval."""
    escalate_after_hours: int = Field(default=24, ge=1, le=24 * 30)
    """Hours a request may wait (from when the server took it) before it escalates to the
    next manager up (shared/rules/escalation.py)."""

    @model_validator(mode="after")
    def _bands_exist(self) -> Self:
        unknown = ({self.default_band} | set(self.seller_bands.values())) - set(self.discount_bands)
        if unknown:
            raise ValueError(f"unknown discount band(s): {', '.join(sorted(unknown))}")
        return self

    def band_of(self, seller_login: str) -> str:
        """The seller's band name (the default band when the seller has none)."""
        return self.seller_bands.get(seller_login, self.default_band)

    def max_discount(self, seller_login: str) -> Decimal:
        """The highest combined discount % the seller may give without approval."""
        return self.discount_bands[self.band_of(seller_login)]


@dataclass(frozen=True, slots=True)
class ApprovalFacts:
    """What of a quote the approval rules look at."""

    seller_login: str
    payment_terms: str
    lines: tuple[LineInput, ...]
    header_discount_percent: Decimal = ZERO
    customer_payment_terms: str | None = None
    """The customer's terms in the ERP (already agreed with finance)."""


@dataclass(frozen=True, slots=True)
class FiredRule:
    """A rule the quote fired: stable code, a reason a manager and a seller can read, the line if any.

    `reason` is English (the manager's side, logs); the app says it in the seller's language
    from `key` and `params` (see shared.messages).
    """

    code: str
    reason: str
    line_no: int | None = None
    key: str | None = None
    params: dict[str, Any] = field(default_factory=dict, hash=False)


def effective_discount_percent(line: LineInput, header_discount_percent: Decimal = ZERO) -> Decimal:
    """The discount the customer really gets on a line, from the list price when known (≥ 0)."""
    factor = discount_factor(line.discount_percent, header_discount_percent)
    reference = line.list_price if line.list_price else line.unit_price
    if not reference:
        return ZERO
    return max(ZERO, (1 - line.unit_price * factor / reference) * HUNDRED)


def evaluate_approval(
    facts: ApprovalFacts,
    policy: ApprovalPolicy,
    credit: CreditReadiness | None = None,
    floor_violations: Sequence[FloorViolation] = (),
) -> tuple[FiredRule, ...]:
    """Every rule the quote fires, in a stable order; empty when it can be sent as is."""
    fired: list[FiredRule] = []
    band, limit = policy.band_of(facts.seller_login), policy.max_discount(facts.seller_login)
    for line in facts.lines:
        discount = effective_discount_percent(line, facts.header_discount_percent)
        if discount > limit:
            fired.append(
                FiredRule(
                    DISCOUNT_ABOVE_BAND,
                    f"Line {line.line_no} ({line.sku}): discount {format_percent(discount)}%, more than the "
                    f"{format_percent(limit)}% a {band} seller may give",
                    line.line_no,
                    key="rule.discount_above_band",
                    params={
                        "line": line.line_no,
                        "sku": line.sku,
                        "discount": percent(discount.quantize(Decimal("0.01"))),
                        "limit": percent(limit),
                        "band": label("DiscountBand", band),
                    },
                )
            )
    if policy.floors_need_approval:
        for code in (PRICE_BELOW_FLOOR, MARGIN_BELOW_FLOOR):
            fired.extend(
                FiredRule(
                    v.code,
                    f"Line {v.line_no}, {v.reason}",
                    v.line_no,
                    key=v.key,
                    params={"line": v.line_no, **v.params},
                )
                for v in floor_violations
                if v.code == code
            )
    if credit is not None:
        fired.extend(_credit_rules(credit, policy))
    terms = facts.payment_terms
    agreed = policy.customer_terms_are_standard and terms == facts.customer_payment_terms
    prepays = credit is not None and any(r.code == CreditReasonCode.PREPAYMENT for r in credit.reasons)
    if prepays and terms != policy.prepaid_terms:
        # The customer's master data may still say NET30; the ERP's credit flag says pay first.
        fired.append(
            FiredRule(
                PAYMENT_TERMS,
                f"The customer must pay in advance; payment terms {terms} instead of {policy.prepaid_terms}",
                key="rule.payment_terms_prepayment",
                params={"terms": terms, "prepaid": policy.prepaid_terms},
            )
        )
    elif terms not in policy.standard_payment_terms and not agreed:
        standard = ", ".join(sorted(policy.standard_payment_terms))
        fired.append(
            FiredRule(
                PAYMENT_TERMS,
                f"Payment terms {terms} are not standard ({standard})",
                key="rule.payment_terms",
                params={"terms": terms, "standard": sorted(policy.standard_payment_terms)},
            )
        )
    return tuple(fired)


def fired_codes(rules: Iterable[FiredRule]) -> tuple[str, ...]:
    """The distinct codes of fired rules, first occurrence first (what `Quote.fired_rules` stores)."""
    return tuple(dict.fromkeys(r.code for r in rules))


def _credit_rules(credit: CreditReadiness, policy: ApprovalPolicy) -> list[FiredRule]:
    if credit.status == CreditStatus.BLOCKED:
        reasons = [r for r in credit.reasons if r.status == CreditStatus.BLOCKED]
        return [
            FiredRule(
                CREDIT_BLOCKED,
                "Credit blocked: " + "; ".join(r.text for r in reasons),
                key="rule.credit_blocked",
                params={"reasons": _sentences(reasons)},
            )
        ]
    if credit.status == CreditStatus.WARNING and policy.credit_warning_needs_approval:
        reasons = [
            r
            for r in credit.reasons
            if r.status == CreditStatus.WARNING and r.code not in policy.credit_reasons_without_approval
        ]
        if reasons:
            return [
                FiredRule(
                    CREDIT_WARNING,
                    "Credit warning: " + "; ".join(r.text for r in reasons),
                    key="rule.credit_warning",
                    params={"reasons": _sentences(reasons)},
                )
            ]
    return []


def _sentences(reasons: Iterable[CreditReason]) -> list[Any]:
    """Credit reasons as nested messages; one without a key is kept in its English words."""
    return [message(r.key, **r.params) if r.key else r.text for r in reasons]


__all__ = [
    "CREDIT_BLOCKED",
    "CREDIT_WARNING",
    "DISCOUNT_ABOVE_BAND",
    "MARGIN_BELOW_FLOOR",
    "PAYMENT_TERMS",
    "PRICE_BELOW_FLOOR",
    "RULE_CODES",
    "ApprovalFacts",
    "ApprovalPolicy",
    "FiredRule",
    "effective_discount_percent",
    "evaluate_approval",
    "fired_codes",
]
