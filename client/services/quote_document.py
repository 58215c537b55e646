"""A saved quote as the customer's document: the PDF the seller previews and sends.

Only wording and layout are decided here; every figure comes from the saved quote (which
`shared/rules` computed), so the PDF cannot disagree with what the seller saw on screen.
"""

from datetime import date
from decimal import Decimal

from client.i18n import Translator
from client.i18n.messages import describe_stored_promise
from client.i18n.messages import words as words_of
from client.pdf import DocumentLine, PartyBlock, QuoteDocument, SellerBlock, TaxLine, render_quote_pdf
from client.services.company import NEUTRAL_INFO, company_of
from client.services.quote_facts import load_customer
from client.services.session import Session
from client.store import record_from_row
from shared.models import Contact, TaxRegime, User
from shared.models.field import Quote
from shared.rules import price_line, tax_groups
from shared.rules.payment_terms import payment_terms_words
from shared.rules.quote_math import line_input
from shared.rules.taxes import customer_regime

SPANISH_SPEAKING = frozenset(
    [
        "AR",
        "BO",
        "CL",
        "CO",
        "CR",
        "CU",
        "DO",
        "EC",
        "ES",
        "GQ",
        "GT",
        "HN",
        "MX",
        "NI",
        "PA",
        "PE",
        "PR",
        "PY",
        "SV",
        "UY",
        "VE",
    ]
)
"""Countries whose customers get their quotes in Spanish; every other country's, in English."""


def document_language(country: str) -> str:
    """The language of a customer's documents: Spanish where it is spoken, else English."""
    return "es" if country.upper() in SPANISH_SPEAKING else "en"


def quote_document(session: Session, quote: Quote, language: str | None = None) -> QuoteDocument:
    """The printable document of one quote version, in the customer's language (English or
    Spanish) unless `language` says otherwise.

    It carries no status mark: the preview and the sent PDF are the same bytes.
    """
    company = company_of(session)
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
    language = language or document_language(customer.country)
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
            availability=describe_stored_promise(words, line.customer_words, line.promise),
            delivery=delivery_words(words, line.promised_delivery),
        )
        for line, result in zip(quote.lines, results, strict=True)
    ]
    groups = tax_groups(((r.tax_rate_percent, r.net) for r in results), quote.currency)
    seller = sellers[0] if sellers else None
    contact = contacts[0] if contacts else None
    regime = customer_regime(
        customer.country, customer.tax_id, company.country if company else None, customer.tax_regime
    )
    exemption = regime_note(words, regime)
    return QuoteDocument(
        language="es" if language == "es" else "en",
        company=company.info if company else NEUTRAL_INFO,
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
        payment_terms=words_of(words, payment_terms_words(quote.payment_terms)),
        lines=lines,
        net_total=Decimal(quote.net_total),
        tax_total=Decimal(quote.tax_total),
        gross_total=Decimal(quote.gross_total),
        tax_breakdown=[TaxLine(g.rate_percent, g.base, g.tax) for g in groups],
        header_discount_percent=header,
        terms=company.terms(language) if company else (),
        # The seller's note for the customer first; the tax exemption's legal wording after it.
        notes="\n\n".join(x for x in (quote.customer_note.strip(), exemption) if x),
    )


def regime_note(t: Translator, regime: TaxRegime) -> str:
    """The legal wording a quote in this tax regime carries ('' for the domestic one)."""
    if regime == TaxRegime.INTRA_EU:
        return t("tax.note.intra_eu")
    if regime == TaxRegime.EXPORT:
        return t("tax.note.export")
    if regime == TaxRegime.EXEMPT_TERRITORY:
        return t("tax.note.exempt_territory")
    return ""


def delivery_words(t: Translator, promised: date | None) -> str:
    """A line's delivery date as the customer reads it: a date, or "to be confirmed"."""
    return t("delivery.by", date=t.date(promised)) if promised else t("delivery.to_confirm")


def quote_language(session: Session, quote: Quote) -> str:
    """The language the customer reads the quote in (`document_language` of her country)."""
    with session.store.read() as db:
        return document_language(load_customer(db, quote.customer_code).country)


def render_quote(session: Session, quote: Quote, language: str | None = None) -> bytes:
    """The quote's PDF bytes, in the customer's language unless told otherwise (the same
    quote and language always give the same bytes)."""
    return render_quote_pdf(quote_document(session, quote, language))


__all__ = [
    "SPANISH_SPEAKING",
    "delivery_words",
    "document_language",
    "quote_document",
    "quote_language",
    "regime_note",
    "render_quote",
]
