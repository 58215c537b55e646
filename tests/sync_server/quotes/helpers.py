"""Quoting test helpers: a small catalogue, sellers and managers of two teams, devices that
push, real quote PDFs, aiosmtpd handlers. Fixtures using them are in conftest.py."""

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from client.pdf import CompanyInfo, DocumentLine, PartyBlock, QuoteDocument, SellerBlock, TaxLine, render_quote_pdf
from shared.models import Category, Credit, PriceList, PriceListItem, Product, Role, TaxClass
from shared.protocol import CATALOG_BUCKET, portfolio_bucket
from shared.rules import compute_totals, price_line
from shared.rules.quote_lifecycle import quote_prefix
from shared.rules.quote_math import LineInput
from sync_server.repository.records import put_record
from sync_server.repository.tables import email_outbox
from tests.sync_server.factories import Device, make_customer, make_user

SELLER, OTHER_SELLER = "ana.garcia", "carla.sur"
MANAGER, OTHER_MANAGER, ADMIN = "marta.jefa", "sergio.jefe", "root.admin"
CUSTOMER, OTHER_CUSTOMER = "C1", "C4"
CUSTOMER_EMAIL = "compras@penalara.example"
# sku → (name, list price, replacement cost)
CATALOG = {
    "GUA-NIT-09": ("Guantes de nitrilo talla 9, EN 388", Decimal("2.3750"), Decimal("1.2000")),
    "TAL-18V-BL": ("Taladro atornillador 18 V sin escobillas", Decimal("189.0000"), Decimal("120.0000")),
}
_numbers = itertools.count(1)


def today() -> date:
    return datetime.now(UTC).date()


def seed_quoting(conn) -> None:
    """Two teams (NORTE: Ana + Marta; SUR: Carla + Sergio), an admin, customers, catalogue, credit."""
    make_user(conn, SELLER, team="NORTE")
    make_user(conn, MANAGER, role=Role.MANAGER, team="NORTE")
    make_user(conn, OTHER_SELLER, team="SUR")
    make_user(conn, OTHER_MANAGER, role=Role.MANAGER, team="SUR")
    make_user(conn, ADMIN, role=Role.ADMIN, team="HQ")
    make_customer(conn, CUSTOMER, SELLER, email=CUSTOMER_EMAIL)
    make_customer(conn, OTHER_CUSTOMER, OTHER_SELLER)
    put_record(conn, TaxClass(code="IVA21", name="IVA general", rate_percent=Decimal(21)), CATALOG_BUCKET)
    put_record(conn, Category(code="FERR", name="Ferretería"), CATALOG_BUCKET)
    put_record(
        conn,
        PriceList(code="BASE", name="Tarifa general", kind="base", currency="EUR", valid_from=date(2020, 1, 1)),
        CATALOG_BUCKET,
    )
    for sku, (name, price, cost) in CATALOG.items():
        put_record(
            conn,
            Product(
                sku=sku,
                name=name,
                category_code="FERR",
                unit="ud",
                tax_class="IVA21",
                currency="EUR",
                replacement_cost=cost,
            ),
            CATALOG_BUCKET,
        )
        put_record(
            conn,
            PriceListItem(price_list_code="BASE", sku=sku, min_quantity=Decimal(0), unit_price=price),
            CATALOG_BUCKET,
        )
    for code, seller in ((CUSTOMER, SELLER), (OTHER_CUSTOMER, OTHER_SELLER)):
        set_credit(conn, code, seller)


def set_credit(conn, customer: str, seller: str, **kw: Any) -> Credit:
    """A healthy credit row (limit 50,000 EUR, nothing overdue) unless overridden."""
    fields = dict(
        customer_code=customer,
        currency="EUR",
        credit_limit=Decimal(50000),
        open_balance=Decimal(1000),
        open_orders=Decimal(0),
        overdue_amount=Decimal(0),
        overdue_invoices=0,
        oldest_overdue_days=0,
        open_disputes=0,
        disputed_amount=Decimal(0),
        blocked=False,
        prepayment_required=False,
    )
    credit = Credit(**{**fields, **kw})
    put_record(conn, credit, portfolio_bucket(seller))
    return credit


def make_quote(
    *,
    lines: list[tuple[str, str, str]] | None = None,
    header_discount: str = "0",
    number: str | None = None,
    version: int = 1,
    quote_id: uuid.UUID | None = None,
    seller: str = SELLER,
    customer: str = CUSTOMER,
    valid_days: int = 30,
    **overrides: Any,
) -> dict[str, Any]:
    """A draft quote as a device builds it: lines (sku, quantity, line discount %) at list price,
    totals computed with shared/rules. Overrides replace any field after the totals are set."""
    lines = lines or [("GUA-NIT-09", "100", "0")]
    stored_lines, inputs = [], []
    for no, (sku, quantity, discount) in enumerate(lines, start=1):
        name, price, cost = CATALOG[sku]
        stored_lines.append(
            {
                "line_no": no,
                "sku": sku,
                "description": name,
                "quantity": quantity,
                "unit_price": str(price),
                "discount_percent": discount,
                "tax_rate_percent": "21",
                "unit_cost": str(cost),
                "warehouse_code": "MAD",
                "promise": "En stock · Madrid",
            }
        )
        inputs.append(
            LineInput(
                line_no=no,
                sku=sku,
                quantity=Decimal(quantity),
                unit_price=price,
                discount_percent=Decimal(discount),
                tax_rate_percent=Decimal(21),
                unit_cost=cost,
            )
        )
    totals = compute_totals(inputs, "EUR", Decimal(header_discount))
    issue = today()
    quote = {
        "id": str(quote_id or uuid.uuid4()),
        # The seller's first device's prefix (make_user names "ana.garcia" Ana Garcia: AG1).
        "number": number or f"{quote_prefix(seller.replace('.', ' ').title(), 1)}-{issue.year}-{next(_numbers):04d}",
        "version": version,
        "customer_code": customer,
        "seller_login": seller,
        "status": "draft",
        "currency": "EUR",
        "issue_date": issue.isoformat(),
        "valid_until": (issue + timedelta(days=valid_days)).isoformat(),
        "payment_terms": "NET30",
        "header_discount_percent": header_discount,
        "lines": stored_lines,
        "net_total": str(totals.net),
        "tax_total": str(totals.tax),
        "gross_total": str(totals.gross),
        "fired_rules": [],
    }
    return {**quote, **overrides}


