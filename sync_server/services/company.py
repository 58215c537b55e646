"""The company profile (DESIGN §3): read by every device, edited by an administrator.

The import writes it from `company.csv` (importer/company.py); an administrator may change
it afterwards through `PUT /v1/admin/company` (and its logo through `PUT
/v1/admin/company/logo`) or `terreno-server company set`. Every edit is in the audit log
with the fields it changed. Devices read `GET /v1/company` at the end of each sync round and
fetch the logo's bytes only when its SHA-256 changed.
"""

import hashlib
import json
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from shared.errors import NotFound, ValidationFailed
from shared.invalid_input import problem_lines
from shared.models.company import MAX_LOGO_BYTES, CompanyProfile, logo_type
from sync_server.repository.company_store import StoredCompany, store_company, stored_company
from sync_server.repository.database import Connection
from sync_server.services.audit import AuditKind, audit


def company_profile(conn: Connection) -> CompanyProfile | None:
    """The profile in force, or None when none was imported or set."""
    stored = stored_company(conn, with_logo=False)
    return None if stored is None else CompanyProfile.model_validate_json(stored.data)


def company_as_json(conn: Connection) -> dict[str, Any]:
    """What devices receive: the profile (null when none) and how to know its logo."""
    stored = stored_company(conn, with_logo=False)
    if stored is None:
        return {"profile": None, "logo_sha256": None, "logo_type": None, "updated_at": None}
    return {
        "profile": json.loads(stored.data),
        "logo_sha256": stored.logo_sha256,
        "logo_type": stored.logo_type,
        "updated_at": stored.updated_at.isoformat(),
    }


def company_logo(conn: Connection) -> tuple[bytes, str]:
    """The logo's bytes and media type; NotFound when the company has none."""
    stored = stored_company(conn)
    if stored is None or stored.logo is None or stored.logo_type is None:
        raise NotFound("the company profile has no logo", key="problem.company.no_logo")
    return stored.logo, stored.logo_type


def parse_profile(data: dict[str, Any]) -> CompanyProfile:
    """A profile from JSON, or ValidationFailed naming each bad field."""
    try:
        return CompanyProfile.model_validate(data)
    except ValidationError as exc:
        problems = problem_lines(exc.errors(), where="company")
        raise ValidationFailed("invalid company profile: " + "; ".join(problems), errors=problems) from None


def checked_logo(data: bytes) -> str:
    """The logo's media type; ValidationFailed for an empty, oversized or unknown image."""
    if not data:
        raise ValidationFailed("the logo is empty", key="problem.company.logo_empty")
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationFailed(
            f"the logo is {len(data):,} bytes; at most {MAX_LOGO_BYTES:,}",
            key="problem.company.logo_too_big",
            params={"size": len(data), "limit": MAX_LOGO_BYTES},
        )
    kind = logo_type(data)
    if kind is None:
        raise ValidationFailed("the logo must be a PNG or JPEG image", key="problem.company.logo_type")
    return kind


def _changed_fields(before: CompanyProfile | None, after: CompanyProfile) -> list[str]:
    if before is None:
        return sorted(CompanyProfile.model_fields)
    return [name for name in CompanyProfile.model_fields if getattr(before, name) != getattr(after, name)]


def save_company(conn: Connection, data: dict[str, Any], *, login: str, now: datetime) -> CompanyProfile:
    """Replace the profile (the logo stays), noted in the audit log with what changed."""
    profile = parse_profile(data)
    stored = stored_company(conn)
    before = None if stored is None else CompanyProfile.model_validate_json(stored.data)
    store_company(
        conn,
        StoredCompany(
            data=profile.model_dump_json(),
            logo=stored.logo if stored else None,
            logo_type=stored.logo_type if stored else None,
            logo_sha256=stored.logo_sha256 if stored else None,
            updated_at=now,
            updated_by=login,
        ),
    )
    changed = _changed_fields(before, profile)
    audit(
        conn, AuditKind.COMPANY_CHANGED, login=login, subject="profile", detail=", ".join(changed) or "nothing", at=now
    )
    return profile


def save_company_logo(conn: Connection, data: bytes, *, login: str, now: datetime) -> str:
    """Replace the logo of the stored profile; returns its SHA-256."""
    kind = checked_logo(data)
    stored = stored_company(conn, with_logo=False)
    if stored is None:
        raise NotFound(
            "there is no company profile yet: import company.csv or set the profile first",
            key="problem.company.none",
        )
    digest = hashlib.sha256(data).hexdigest()
    store_company(
        conn,
        StoredCompany(stored.data, data, kind, digest, updated_at=now, updated_by=login),
    )
    audit(conn, AuditKind.COMPANY_CHANGED, login=login, subject="logo", detail=f"{kind}, {len(data)} bytes", at=now)
    return digest


__all__ = [
    "checked_logo",
    "company_as_json",
    "company_logo",
    "company_profile",
    "parse_profile",
    "save_company",
    "save_company_logo",
]
