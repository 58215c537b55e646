"""The top of page one: company letterhead, title with number and version, key facts,
and the customer and seller blocks side by side."""

import io
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, HRFlowable, Image, Paragraph, Spacer, Table

from client.pdf.document import CompanyInfo, PartyBlock, QuoteDocument, SellerBlock
from client.pdf.formats import Formats
from client.pdf.styles import BRAND, CONTENT_WIDTH, PANEL, RULE, STYLES, para, table_style

_LOGO_MAX_WIDTH = 60 * mm
_LOGO_MAX_HEIGHT = 16 * mm
_GAP = 6 * mm


def build_header(doc: QuoteDocument, labels: Mapping[str, str], formats: Formats) -> list[Flowable]:
    """The flowables of the quote's opening: letterhead, title and parties."""
    return [
        _letterhead(doc.company, labels),
        Spacer(1, 3 * mm),
        HRFlowable(width="100%", thickness=1.5, color=BRAND, spaceAfter=4 * mm),
        _title_and_facts(doc, labels, formats),
        Spacer(1, 5 * mm),
        _parties(doc.customer, doc.seller, labels),
        Spacer(1, 5 * mm),
    ]


def _logo(path: Path | None, data: bytes | None = None) -> Flowable | None:
    if data is None:
        if path is None or not Path(path).is_file():
            return None
        # Read once, so the check below and the drawing use the same bytes; an image drawn
        # from its bytes is also named by its content, never by where the app is installed.
        data = Path(path).read_bytes()
    try:
        width, height = ImageReader(io.BytesIO(data)).getSize()
    except (OSError, ValueError):
        # An unreadable logo must not stop a seller from sending a quote offline.
        return None
    scale = min(_LOGO_MAX_WIDTH / width, _LOGO_MAX_HEIGHT / height)
    return Image(io.BytesIO(data), width=width * scale, height=height * scale, hAlign="LEFT")


def _letterhead(company: CompanyInfo, labels: Mapping[str, str]) -> Flowable:
    lines = [para(company.name, STYLES.company_name)]
    tax_id = f"{labels['tax_id']} {company.tax_id}" if company.tax_id else ""
    legal = " · ".join(part for part in (company.legal_name, tax_id) if part)
    if legal:
        lines.append(para(legal, STYLES.small_right))
    for address in company.address_lines:
        lines.append(para(address, STYLES.small_right))
    contact = " · ".join(part for part in (company.phone, company.email, company.website) if part)
    if contact:
        lines.append(para(contact, STYLES.small_right))
    logo = _logo(company.logo_path, company.logo)
    table = Table([[logo or "", lines]], colWidths=[_LOGO_MAX_WIDTH + 4 * mm, None])
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _title_and_facts(doc: QuoteDocument, labels: Mapping[str, str], formats: Formats) -> Flowable:
    version = labels["version"].format(version=doc.version)
    title = [
        para(labels["title"].upper(), STYLES.title),
        Paragraph(f"<b>{escape(doc.number)}</b>  ·  {escape(version)}", STYLES.party_name),
    ]
    if doc.status_label:
        title += [Spacer(1, 2 * mm), para(doc.status_label, STYLES.status)]
    facts = [
        (labels["issue_date"], formats.date(doc.issue_date)),
        (labels["valid_until"], formats.date(doc.valid_until)),
        (labels["currency"], doc.currency),
        (labels["payment_terms"], doc.payment_terms),
    ]
    facts_table = Table(
        [[para(label, STYLES.small), para(value, STYLES.body, bold=True)] for label, value in facts],
        colWidths=[26 * mm, 52 * mm],
    )
    facts_table.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                ("LINEBELOW", (0, 0), (-1, -2), 0.5, colors.white),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    table = Table([[title, facts_table]], colWidths=[CONTENT_WIDTH - 78 * mm, 78 * mm])
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _customer_lines(customer: PartyBlock, labels: Mapping[str, str]) -> list[Flowable]:
    lines = [para(customer.legal_name, STYLES.party_name)]
    ids = [f"{labels['customer_code']} {customer.code}"]
    if customer.tax_id:
        ids.append(f"{labels['tax_id']} {customer.tax_id}")
    lines.append(para(" · ".join(ids), STYLES.small))
    lines += [para(address, STYLES.body) for address in customer.address_lines]
    contact = " · ".join(part for part in (customer.contact_name, customer.contact_email) if part)
    if contact:
        lines.append(para(f"{labels['attention']} {contact}", STYLES.body))
    return lines


def _seller_lines(seller: SellerBlock) -> list[Flowable]:
    lines = [para(seller.name, STYLES.party_name)]
    lines += [para(part, STYLES.body) for part in (seller.email, seller.phone) if part]
    return lines


def _parties(customer: PartyBlock, seller: SellerBlock, labels: Mapping[str, str]) -> Flowable:
    customer_width = CONTENT_WIDTH * 0.6 - _GAP / 2
    seller_width = CONTENT_WIDTH * 0.4 - _GAP / 2
    table = Table(
        [
            [para(labels["customer"].upper(), STYLES.caption), "", para(labels["seller"].upper(), STYLES.caption)],
            [_customer_lines(customer, labels), "", _seller_lines(seller)],
        ],
        colWidths=[customer_width, _GAP, seller_width],
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (0, -1), 0.6, RULE),
                ("BOX", (2, 0), (2, -1), 0.6, RULE),
                ("LINEABOVE", (0, 0), (0, 0), 2, BRAND),
                ("LINEABOVE", (2, 0), (2, 0), 2, BRAND),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, 0), 5),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    return table


__all__ = ["build_header"]
