"""The distributor issuing quotes: name, tax id, country and terms, from `assets/company.json`.

Branding ships with the app beside the logo (`assets/logo.png`), so every device prints the
same header; the company's country decides which customers are invoiced without tax.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from client.pdf import CompanyInfo
from client.pdf.fonts import ASSETS_DIR, DEFAULT_LOGO
from shared.rules.delivery_dates import DEFAULT_DELIVERY_DAYS


@dataclass(frozen=True, slots=True)
class Company:
    """The issuing company, its standard terms per language and its delivery time."""

    info: CompanyInfo
    country: str
    terms: dict[str, tuple[str, ...]]
    delivery_days: int = DEFAULT_DELIVERY_DAYS
    """Working days from order to delivery for goods in stock (each line's promised date)."""
    currency: str = "EUR"
    """The company's base currency: what a pipeline of several currencies is added up in."""


@cache
def load_company(path: Path = ASSETS_DIR / "company.json") -> Company:
    """The company described in `path` (read once)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        info = CompanyInfo(
            name=data["name"],
            legal_name=data["legal_name"],
            tax_id=data["tax_id"],
            address_lines=tuple(data.get("address_lines", ())),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            website=data.get("website", ""),
            logo_path=DEFAULT_LOGO if DEFAULT_LOGO.exists() else None,
        )
        return Company(
            info=info,
            country=data["country"],
            terms={lang: tuple(lines) for lang, lines in data.get("terms", {}).items()},
            delivery_days=_delivery_days(data.get("delivery_days", DEFAULT_DELIVERY_DAYS)),
            currency=data.get("currency", "EUR"),
        )
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeError(f"the company file {path.name} is missing or invalid: {exc}") from exc


def _delivery_days(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 60:
        raise ValueError(f"delivery_days must be a whole number of working days from 0 to 60, got {value!r}")
    return value


__all__ = ["Company", "load_company"]