def _line_input(line: dict[str, Any]) -> LineInput:
    return LineInput(
        line_no=line["line_no"],
        sku=line["sku"],
        quantity=Decimal(line["quantity"]),
        unit_price=Decimal(line["unit_price"]),
        discount_percent=Decimal(line["discount_percent"]),
        tax_rate_percent=Decimal(line["tax_rate_percent"]),
        unit_cost=Decimal(line["unit_cost"]),
    )


def quote_pdf(quote: dict[str, Any]) -> bytes:
    """The quote document the seller's device renders (the real reportlab PDF)."""
    header = Decimal(quote["header_discount_percent"])
    lines = [
        DocumentLine(
            line_no=line["line_no"],
            sku=line["sku"],
            description=line["description"],
            quantity=Decimal(line["quantity"]),
            unit="ud",
            unit_price=Decimal(line["unit_price"]),
            discount_percent=Decimal(line["discount_percent"]),
            net_amount=price_line(_line_input(line), quote["currency"], header).net,
            tax_rate_percent=Decimal(line["tax_rate_percent"]),
            availability=line["promise"],
        )
        for line in quote["lines"]
    ]
    document = QuoteDocument(
        language="es",
        company=CompanyInfo(name="Suministros Terreno", legal_name="Suministros Terreno S.L.", tax_id="B86543210"),
        customer=PartyBlock(code=quote["customer_code"], legal_name="Suministros Peñalara S.L.", tax_id="B28123456"),
        seller=SellerBlock(name="Ana García", email="ana.garcia@terreno.example"),
        number=quote["number"],
        version=quote["version"],
        issue_date=date.fromisoformat(quote["issue_date"]),
        valid_until=date.fromisoformat(quote["valid_until"]),
        currency=quote["currency"],
        payment_terms=quote["payment_terms"],
        lines=lines,
        net_total=Decimal(quote["net_total"]),
        tax_total=Decimal(quote["tax_total"]),
        gross_total=Decimal(quote["gross_total"]),
        tax_breakdown=[TaxLine(Decimal(21), Decimal(quote["net_total"]), Decimal(quote["tax_total"]))],
        header_discount_percent=Decimal(quote["header_discount_percent"]),
    )
    return render_quote_pdf(document)


def delivery_args(quote: dict[str, Any], sha: str, **overrides: Any) -> dict[str, Any]:
    """The send_quote payload's EmailDelivery."""
    delivery = {
        "id": str(uuid.uuid4()),
        "quote_id": quote["id"],
        "recipients": [CUSTOMER_EMAIL],
        "subject": f"Oferta {quote['number']} v{quote['version']}",
        "message": "Buenos días,\n\nAdjuntamos la oferta solicitada.\n\nAna García",
        "pdf_sha256": sha,
    }
    return {**delivery, **overrides}


def sent_quote(device: "Device", **kw: Any) -> dict[str, Any]:
    """A quote the device saved and sent (its PDF uploaded): `make_quote(**kw)`."""
    quote = make_quote(**kw)
    assert device.push("save_quote", quote=quote)["status"] == "applied"
    delivery = delivery_args(quote, device.upload(quote_pdf(quote)))
    assert device.push("send_quote", quote_id=quote["id"], delivery=delivery)["status"] == "applied"
    return quote


def approval_args(quote: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """The request_approval payload's ApprovalRequest."""
    request = {
        "id": str(uuid.uuid4()),
        "quote_id": quote["id"],
        "requested_by": quote["seller_login"],
        "reasons": ["Descuento pedido por volumen"],
        "note": "Cliente compara con la competencia",
    }
    return {**request, **overrides}


def outbox_rows(app) -> list[Any]:
    with app.state.engine.connect() as conn:
        return list(conn.execute(sa.select(email_outbox).order_by(email_outbox.c.created_at)))


class Collector:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class Refuser:
    """An aiosmtpd handler that refuses every message at DATA."""

    def __init__(self) -> None:
        self.refused = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.refused += 1
        return "550 5.7.1 Message refused by policy"


def mail_settings(settings, port: int, **kw: Any):
    """The app's settings pointed at an SMTP server on loopback."""
    return settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_from": "Terreno Ofertas <ofertas@terreno.example>",
            "smtp_timeout_seconds": 5,
            **kw,
        }
    )
