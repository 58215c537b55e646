"""The demo's own company: `company.csv` and the logo beside it (the demo company, not Terreno).

The logo is drawn here with Pillow (a terraced mark and the trade name) so the export needs
no file from the app bundle; the same call always writes the same bytes.
"""

import csv
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from sync_server.importer.company import COMPANY_FILE, COMPANY_SPEC

LOGO_FILE = "logo.png"
_GREEN = (31, 107, 74)
_SAND = (232, 200, 140)
_FONT = Path(__file__).resolve().parents[3] / "assets" / "fonts" / "DejaVuSans-Bold.ttf"

DEMO_COMPANY = {
    "legal_name": "Suministros Terreno S.L.",
    "trade_name": "Suministros Terreno",
    "tax_id": "B86543210",
    "country": "ES",
    "base_currency": "EUR",
    "address": "Calle de la Industria 14\n28923 Alcorcón (Madrid)",
    "phone": "+34 910 000 000",
    "email": "ventas@terreno.example",
    "website": "terreno.example",
    "bank_name": "Banco Ejemplo",
    "iban": "ES91 2100 0418 4502 0005 1332",
    "bic": "CAIXESBBXXX",
    "payment_terms": "30 días fecha factura",
    "delivery_days": "2",
    "terms_en": "\n".join(
        [
            "Prices in the quote currency, taxes shown per rate.",
            "Availability as stated per line on the issue date; confirmed on order.",
            "Delivery by the date stated on each line for an order confirmed on the issue date; "
            "a later order is dated again when confirmed.",
        ]
    ),
    "terms_es": "\n".join(
        [
            "Precios en la moneda de la oferta, impuestos detallados por tipo.",
            "Disponibilidad indicada por línea a la fecha de emisión; se confirma con el pedido.",
            "Entrega a más tardar en la fecha indicada en cada línea si el pedido se confirma en la "
            "fecha de emisión; un pedido posterior se fecha de nuevo al confirmarlo.",
        ]
    ),
    "logo_file": LOGO_FILE,
}


def draw_logo(path: Path, name: str, color: tuple[int, int, int] = _GREEN) -> None:
    """A letterhead logo: a rounded mark with three terraced bands, and `name` beside it."""
    image = Image.new("RGB", (900, 200), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    x, y, size = 10, 10, 180
    draw.rounded_rectangle([x, y, x + size, y + size], radius=size // 5, fill=color)
    band = size // 7
    for i, width in enumerate((0.55, 0.72, 0.88)):
        top = y + size // 3 + i * int(band * 1.5)
        left = x + int(size * (1 - width) / 2)
        draw.rounded_rectangle([left, top, left + int(size * width), top + band], radius=band // 2, fill=_SAND)
    size = 72
    font = ImageFont.truetype(str(_FONT), size)
    while size > 24 and draw.textlength(name, font=font) > image.width - 240:
        size -= 4  # a long trade name gets a smaller type, never a cut one
        font = ImageFont.truetype(str(_FONT), size)
    draw.text((220, 100), name, font=font, fill=color, anchor="lm")
    image.save(path, format="PNG", optimize=False)


def write_company_files(out_dir: Path, company: dict[str, str] = DEMO_COMPANY) -> None:
    """Write `company.csv` (one row) and the logo it names into `out_dir`."""
    columns = COMPANY_SPEC.columns()
    with open(out_dir / COMPANY_FILE, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(columns)
        writer.writerow([company.get(column, "") for column in columns])
    if company.get("logo_file"):
        draw_logo(out_dir / company["logo_file"], company.get("trade_name") or company["legal_name"])


__all__ = ["DEMO_COMPANY", "LOGO_FILE", "draw_logo", "write_company_files"]
