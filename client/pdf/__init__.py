"""Quote documents as PDF: a display-ready QuoteDocument in, deterministic PDF bytes out."""

from client.pdf.document import CompanyInfo, DocumentLine, PartyBlock, QuoteDocument, SellerBlock, TaxLine
from client.pdf.renderer import render_quote_pdf, write_quote_pdf

__all__ = [
    "CompanyInfo",
    "DocumentLine",
    "PartyBlock",
    "QuoteDocument",
    "SellerBlock",
    "TaxLine",
    "render_quote_pdf",
    "write_quote_pdf",
]
