"""A saved quote as the customer's document: the PDF the seller previews and sends.

Only wording and layout are decided here; every figure comes from the saved quote (which
`shared/rules` computed), so the PDF cannot disagree with what the seller saw on screen.
"""

from decimal import Decimal

from client.i18n import Translator
from client.pdf import DocumentLine, PartyBlock, QuoteDocument, SellerBlock, TaxLine, render_quote_pdf
from client.services.company import load_company
from client.services.quote_facts import load_customer
from client.services.session import Session
from client.store import record_from_row
from shared.models import Contact, User
from shared.models.field import Quote
from shared.rules import price_line, tax_groups
from shared.rules.quote_math import line_input
from shared.rules.taxes import exemption_reason


def quote_document(session: Session, quote: Quote, language: str = "en") -> QuoteDocument:
    """The printable document of one quote version, in English or Spanish.

    It carries no status mark: the preview and the sent PDF are the same bytes.
    """
    company = load_company()
    with session.store.read() as db:
        customer = load_customer(db, quote.customer_code)
        contacts = [
            record_from_row(Contact, r)
            for r in db.query("SELECT * FROM contacts WHERE customer_code = ? ORDER BY name LIMIT 1", [customer.code])
        ]
        sellers = [
            record_from_row(User, r)
            for r in db.query("SELECT * FROM users WHERE login = ? LIMIT 1", [quote.seller_login])
        ]
        skus = [line.sku for line in quote.lines]
        units = {
            r["sku"]: r["unit"]
            for r in db.query(
                f"SELECT sku, unit FROM products WHERE sku IN ({', '.join('?' for _ in skus) or 'NULL'})", skus
            )
        }
    words = Translator("es" if language == "es" else "en")
    header = Decimal(quote.header_discount_percent)
    results = [price_line(line_input(line), quote.currency, header) for line in quote.lines]
    lines = [
        DocumentLine(
            line_no=line.line_no,
            sku=line.sku,
            description=line.description,
            quantity=line.quantity,
            unit=words.unit(units.get(line.sku, "")),
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
            net_amount=result.net,
            tax_rate_percent=line.tax_rate_percent,
            availability=line.promise,
        )
        for line, result in zip(quote.lines, results, strict=True)
    ]
    groups = tax_groups(((r.tax_rate_percent, r.net) for r in results), quote.currency)
    seller = sellers[0] if sellers else None
    contact = contacts[0] if contacts else None
    exemption = exemption_reason(customer.country, company.country)
    return QuoteDocument(
        language="es" if language == "es" else "en",
        company=company.info,
        customer=PartyBlock(
            code=customer.code,
            legal_name=customer.legal_name,
            tax_id=customer.tax_id,
            address_lines=tuple(
                x for x in (customer.address, f"{customer.postal_code} {customer.city}".strip(), customer.country) if x
            ),
            contact_name=contact.name if contact else "",
            contact_email=(contact.email if contact else customer.email),
        ),
        seller=SellerBlock(name=seller.name if seller else session.name, email=seller.email if seller else ""),
        number=quote.number,
        version=quote.version,
        issue_date=quote.issue_date,
        valid_until=quote.valid_until,
        currency=quote.currency,
        payment_terms=quote.payment_terms,
        lines=lines,
        net_total=Decimal(quote.net_total),
        tax_total=Decimal(quote.tax_total),
        gross_total=Decimal(quote.gross_total),
        tax_breakdown=[TaxLine(g.rate_percent, g.base, g.tax) for g in groups],
        header_discount_percent=header,
        terms=company.terms.get(language, company.terms.get("en", ())),
        notes=exemption,
    )


def render_quote(session: Session, quote: Quote, language: str = "en") -> bytes:
    """The quote's PDF bytes (the same quote and language always give the same bytes)."""
    return render_quote_pdf(quote_document(session, quote, language))


__all__ = ["quote_document", "render_quote"]
