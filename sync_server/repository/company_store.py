"""The company profile's one row: its JSON and its logo's bytes."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from sync_server.repository.tables import company_profile

_ROW_ID = 1


@dataclass(frozen=True, slots=True)
class StoredCompany:
    """The stored profile as JSON text, with its logo (None: no logo)."""

    data: str
    logo: bytes | None
    logo_type: str | None
    logo_sha256: str | None
    updated_at: datetime
    updated_by: str | None


def stored_company(conn: Connection, *, with_logo: bool = True) -> StoredCompany | None:
    """The stored profile, or None when neither an import nor an administrator gave one."""
    logo = company_profile.c.logo if with_logo else company_profile.c.logo_sha256.label("no_logo")
    row = conn.execute(
        select(
            company_profile.c.data,
            logo,
            company_profile.c.logo_type,
            company_profile.c.logo_sha256,
            company_profile.c.updated_at,
            company_profile.c.updated_by,
        ).where(company_profile.c.id == _ROW_ID)
    ).first()
    if row is None:
        return None
    return StoredCompany(row[0], row[1] if with_logo else None, row[2], row[3], row[4], row[5])


def store_company(conn: Connection, company: StoredCompany) -> None:
    """Keep the profile (replacing the one stored)."""
    values = {
        "data": company.data,
        "logo": company.logo,
        "logo_type": company.logo_type,
        "logo_sha256": company.logo_sha256,
        "updated_at": company.updated_at,
        "updated_by": company.updated_by,
    }
    done = conn.execute(update(company_profile).where(company_profile.c.id == _ROW_ID).values(**values))
    if done.rowcount == 0:
        conn.execute(insert(company_profile).values(id=_ROW_ID, **values))


__all__ = ["StoredCompany", "store_company", "stored_company"]
