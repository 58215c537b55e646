"""Taxes: which rate a line carries, who is exempt, and tax per rate (DESIGN §5).

Rounding: tax is computed per rate on the sum of that rate's rounded line nets, rounded
once — `tax(rate) = round_money(Σ line nets at rate × rate / 100)`. Summing per-line rounded
taxes instead can drift a cent per few lines from "base × rate", and a Spanish invoice
(Reglamento de facturación, art. 6.1.g-h) states the taxable base and the tax per rate, so
the figures a customer checks on the document must be base × rate. The total tax is the sum
of the per-rate taxes; gross = net + tax.

Exemption: a customer in the company's own country pays the tax class rate; a customer in
another EU member state is an intra-community B2B supply (reverse charge, 0 % on our
invoice — assumes the customer's tax id is a VAT number valid in VIES, which the ERP checks
when it sets the customer up); a customer outside the EU is an export (0 %). The decision is
an explicit `tax_exempt` input computed by `is_tax_exempt`, so a service can override it
(e.g. a Spanish customer shipping to the Canary Islands) without touching the rules.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from shared.models import TaxClass
from shared.money import round_money

EU_COUNTRIES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)
"""EU member states by ISO 3166 code (Greece is GR here; VAT numbers use EL)."""

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class TaxGroup:
    """One line of the tax breakdown: the taxable base at a rate and the tax on it."""

    rate_percent: Decimal
    base: Decimal
    tax: Decimal


def is_tax_exempt(customer_country: str, company_country: str) -> bool:
    """Whether the customer is invoiced without tax: intra-EU B2B supply or export."""
    # Another EU member state (reverse charge) or outside the EU (export): 0 % either way.
    return customer_country != company_country


def exemption_reason(customer_country: str, company_country: str) -> str:
    """Why a customer pays no tax, for the quote document; '' when it pays tax."""
    if customer_country == company_country:
        return ""
    if customer_country in EU_COUNTRIES and company_country in EU_COUNTRIES:
        return "Intra-community supply, exempt: reverse charge (Directive 2006/112/EC, art. 138)"
    return "Export outside the EU, exempt (Directive 2006/112/EC, art. 146)"


def tax_rate(tax_class_code: str, tax_classes: Mapping[str, TaxClass], tax_exempt: bool = False) -> Decimal:
    """The rate in percent a line of this tax class carries (0 when the customer is exempt)."""
    if tax_exempt:
        return ZERO
    try:
        return tax_classes[tax_class_code].rate_percent
    except KeyError:
        raise KeyError(f"unknown tax class {tax_class_code!r}") from None


def tax_groups(nets_by_rate: Iterable[tuple[Decimal, Decimal]], currency: str) -> tuple[TaxGroup, ...]:
    """Tax per rate from (rate %, rounded line net) pairs, highest rate first."""
    bases: dict[Decimal, Decimal] = {}
    for rate, net in nets_by_rate:
        bases[rate] = bases.get(rate, ZERO) + net  # Decimal 21 == 21.00: one key
    return tuple(
        TaxGroup(rate_percent=rate, base=base, tax=round_money(base * rate / 100, currency))
        for rate, base in sorted(bases.items(), key=lambda kv: kv[0], reverse=True)
    )


__all__ = ["EU_COUNTRIES", "TaxGroup", "exemption_reason", "is_tax_exempt", "tax_groups", "tax_rate"]
