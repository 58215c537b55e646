"""Prospects: companies a seller met that the ERP does not know yet.

- **Code.** A prospect's code is made on the device, with no server round trip, from the
  device's own quote prefix (seller initials + device ordinal, `quote_lifecycle.quote_prefix`)
  and a counter: `P-JGM1-00001`. Two devices never share a prefix, so they never collide;
  a code never looks like an ERP customer code, and the ERP may create the customer under it.
- **As a customer.** Until the ERP creates it, a prospect is quoted as a customer with no ERP
  history and no credit: the company's currency, no segment list (the default price list
  applies), taxes by its country, and a credit position of zero that requires prepayment.
- **What it may do.** A prospect is quotable on the prepaid terms only: any other terms are
  refused (not sent for approval — there is no credit to approve).
"""

import re
from decimal import Decimal

from shared.errors import ValidationFailed
from shared.models import Credit, Customer
from shared.models.prospect import Prospect

PROSPECT_SEGMENT = "PROSPECT"
"""The segment a prospect is quoted in: no segment price list has it, so the default list applies."""

_CODE = re.compile(r"^P-(?P<prefix>[A-Z0-9]{1,8})-(?P<counter>\d{5,})$")
ZERO = Decimal(0)


def format_prospect_code(prefix: str, counter: int) -> str:
    """`P-<device prefix>-<counter, 5 digits at least>`: ('JGM1', 7) → 'P-JGM1-00007'."""
    if counter < 1:
        raise ValidationFailed(
            f"a prospect counter starts at 1, got {counter}",
            key="problem.prospect.bad_counter",
            params={"counter": counter},
        )
    return f"P-{prefix}-{counter:05d}"


def parse_prospect_code(code: str) -> tuple[str, int] | None:
    """(prefix, counter) of a prospect code, or None when `code` is not one."""
    found = _CODE.match(code)
    return (found["prefix"], int(found["counter"])) if found else None


def is_prospect_code(code: str) -> bool:
    """Whether `code` has the form of a prospect's code."""
    return parse_prospect_code(code) is not None


def next_prospect_code(prefix: str, codes: list[str]) -> str:
    """The device's next code: the counter after the highest of its own prefix among `codes`."""
    counters = [parsed[1] for parsed in map(parse_prospect_code, codes) if parsed and parsed[0] == prefix]
    return format_prospect_code(prefix, max(counters, default=0) + 1)


def check_prospect_code(code: str, prefix: str) -> None:
    """Refuse a code that is not of this device's prefix (`ValidationFailed`)."""
    parsed = parse_prospect_code(code)
    if parsed is None or parsed[0] != prefix:
        raise ValidationFailed(
            f"prospect code {code!r} is not of the form P-{prefix}-NNNNN",
            key="problem.prospect.bad_code",
            params={"code": code, "prefix": prefix},
        )


def prospect_customer(prospect: Prospect, prepaid_terms: str) -> Customer:
    """The prospect as the quoting rules read a customer."""
    return Customer(
        code=prospect.code,
        legal_name=prospect.name,
        tax_id=prospect.tax_id or "-",
        segment=PROSPECT_SEGMENT,
        city=prospect.city,
        country=prospect.country,
        email=prospect.email,
        phone=prospect.phone,
        payment_terms=prepaid_terms,
        currency=prospect.currency,
        seller_login=prospect.seller_login,
    )


def prospect_credit(prospect: Prospect) -> Credit:
    """No credit: nothing owed, nothing granted, prepayment required."""
    return Credit(
        customer_code=prospect.code,
        currency=prospect.currency,
        credit_limit=ZERO,
        open_balance=ZERO,
        open_orders=ZERO,
        overdue_amount=ZERO,
        overdue_invoices=0,
        oldest_overdue_days=0,
        open_disputes=0,
        disputed_amount=ZERO,
        blocked=False,
        prepayment_required=True,
    )


def check_prospect_terms(terms: str, prepaid_terms: str) -> None:
    """A prospect is quoted on the prepaid terms only (`ValidationFailed` otherwise)."""
    if terms != prepaid_terms:
        raise ValidationFailed(
            f"a prospect is quoted on {prepaid_terms} terms only, not {terms}",
            key="problem.prospect.prepaid_only",
            params={"terms": terms, "prepaid": prepaid_terms},
        )


__all__ = [
    "PROSPECT_SEGMENT",
    "check_prospect_code",
    "check_prospect_terms",
    "format_prospect_code",
    "is_prospect_code",
    "next_prospect_code",
    "parse_prospect_code",
    "prospect_credit",
    "prospect_customer",
]
