"""Order export (DESIGN §3): accepted quotes as sales order requests for the ERP.

An order is made by `mark_quote accepted` and stored as a synced `order` record; its
lines are the accepted quote version's. `collect_orders` reads the orders whose change-log
`seq` is above a cursor, so the ERP side imports incrementally: keep the export's
`last_seq` and pass it as `since` next time. Formats (see docs/order-export.md):

- JSON: one document `{format, version, exported_at, since_seq, last_seq, orders: [...]}`,
  each order with its header and `lines`.
- CSV: one row per order line, the order's header repeated on each (UTF-8, comma, header
  row, RFC 4180 quoting), in (seq, line_no) order.

Amounts are the quote's exact decimal strings; a line's `net_amount` is computed with the
same rule as the quote total (`shared.rules.price_line`), so the lines add up to `net_total`.
"""

import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from shared.errors import ValidationFailed
from shared.models.field import Order, Quote
from shared.rules import price_line
from shared.rules.quote_math import line_input
from shared.spreadsheet import safe_row
from sync_server.repository.database import Connection
from sync_server.repository.quote_reads import customer_identity, order_puts_after
from sync_server.services.audit import AuditKind, audit
from sync_server.services.mutations.base import current_data, load_prospect

FORMATS = ("csv", "json")
FORMAT_NAME, FORMAT_VERSION = "terreno-orders", 1

ORDER_FIELDS = (
    "order_id",
    "seq",
    "accepted_at",
    "quote_id",
    "quote_number",
    "quote_version",
    "customer_code",
    "customer_tax_id",
    "customer_name",
    "seller_login",
    "currency",
    "issue_date",
    "valid_until",
    "payment_terms",
    "header_discount_percent",
    "net_total",
    "tax_total",
    "gross_total",
    "customer_po",
    "requested_delivery",
    "conditions",
    "prospect_code",
)
LINE_FIELDS = (
    "line_no",
    "sku",
    "description",
    "quantity",
    "unit_price",
    "discount_percent",
    "tax_rate_percent",
    "net_amount",
    "warehouse_code",
    "promise",
    "line_requested_delivery",
    "promised_delivery",
)


