"""The printed words of a quote, per document language, and the locale each language uses.

Locales: Spanish documents use es_ES (1.234,56 €, 3 dic 2026) — the distributors Terreno is
built for sell from Spain. English documents use en_GB (€1,234.56, 3 Dec 2026): its
day-month-year dates cannot be misread by a European customer, which en_US's 12/3/2026 can.
"""

from collections.abc import Mapping
from types import MappingProxyType

from client.pdf.document import Language

LOCALES: Mapping[Language, str] = MappingProxyType({"en": "en_GB", "es": "es_ES"})

_EN = {
    "title": "Quote",
    "version": "version {version}",
    "customer": "Customer",
    "seller": "Your sales contact",
    "customer_code": "Customer no.",
    "tax_id": "Tax ID",
    "attention": "Attn.",
    "issue_date": "Date",
    "valid_until": "Valid until",
    "currency": "Currency",
    "payment_terms": "Payment terms",
    "col_no": "#",
    "col_sku": "SKU",
    "col_description": "Description",
    "col_quantity": "Qty",
    "col_unit_price": "Unit price",
    "col_discount": "Disc.",
    "col_net": "Net",
    "col_tax": "Tax",
    "col_availability": "Availability",
    "tax_rate": "Tax rate",
    "tax_base": "Taxable base",
    "tax_amount": "Tax",
    "net_total": "Net total",
    "tax_total": "Total tax",
    "gross_total": "Total",
    "header_discount": "General discount",
    "terms": "Terms and conditions",
    "notes": "Notes",
    "acceptance": "Accepted by the customer (name, signature, stamp and date)",
    "page": "Page {page} of {pages}",
    "footer_quote": "Quote {number} · version {version}",
}

_ES = {
    "title": "Presupuesto",
    "version": "versión {version}",
    "customer": "Cliente",
    "seller": "Su comercial",
    "customer_code": "Nº cliente",
    "tax_id": "NIF",
    "attention": "A/A",
    "issue_date": "Fecha",
    "valid_until": "Válido hasta",
    "currency": "Moneda",
    "payment_terms": "Forma de pago",
    "col_no": "#",
    "col_sku": "Referencia",
    "col_description": "Descripción",
    "col_quantity": "Cant.",
    "col_unit_price": "Precio ud.",
    "col_discount": "Dto.",
    "col_net": "Importe",
    "col_tax": "IVA",
    "col_availability": "Disponibilidad",
    "tax_rate": "Tipo IVA",
    "tax_base": "Base imponible",
    "tax_amount": "Cuota",
    "net_total": "Total neto",
    "tax_total": "Total IVA",
    "gross_total": "Total",
    "header_discount": "Descuento general",
    "terms": "Condiciones",
    "notes": "Observaciones",
    "acceptance": "Conforme del cliente (nombre, firma, sello y fecha)",
    "page": "Página {page} de {pages}",
    "footer_quote": "Presupuesto {number} · versión {version}",
}

LABELS: Mapping[Language, Mapping[str, str]] = MappingProxyType(
    {"en": MappingProxyType(_EN), "es": MappingProxyType(_ES)}
)


def labels_for(language: Language) -> Mapping[str, str]:
    """The label table of a document language ('en' or 'es')."""
    return LABELS[language]


__all__ = ["LABELS", "LOCALES", "labels_for"]
