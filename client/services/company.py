"""The company issuing the quotes, as the server last gave it (DESIGN §3).

The app bundle holds no company data: every device fetches the profile at the end of each
sync round (`GET /v1/company`, a small JSON object) and the logo's bytes only when its
SHA-256 changed, and keeps both in the `company_profile` table. Until the first round (or
while the server has none) there is no company: the quote's letterhead stays neutral, the
issuer's country is unknown (every customer is quoted with tax: never tax-free by guess),
and Settings says the profile arrives with the first sync.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlite_utils import Database

from client.pdf import CompanyInfo
from client.services.session import Session
from client.sync.errors import BadResponse
from shared.models.company import CompanyProfile
from shared.rules.delivery_dates import DEFAULT_DELIVERY_DAYS


@dataclass(frozen=True, slots=True)
class Company:
    """The issuing company: its profile and its logo's bytes (None: no logo)."""

    profile: CompanyProfile
    logo: bytes | None = None

    @property
    def info(self) -> CompanyInfo:
        """The letterhead and footer of a quote document."""
        p = self.profile
        bank = " · ".join(x for x in (p.bank_name, p.iban, p.bic) if x)
        return CompanyInfo(
            name=p.name,
            legal_name=p.legal_name,
            tax_id=p.tax_id,
            address_lines=p.address_lines(),
            phone=p.phone,
            email=p.email,
            website=p.website,
            logo=self.logo,
            bank=bank,
        )

    @property
    def country(self) -> str:
        return self.profile.country

    @property
    def currency(self) -> str:
        return self.profile.base_currency

    @property
    def delivery_days(self) -> int:
        return self.profile.delivery_days

    def terms(self, language: str) -> tuple[str, ...]:
        """The quote's standard terms in `language` (English when it has none)."""
        return self.profile.terms(language)


NEUTRAL_INFO = CompanyInfo(name="", legal_name="", tax_id="")
"""The letterhead of a device that has no company profile yet: nothing but the quote."""


def load_company(db: Database) -> Company | None:
    """The company as last synced; None before the first sync brought it."""
    rows = list(db.query("SELECT data, logo FROM company_profile WHERE id = 1"))
    if not rows:
        return None
    return Company(CompanyProfile.model_validate_json(rows[0]["data"]), rows[0]["logo"])


def company_of(session: Session) -> Company | None:
    """The signed-in device's company (see `load_company`)."""
    with session.store.read() as db:
        return load_company(db)


def company_country(session: Session) -> str | None:
    """The issuer's country; None while the device has no company profile."""
    company = company_of(session)
    return company.country if company else None


def delivery_days(session: Session) -> int:
    """Working days from order to delivery (the company's, or the default before the first sync)."""
    company = company_of(session)
    return company.delivery_days if company else DEFAULT_DELIVERY_DAYS


def refresh_company(session: Session) -> None:
    """Fetch the profile in force and keep it, with its logo when that changed (all or nothing)."""
    body = session.api.company()
    if body["profile"] is None:
        return  # a server that has none yet: keep what the device had
    try:
        profile = CompanyProfile.model_validate(body["profile"])
    except ValidationError as exc:
        raise BadResponse(f"the server's company profile is not one this app understands: {exc}") from None
    digest = body.get("logo_sha256")
    with session.store.read() as db:
        rows = list(db.query("SELECT logo, logo_sha256 FROM company_profile WHERE id = 1"))
    logo: bytes | None = None
    if digest:
        if rows and rows[0]["logo_sha256"] == digest:
            logo = rows[0]["logo"]
        else:
            logo = session.api.company_logo()
            if hashlib.sha256(logo).hexdigest() != digest:
                raise BadResponse("the company logo's bytes do not match its SHA-256")
    with session.store.write() as db:
        db.execute(
            "INSERT INTO company_profile (id, data, logo, logo_sha256, fetched_at) VALUES (1, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET data = excluded.data, logo = excluded.logo, "
            "logo_sha256 = excluded.logo_sha256, fetched_at = excluded.fetched_at",
            [profile.model_dump_json(), logo, digest, datetime.now(UTC).isoformat()],
        )


__all__ = [
    "NEUTRAL_INFO",
    "Company",
    "company_country",
    "company_of",
    "delivery_days",
    "load_company",
    "refresh_company",
]
