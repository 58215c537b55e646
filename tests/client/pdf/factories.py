"""Factories for quote PDF tests: a realistic display-ready quote, any field overridable."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from client.pdf import CompanyInfo, DocumentLine, PartyBlock, QuoteDocument, SellerBlock, TaxLine
from shared.money import round_money

LOGO = Path(__file__).resolve().parents[3] / "assets" / "logo.png"

# (sku, English description, Spanish description, unit en/es, unit price, discount %, tax %)
_CATALOG = [
    (
        "TOR-M8-050-ZN",
        "Hex bolt DIN 933 M8×50 zinc plated, box of 100",
        "Tornillo hexagonal DIN 933 M8×50 cincado, caja de 100",
        ("box", "caja"),
        "14.9000",
        "5",
        "21",
    ),
    (
        "GUA-NIT-09",
        "Nitrile gloves, size 9, EN 388 4121",
        "Guantes de nitrilo talla 9, EN 388 4121",
        ("pair", "par"),
        "2.3750",
        "0",
        "21",
    ),
    (
        "TAL-18V-BL",
        "Cordless drill 18 V brushless, 2 batteries 4 Ah and charger",
        "Taladro atornillador 18 V sin escobillas, 2 baterías 4 Ah y cargador",
        ("pc", "ud"),
        "189.0000",
        "12",
        "21",
    ),
    (
        "DIS-125-INOX",
        "Cutting disc 125×1.0 mm for stainless steel",
        "Disco de corte 125×1,0 mm para acero inoxidable",
        ("pc", "ud"),
        "1.1200",
        "10",
        "21",
    ),
    (
        "SIL-NEU-300",
        "Neutral silicone, translucent, 300 ml cartridge",
        "Silicona neutra translúcida, cartucho de 300 ml",
        ("pc", "ud"),
        "4.6500",
        "0",
        "21",
    ),
    (
        "BOT-S3-42",
        "Safety boot S3 SRC, size 42",
        "Bota de seguridad S3 SRC, talla 42",
        ("pair", "par"),
        "48.5000",
        "7.5",
        "21",
    ),
    (
        "CIN-EMB-48",
        "Packing tape 48 mm × 132 m, brown",
        "Cinta de embalar 48 mm × 132 m, marrón",
        ("roll", "rollo"),
        "1.8900",
        "0",
        "21",
    ),
    (
        "AGU-MIN-15",
        "Mineral water 1.5 l, pack of 6 (canteen supply)",
        "Agua mineral 1,5 l, pack de 6 (suministro comedor)",
        ("pack", "pack"),
        "2.1000",
        "0",
        "10",
    ),
    (
        "ESC-ALU-7P",
        "Aluminium step ladder, 7 steps, EN 131",
        "Escalera de aluminio de 7 peldaños, EN 131",
        ("pc", "ud"),
        "96.0000",
        "5",
        "21",
    ),
    (
        "LIM-IND-5L",
        "Industrial degreaser, 5 l drum",
        "Desengrasante industrial, garrafa de 5 l",
        ("drum", "garrafa"),
        "12.4000",
        "15",
        "21",
    ),
    (
        "CAF-GRA-1K",
        "Coffee beans 1 kg (canteen supply)",
        "Café en grano 1 kg (suministro comedor)",
        ("kg", "kg"),
        "17.2000",
        "0",
        "10",
    ),
    (
        "MAN-HID-10",
        'Hydraulic hose 3/8" 2SN, sold by the metre',
        'Manguera hidráulica 3/8" 2SN, por metro',
        ("m", "m"),
        "6.7250",
        "3",
        "21",
    ),
]
_QUANTITIES = ["24", "200", "3", "150", "48", "12", "72", "40", "2", "16", "10", "37.5"]
_AVAILABILITY = {
    "en": ["In stock · Madrid", "In stock · Valencia", "From 3 Dec 2026", "Substitute proposed"],
    "es": ["En stock · Madrid", "En stock · Valencia", "Desde el 3 dic 2026", "Sustituto propuesto"],
}


def make_lines(
    n: int, *, language: str = "en", start: int = 1, header_discount_percent: Decimal = Decimal(0)
) -> list[DocumentLine]:
    """n lines cycling through a distributor's catalogue, nets computed as shared/rules would."""
    lines = []
    for i in range(n):
        sku, en, es, units, price, discount, tax = _CATALOG[i % len(_CATALOG)]
        quantity = Decimal(_QUANTITIES[i % len(_QUANTITIES)])
        unit_price, discount_percent = Decimal(price), Decimal(discount)
        # As shared/rules/quote_math: both discounts on every line, one rounding per line.
        factor = (1 - discount_percent / 100) * (1 - header_discount_percent / 100)
        net = round_money(quantity * unit_price * factor, "EUR")
        lines.append(
            DocumentLine(
                line_no=start + i,
                sku=sku if i < len(_CATALOG) else f"{sku[:10]}-{i // len(_CATALOG)}",
                description=en if language == "en" else es,
                quantity=quantity,
                unit=units[0] if language == "en" else units[1],
                unit_price=unit_price,
                discount_percent=discount_percent,
                net_amount=net,
                tax_rate_percent=Decimal(tax),
                availability=_AVAILABILITY[language][i % 4],
            )
        )
    return lines


