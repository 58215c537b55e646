"""Taxes: which rate a line carries, who is exempt, and tax per rate (DESIGN §5).

Rounding: tax is computed per rate on the sum of that rate's rounded line nets, rounded
once — `tax(rate) = round_money(Σ line nets at rate × rate / 100)`. Summing per-line rounded
taxes instead can drift a cent per few lines from "base × rate", and a Spanish invoice
(Reglamento de facturación, art. 6.1.g-h) states the taxable base and the tax per rate, so
the figures a customer checks on the document must be base × rate. The total tax is the sum
of the per-rate taxes; gross = net + tax.

Regimes (DESIGN §3): a customer is taxed in one of four regimes, each with its legal wording
on the quote (the app's catalogs, `tax.note.<regime>`, in the document's language):

- domestic: the issuer's VAT at each tax class's rate (`tax_classes.csv`, the rates of the
  issuer's country, `company.csv`'s `country`);
- intra-EU reverse charge: a customer in another EU member state whose tax id is a VAT number
  of that state (its VAT prefix: `PT…`, `EL…` for Greece) — Directive 2006/112/EC art. 138,
  0 % on the quote. A customer there without one pays the issuer's VAT (domestic);
- export: a customer outside the issuer's VAT area (outside the EU for an EU issuer; any other
  country for an issuer outside the EU) — art. 146, 0 %;
- exempt territory: a territory of an EU member state outside the EU VAT area (art. 6) with an
  ISO code of its own (Åland, the French overseas departments), 0 %; a territory without one
  (the Canary Islands, Ceuta, Melilla: ISO says ES) is set in `customers.csv`'s `tax_regime`.

An explicit regime from the ERP always wins; the rules only derive a missing one. A device that
does not know the issuer's country yet taxes every customer (never tax-free by guess).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from shared.models import TaxClass, TaxRegime
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


EXEMPT_TERRITORIES = {"AX": "FI", "GF": "FR", "GP": "FR", "MF": "FR", "MQ": "FR", "RE": "FR", "YT": "FR"}
"""Territories with an ISO 3166-1 code of their own that belong to an EU member state but lie
outside the EU VAT area (Directive 2006/112/EC, art. 6), with that member state."""

VAT_PREFIXES = {code: code for code in EU_COUNTRIES} | {"GR": "EL"}
"""The prefix of a member state's VAT numbers (Greece's is EL)."""

_SEPARATORS = str.maketrans("", "", " .-/")


def has_vat_number(tax_id: str, country: str) -> bool:
    """Whether `tax_id` is written as a VAT number of EU member state `country` (its prefix and
    at least two more letters or digits; VIES, which the ERP consults, says whether it is valid)."""
    prefix = VAT_PREFIXES.get(country)
    if prefix is None:
        return False
    number = tax_id.translate(_SEPARATORS).upper()
    rest = number[len(prefix) :]
    return number.startswith(prefix) and len(rest) >= 2 and rest.isalnum()


def customer_regime(
    customer_country: str, customer_tax_id: str, company_country: str | None, explicit: TaxRegime | None = None
) -> TaxRegime:
    """The customer's tax regime: the ERP's when it gave one, else derived from where both are."""
    if explicit is not None:
        return TaxRegime(explicit)
    if company_country is None or customer_country == company_country:
        return TaxRegime.DOMESTIC
    if company_country not in EU_COUNTRIES:
        return TaxRegime.EXPORT
    if customer_country in EXEMPT_TERRITORIES:
        return TaxRegime.EXEMPT_TERRITORY
    if customer_country in EU_COUNTRIES:
        # Reverse charge needs a customer identified for VAT in its own member state.
        return TaxRegime.INTRA_EU if has_vat_number(customer_tax_id, customer_country) else TaxRegime.DOMESTIC
    return TaxRegime.EXPORT


def is_taxed(regime: TaxRegime) -> bool:
    """Whether the quote charges the tax class rates (only in the domestic regime)."""
    return regime == TaxRegime.DOMESTIC


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


__all__ = [
    "EU_COUNTRIES",
    "EXEMPT_TERRITORIES",
    "VAT_PREFIXES",
    "TaxGroup",
    "customer_regime",
    "has_vat_number",
    "is_taxed",
    "tax_groups",
    "tax_rate",
]
