"""`company.csv` and its logo: the company issuing the quotes (DESIGN §3).

One data row with the columns of `shared.models.company.CompanyProfile`; multi-line values
(the address, the terms per language) are quoted cells with one line per line. `logo_file`
names a PNG or JPEG beside the CSV files. The file is optional: without it the stored
profile is kept (an export from an ERP that does not know it yet); a present file must be
whole, like any other. Checked in the first pass with the other files (same problems, same
`<file>:<line>: <column>: ...` messages), written in the import's transaction.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from shared.models.company import MAX_LOGO_BYTES, CompanyProfile, logo_type
from sync_server.importer.problems import Problems, quote
from sync_server.importer.reader import CsvFile
from sync_server.importer.rows import RowParser
from sync_server.importer.spec import FileSpec
from sync_server.repository.company_store import StoredCompany, store_company
from sync_server.repository.database import Connection

COMPANY_FILE = "company.csv"
COMPANY_SPEC = FileSpec(
    COMPANY_FILE,
    CompanyProfile,
    optional_columns=tuple(name for name, info in CompanyProfile.model_fields.items() if not info.is_required()),
    is_optional=True,
)


@dataclass(frozen=True)
class ImportedCompany:
    """What `company.csv` said, checked: the profile and its logo's bytes (None: no logo)."""

    profile: CompanyProfile
    logo: bytes | None
    logo_type: str | None


def _logo(directory: Path, profile: CompanyProfile, line: int, problems: Problems) -> tuple[bytes, str] | None:
    name = profile.logo_file
    if not name:
        return None
    path = directory / name
    where = f"logo_file: {quote(name)}"
    if Path(name).name != name or not path.is_file():
        problems.add(COMPANY_FILE, line, f"{where} is not a file in the export folder")
        return None
    data = path.read_bytes()
    if len(data) > MAX_LOGO_BYTES:
        problems.add(COMPANY_FILE, line, f"{where} is {len(data):,} bytes; a logo may have at most {MAX_LOGO_BYTES:,}")
        return None
    kind = logo_type(data)
    if kind is None:
        problems.add(COMPANY_FILE, line, f"{where} is not a PNG or JPEG image")
        return None
    return data, kind


def check_company(directory: Path, problems: Problems) -> ImportedCompany | None:
    """Read and check `company.csv` and its logo; None when the file is absent or has problems."""
    source = CsvFile(directory, COMPANY_SPEC, problems)
    parser: RowParser | None = None
    found: list[tuple[int, CompanyProfile | None]] = []
    for line, cells in source.rows():
        if parser is None:
            parser = RowParser(COMPANY_SPEC, source.columns)
        profile, reasons = parser.parse(cells)
        for reason in reasons:
            problems.add(COMPANY_FILE, line, reason)
        found.append((line, profile))
    if len(found) > 1:
        problems.add(COMPANY_FILE, found[1][0], f"must hold one company, found {len(found)} rows")
    elif source.is_complete and not source.is_absent and not found:
        problems.add(COMPANY_FILE, None, "has no company row under its header")
    problems.end_file()
    line, profile = found[0] if len(found) == 1 else (0, None)
    if profile is None:
        return None
    logo = _logo(directory, profile, line, problems)
    problems.end_file()
    if profile.logo_file and logo is None:
        return None
    return ImportedCompany(profile, *(logo or (None, None)))


def write_company(conn: Connection, company: ImportedCompany) -> None:
    """Store the imported profile and logo (replacing what was stored)."""
    digest = hashlib.sha256(company.logo).hexdigest() if company.logo is not None else None
    store_company(
        conn,
        StoredCompany(
            data=company.profile.model_dump_json(),
            logo=company.logo,
            logo_type=company.logo_type,
            logo_sha256=digest,
            updated_at=datetime.now(UTC),
            updated_by=None,
        ),
    )


__all__ = ["COMPANY_FILE", "COMPANY_SPEC", "ImportedCompany", "check_company", "write_company"]