@dataclass(frozen=True, slots=True)
class ExportedOrder:
    """One order request as exported: its change-log position, the order and its quote."""

    seq: int
    accepted_at: datetime
    order: Order
    quote: Quote
    customer_tax_id: str
    customer_name: str
    prospect_code: str = ""
    """The customer is a prospect made on a tablet, not yet in the ERP (see export-prospects)."""

    def header(self) -> dict[str, Any]:
        """The order's fields as JSON-ready strings."""
        q = self.quote
        return {
            "order_id": str(self.order.id),
            "seq": self.seq,
            "accepted_at": self.accepted_at.isoformat(),
            "quote_id": str(q.id),
            "quote_number": q.number,
            "quote_version": q.version,
            "customer_code": q.customer_code,
            "customer_tax_id": self.customer_tax_id,
            "customer_name": self.customer_name,
            "seller_login": q.seller_login,
            "currency": q.currency,
            "issue_date": q.issue_date.isoformat(),
            "valid_until": q.valid_until.isoformat(),
            "payment_terms": q.payment_terms,
            "header_discount_percent": str(q.header_discount_percent),
            "net_total": str(q.net_total),
            "tax_total": str(q.tax_total),
            "gross_total": str(q.gross_total),
            "customer_po": self.order.customer_po,
            "requested_delivery": self.order.requested_delivery.isoformat() if self.order.requested_delivery else "",
            "conditions": q.conditions,
            "prospect_code": self.prospect_code,
        }

    def lines(self) -> list[dict[str, Any]]:
        """The order's lines as JSON-ready strings, in line order."""
        q = self.quote
        rows = []
        for line in sorted(q.lines, key=lambda item: item.line_no):
            priced = price_line(line_input(line), q.currency, Decimal(q.header_discount_percent))
            rows.append(
                {
                    "line_no": line.line_no,
                    "sku": line.sku,
                    "description": line.description,
                    "quantity": str(line.quantity),
                    "unit_price": str(line.unit_price),
                    "discount_percent": str(line.discount_percent),
                    "tax_rate_percent": str(line.tax_rate_percent),
                    "net_amount": str(priced.net),
                    "warehouse_code": line.warehouse_code or "",
                    "promise": line.promise,
                    # The line's own wanted day, else the order's (the day given on accepting).
                    "line_requested_delivery": _iso(line.requested_delivery or self.order.requested_delivery),
                    "promised_delivery": _iso(line.promised_delivery),
                }
            )
        return rows


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def collect_orders(conn: Connection, since_seq: int = 0) -> list[ExportedOrder]:
    """Orders written to the change log after `since_seq`, oldest first (each once, latest put)."""
    rows = order_puts_after(conn, Order.ENTITY, since_seq)
    latest = {row.entity_id: row for row in rows}  # a re-written order is exported once, at its last seq
    exported = []
    for row in sorted(latest.values(), key=lambda r: r.seq):
        order = Order.model_validate(json.loads(row.data))
        found = current_data(conn, Quote.ENTITY, str(order.quote_id))
        if found is None:
            continue  # cannot happen: the order and its quote are written together
        customer = customer_identity(conn, order.customer_code)
        prospect = None if customer else load_prospect(conn, order.customer_code)
        if prospect is not None:
            customer = prospect
            customer_name = prospect.name
        else:
            customer_name = customer.legal_name if customer else ""
        exported.append(
            ExportedOrder(
                seq=row.seq,
                accepted_at=row.created_at,
                order=order,
                quote=Quote.model_validate(found[1]),
                customer_tax_id=customer.tax_id if customer else "",
                customer_name=customer_name,
                prospect_code=prospect.code if prospect is not None else "",
            )
        )
    return exported


def to_json(orders: Iterable[ExportedOrder], since_seq: int, exported_at: datetime) -> str:
    """The JSON export document."""
    orders = list(orders)
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": exported_at.isoformat(),
        "since_seq": since_seq,
        "last_seq": max((o.seq for o in orders), default=since_seq),
        "orders": [{**o.header(), "lines": o.lines()} for o in orders],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_csv(orders: Iterable[ExportedOrder]) -> str:
    """The CSV export: a header row, then one row per order line."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*ORDER_FIELDS, *LINE_FIELDS], lineterminator="\r\n")
    writer.writeheader()
    for order in orders:
        header = order.header()
        for line in order.lines():
            writer.writerow(safe_row({**header, **line}))  # names typed on a tablet: never a formula
    return out.getvalue()


def export_orders(conn: Connection, fmt: str, out: Path, since_seq: int, exported_at: datetime) -> tuple[int, int]:
    """Write the orders after `since_seq` to `out` atomically, noted in the audit log (in a
    write transaction); returns (orders, last_seq)."""
    if fmt not in FORMATS:
        raise ValidationFailed(f"unknown export format {fmt!r}; use {' or '.join(FORMATS)}")
    if since_seq < 0:
        raise ValidationFailed("--since must not be negative")
    orders = collect_orders(conn, since_seq)
    text = to_json(orders, since_seq, exported_at) if fmt == "json" else to_csv(orders)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    # newline="" keeps the CSV's CRLF as written; the rename makes a half-written file impossible.
    with open(partial, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(partial, out)
    last = max((o.seq for o in orders), default=since_seq)
    detail = f"{len(orders)} order(s), {fmt}, changes {since_seq + 1}..{last}"
    audit(conn, AuditKind.ORDERS_EXPORTED, subject=str(out), detail=detail, at=exported_at)
    return len(orders), last


__all__ = [
    "FORMATS",
    "LINE_FIELDS",
    "ORDER_FIELDS",
    "ExportedOrder",
    "collect_orders",
    "export_orders",
    "to_csv",
    "to_json",
]
