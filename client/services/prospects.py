"""The seller's prospects: companies she met that the ERP does not know yet.

A prospect is made here, offline, with a code from the device's own prefix
(`shared.rules.prospects`), and recorded with its outbox mutation in one transaction. The
store shows it as a customer of her portfolio at once (client/store/prospect_rows.py), so
Customer 360 and the quote builder work for it: no history, no credit, prepaid terms.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from sqlite_utils import Database

from client.services.company import company_country
from client.services.session import Session
from client.store import FIELD_TABLES, record, record_from_row
from shared.errors import NotFound, ValidationFailed
from shared.invalid_input import problem_lines
from shared.models.prospect import Prospect, country_codes
from shared.protocol import MutationName
from shared.rules.prospects import is_prospect_code, next_prospect_code
from shared.rules.quote_lifecycle import quote_prefix

_PROSPECTS = FIELD_TABLES[Prospect.ENTITY]


def device_prefix(session: Session) -> str:
    """The prefix this device's quote numbers and prospect codes start with."""
    return session.quote_prefix or quote_prefix(session.name or session.login, session.device_number)


def company_currency(db: Database) -> str:
    """The company's currency: its default price list's, as last synced — the base list in force
    the longest (an ERP may add base lists in other currencies for export, as the demo's BASE-USD)."""
    row = db.execute(
        "SELECT currency FROM price_lists WHERE kind = 'base' ORDER BY valid_from, code LIMIT 1"
    ).fetchone()
    if row is None:
        raise ValidationFailed(
            "the default price list is not on this device yet: sync once before making a prospect",
            key="problem.prospect.no_price_list",
        )
    return str(row[0])


def new_prospect(
    session: Session,
    name: str,
    *,
    tax_id: str = "",
    contact: str = "",
    email: str = "",
    phone: str = "",
    city: str = "",
    country: str | None = None,
    lead_id: UUID | None = None,
    now: datetime | None = None,
) -> Prospect:
    """Make a prospect owned by the signed-in seller (country: the company's unless given)."""
    if not name.strip():
        raise ValidationFailed("say who the prospect is", key="problem.prospect.no_name")
    country = (country or company_country(session) or "").strip().upper()
    if country not in country_codes():
        raise ValidationFailed(
            f"{country!r} is not a country code", key="problem.prospect.bad_country", params={"country": country}
        )
    prefix = device_prefix(session)
    with session.store.write() as db:
        codes = [r[0] for r in db.execute(f'SELECT id FROM "{_PROSPECTS}" WHERE id LIKE ?', [f"P-{prefix}-%"])]
        prospect = _valid(
            {
                "code": next_prospect_code(prefix, codes),
                "seller_login": session.login,
                "name": name,
                "tax_id": tax_id,
                "contact": contact,
                "email": email,
                "phone": phone,
                "city": city,
                "country": country,
                "currency": company_currency(db),
                "lead_id": lead_id,
                "created_at": now or datetime.now(UTC),
            }
        )
        record(session.store, MutationName.SAVE_PROSPECT, {"prospect": prospect.to_data()})
    session.notify_local_write()
    return prospect


def _valid(data: dict[str, Any]) -> Prospect:
    try:
        return Prospect.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(problem_lines(exc.errors()))
        raise ValidationFailed(
            f"the prospect is not valid: {problems}", key="problem.prospect.invalid", params={"problems": problems}
        ) from None


def get_prospect(session: Session, code: str) -> Prospect:
    """The prospect as the device shows it (NotFound when it is not on this device)."""
    with session.store.read() as db:
        row = next(db.query(f'SELECT * FROM "{_PROSPECTS}" WHERE id = ?', [code]), None)
    if row is None:
        raise NotFound(f"prospect {code} is not on this device", key="problem.prospect.not_on_device")
    return record_from_row(Prospect, row)


def is_prospect(code: str) -> bool:
    """Whether a customer code is a prospect's (the ERP may later create the customer under it)."""
    return is_prospect_code(code)


__all__ = ["company_currency", "device_prefix", "get_prospect", "is_prospect", "new_prospect"]
