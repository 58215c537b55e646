"""A prospect shows as a customer of the seller's portfolio, on this device only.

Each prospect row (the seller's own, or pulled from her activity bucket) is mirrored into
`customers` and `credit` as `shared.rules.prospects` reads it: a customer with no ERP history
and no credit, prepayment required. So the portfolio, Customer 360 and the quote builder
work for it unchanged. The mirrored rows are the device's own (`_version` 0, no bucket): they
count in no bucket total, a bucket repair leaves them alone, and a row the server sends for
the same code — the ERP created the customer under the prospect's code — replaces them and
is never overwritten by them.
"""

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from client.store.schema import FIELD_TABLES, ID_COLUMN, REFERENCE_TABLES, VERSION_COLUMN, record_from_row, stored_value
from shared.models import Credit, Customer
from shared.models.prospect import Prospect
from shared.rules.approval import ApprovalPolicy
from shared.rules.prospects import prospect_credit, prospect_customer

PROSPECTS = FIELD_TABLES[Prospect.ENTITY]
_MIRRORS = (REFERENCE_TABLES[Customer.ENTITY], REFERENCE_TABLES[Credit.ENTITY])
_PREPAID = ApprovalPolicy().prepaid_terms
"""The terms the mirrored customer names; a quote takes the policy's own from the credit's prepayment flag."""


def _put_own(db: Database, table: str, row_id: str, data: dict[str, Any]) -> None:
    names = list(data)
    columns = ", ".join(f'"{n}"' for n in (ID_COLUMN, *names, VERSION_COLUMN))
    marks = ", ".join("?" for _ in range(len(names) + 2))
    updates = ", ".join(f'"{n}" = excluded."{n}"' for n in names)
    db.execute(
        f'INSERT INTO "{table}" ({columns}) VALUES ({marks}) '
        f'ON CONFLICT({ID_COLUMN}) DO UPDATE SET {updates} WHERE "{table}"."{VERSION_COLUMN}" = 0',
        [row_id, *(stored_value(data[n]) for n in names), 0],
    )


def mirror_prospects(db: Database, codes: Iterable[str]) -> None:
    """Bring the customer and credit rows of these prospects in step with their prospect rows
    (made, changed, or gone), in the caller's transaction."""
    for code in set(codes):
        row = next(db.query(f'SELECT * FROM "{PROSPECTS}" WHERE {ID_COLUMN} = ?', [code]), None)
        if row is None:
            for table in _MIRRORS:
                db.execute(f'DELETE FROM "{table}" WHERE {ID_COLUMN} = ? AND "{VERSION_COLUMN}" = 0', [code])
            continue
        prospect = record_from_row(Prospect, row)
        _put_own(db, _MIRRORS[0], code, prospect_customer(prospect, _PREPAID).to_data())
        _put_own(db, _MIRRORS[1], code, prospect_credit(prospect).to_data())


def prospect_codes(db: Database) -> set[str]:
    """The codes of every prospect on the device."""
    return {r[0] for r in db.execute(f'SELECT {ID_COLUMN} FROM "{PROSPECTS}"')}


__all__ = ["PROSPECTS", "mirror_prospects", "prospect_codes"]
