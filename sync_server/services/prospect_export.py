"""Prospect export: the prospects sellers made on their tablets, for the ERP to create them as
customers. Same style as the order export (`orders.py`, docs/order-export.md): by change-log
`seq` after a cursor, CSV (one row per prospect) or JSON (one document), written atomically.

A prospect the ERP already holds as a customer under its code is left out: it is done.
"""

import csv
import io
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from shared.errors import ValidationFailed
from shared.models.prospect import Prospect
from shared.spreadsheet import safe_row
from sync_server.repository.database import Connection
from sync_server.repository.directory import customer_seller
from sync_server.repository.quote_reads import order_puts_after
from sync_server.services.audit import AuditKind, audit
from sync_server.services.orders import FORMATS
from sync_server.services.policies import approval_policy

FORMAT_NAME, FORMAT_VERSION = "terreno-prospects", 1

PROSPECT_FIELDS = (
    "code",
    "seq",
    "created_at",
    "seller_login",
    "name",
    "tax_id",
    "contact",
    "email",
    "phone",
    "city",
    "country",
    "currency",
    "payment_terms",
    "lead_id",
)


def collect_prospects(conn: Connection, since_seq: int = 0) -> list[dict[str, Any]]:
    """Prospects written after `since_seq` and not yet ERP customers, oldest first, each once
    (at its latest write), as JSON-ready strings."""
    latest = {row.entity_id: row for row in order_puts_after(conn, Prospect.ENTITY, since_seq)}
    terms = approval_policy(conn).prepaid_terms
    found = []
    for row in sorted(latest.values(), key=lambda r: r.seq):
        prospect = Prospect.model_validate(json.loads(row.data))
        if customer_seller(conn, prospect.code)[0]:
            continue
        found.append(
            {
                "code": prospect.code,
                "seq": row.seq,
                "created_at": prospect.created_at.isoformat(),
                "seller_login": prospect.seller_login,
                "name": prospect.name,
                "tax_id": prospect.tax_id,
                "contact": prospect.contact,
                "email": prospect.email,
                "phone": prospect.phone,
                "city": prospect.city,
                "country": prospect.country,
                "currency": prospect.currency,
                "payment_terms": terms,
                "lead_id": str(prospect.lead_id) if prospect.lead_id else "",
            }
        )
    return found


def prospects_json(prospects: list[dict[str, Any]], since_seq: int, last_seq: int, exported_at: datetime) -> str:
    """The JSON export document."""
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": exported_at.isoformat(),
        "since_seq": since_seq,
        "last_seq": last_seq,
        "prospects": prospects,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def prospects_csv(prospects: list[dict[str, Any]]) -> str:
    """The CSV export: a header row, then one row per prospect."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=PROSPECT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(safe_row(p) for p in prospects)  # names typed on a tablet: never a formula
    return out.getvalue()


def export_prospects(conn: Connection, fmt: str, out: Path, since_seq: int, exported_at: datetime) -> tuple[int, int]:
    """Write the prospects after `since_seq` to `out` atomically; returns (prospects, last_seq)."""
    if fmt not in FORMATS:
        raise ValidationFailed(f"unknown export format {fmt!r}; use {' or '.join(FORMATS)}")
    if since_seq < 0:
        raise ValidationFailed("--since must not be negative")
    # The cursor passes the prospects left out too (already customers): they are done.
    last = max((r.seq for r in order_puts_after(conn, Prospect.ENTITY, since_seq)), default=since_seq)
    prospects = collect_prospects(conn, since_seq)
    text = prospects_json(prospects, since_seq, last, exported_at) if fmt == "json" else prospects_csv(prospects)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    with open(partial, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(partial, out)
    detail = f"{len(prospects)} prospect(s), {fmt}, changes {since_seq + 1}..{last}"
    audit(conn, AuditKind.PROSPECTS_EXPORTED, subject=str(out), detail=detail, at=exported_at)
    return len(prospects), last


__all__ = ["PROSPECT_FIELDS", "collect_prospects", "export_prospects", "prospects_csv", "prospects_json"]