def _totals(lines: list[DocumentLine]) -> dict[str, Any]:
    bases: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in lines:
        bases[line.tax_rate_percent] += line.net_amount
    breakdown = [
        TaxLine(rate_percent=rate, base=bases[rate], tax=round_money(bases[rate] * rate / 100, "EUR"))
        for rate in sorted(bases, reverse=True)
    ]
    net = sum((t.base for t in breakdown), Decimal("0.00"))
    tax = sum((t.tax for t in breakdown), Decimal("0.00"))
    return dict(tax_breakdown=breakdown, net_total=net, tax_total=tax, gross_total=net + tax)


def make_company(**kw: Any) -> CompanyInfo:
    """The distributor issuing quotes, with the project's logo."""
    fields = dict(
        name="Suministros Industriales Terreno",
        legal_name="Suministros Industriales Terreno S.L.",
        tax_id="B86543210",
        address_lines=("Polígono Industrial Las Mercedes, C/ Campezo 12", "28022 Madrid, España"),
        phone="+34 910 555 120",
        email="ventas@terreno-suministros.es",
        website="www.terreno-suministros.es",
        logo_path=LOGO,
    )
    return CompanyInfo(**{**fields, **kw})


def make_document(**overrides: Any) -> QuoteDocument:
    """A 12-line quote in English (language='es' for Spanish); totals follow the lines given.

    Any QuoteDocument field can be overridden; totals and tax breakdown are computed from
    the lines unless overridden too.
    """
    language = overrides.get("language", "en")
    header_discount = overrides.get("header_discount_percent", Decimal(0))
    lines = overrides.pop("lines", None)
    if lines is None:
        lines = make_lines(12, language=language, header_discount_percent=header_discount)
    spanish = language == "es"
    fields: dict[str, Any] = dict(
        language=language,
        company=make_company(),
        customer=PartyBlock(
            code="C-10427",
            legal_name="Ferretería Peñalara i Garçon S.L.",
            tax_id="B28123456",
            address_lines=("Avenida de la Constitución 45, nave 3", "28850 Torrejón de Ardoz (Madrid)"),
            contact_name="Begoña Muñoz",
            contact_email="compras@ferreteria-penalara.es",
        ),
        seller=SellerBlock(
            name="Ana García Ordóñez", email="ana.garcia@terreno-suministros.es", phone="+34 655 120 334"
        ),
        number="Q-2026-MAD7-000123",
        version=2,
        issue_date=date(2026, 11, 24),
        valid_until=date(2026, 12, 24),
        currency="EUR",
        payment_terms="Transferencia a 30 días" if spanish else "Bank transfer, 30 days",
        lines=lines,
        header_discount_percent=header_discount,
        terms=(
            [
                "Precios sin IVA salvo indicación; portes pagados en pedidos de más de 300 €.",
                "Plazos de entrega sujetos a disponibilidad en el momento del pedido.",
                "Oferta válida hasta la fecha indicada.",
            ]
            if spanish
            else [
                "Prices exclude tax unless stated; free delivery on orders over €300.",
                "Delivery dates subject to availability when the order is placed.",
                "This offer is valid until the date shown.",
            ]
        ),
        notes=("Entrega en muelle 2, de 8:00 a 14:00." if spanish else "Deliver to dock 2, 8:00–14:00."),
        status_label=None,
        **_totals(lines),
    )
    return QuoteDocument(**{**fields, **overrides})
