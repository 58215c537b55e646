"""Warehouses, tax classes, categories and products: the catalogue a distributor exports."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from random import Random

from sync_server.importer.demo.taxonomy import BRANDS, TREE, Leaf, walk
from sync_server.importer.demo.writer import ExportWriter

BASE_PRODUCTS = 8_000
INACTIVE_SHARE = 0.03
SUBSTITUTE_SHARE = 0.15

WAREHOUSES: tuple[tuple[str, str, str], ...] = (
    ("MAD", "Almacén central Madrid (Coslada)", "Coslada"),
    ("BCN", "Almacén Barcelona (Zona Franca)", "Barcelona"),
    ("VLC", "Almacén Valencia (Riba-roja)", "Riba-roja de Túria"),
)
# Not every warehouse carries every item: the central one nearly all, the others fewer.
_WAREHOUSE_COVERAGE = {"MAD": 0.93, "BCN": 0.70, "VLC": 0.55}

TAX_CLASSES: tuple[tuple[str, str, Decimal], ...] = (
    ("IVA21", "IVA general 21 %", Decimal("21")),
    ("IVA10", "IVA reducido 10 %", Decimal("10")),
    ("IVA4", "IVA superreducido 4 %", Decimal("4")),
    ("EXENTO", "Exento de IVA", Decimal("0")),
)
TAX_RATES: dict[str, Decimal] = {code: rate / 100 for code, _, rate in TAX_CLASSES}

# Gross markup over replacement cost by top-level category, in percent: small parts carry
# big margins, power tools and machines thin ones.
_MARKUP: dict[str, tuple[int, int]] = {
    "TOR": (175, 240),
    "HEL": (122, 138),
    "HMA": (140, 170),
    "EPI": (145, 180),
    "NEU": (150, 185),
    "HID": (145, 175),
    "ROD": (155, 200),
    "SOL": (130, 160),
    "ADH": (150, 190),
    "ELE": (135, 165),
    "FON": (140, 170),
    "ALM": (128, 150),
    "ABR": (160, 200),
    "SER": (150, 160),
}
_UNIT_NAMES = {"EA": "unidad", "BOX": "caja", "KG": "kilogramo", "M": "metro", "L": "litro"}
_CENT = Decimal("0.01")
_TEN_THOUSANDTH = Decimal("0.0001")


@dataclass(slots=True)
class ProductInfo:
    """What the rest of the generator needs to know about one product."""

    index: int
    sku: str
    leaf: int
    top: int
    unit: str
    tax_class: str
    cost: Decimal
    price: Decimal
    active: bool


@dataclass(slots=True)
class Catalog:
    """The generated products, grouped the ways customers and price lists look them up."""

    products: list[ProductInfo]
    leaves: list[Leaf]
    top_codes: list[str]
    leaves_by_top: list[list[int]]
    products_by_leaf: list[list[int]]
    """Product indices per leaf, most popular first."""
    active_by_leaf: list[list[int]]
    """The same, active products only."""


def price_places(amount: Decimal) -> Decimal:
    """Round a price or cost as an ERP shows it: cents from 1 up, 4 decimals below (washers)."""
    if amount >= 1:
        return amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    return amount.quantize(_TEN_THOUSANDTH, rounding=ROUND_HALF_UP)


def write_warehouses(writer: ExportWriter) -> None:
    """warehouses.csv: the three sites stock is kept in."""
    out = writer.open("warehouses.csv")
    for code, name, city in WAREHOUSES:
        out.write({"code": code, "name": name, "city": city})
    out.close()


def write_tax_classes(writer: ExportWriter) -> None:
    """tax_classes.csv: Spanish VAT rates and the exempt class."""
    out = writer.open("tax_classes.csv")
    for code, name, rate in TAX_CLASSES:
        out.write({"code": code, "name": name, "rate_percent": rate})
    out.close()


def write_categories(writer: ExportWriter) -> None:
    """categories.csv: the whole tree, parents before children."""
    out = writer.open("categories.csv")
    for top in TREE:
        for node, parent in walk(top):
            out.write({"code": node.code, "name": node.name, "parent_code": parent})
    out.close()


def _leaf_counts(leaves: list[Leaf], total: int) -> list[int]:
    """Split `total` products over the leaves by weight, exactly (largest remainders)."""
    weight = sum(lf.weight for lf in leaves)
    shares = [total * lf.weight / weight for lf in leaves]
    counts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(leaves)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _product_name(lf: Leaf, combo: tuple[tuple[str, int], ...], variant: int, brands_in_name: bool) -> str:
    name = lf.template.format(*(label for label, _ in combo))
    if variant == 0:
        return name
    # Once every combination is used the same item comes from another maker (or model year).
    if brands_in_name:
        return f"{name} (mod. {2017 + variant})"
    brand = BRANDS[(variant - 1) % len(BRANDS)]
    series = (variant - 1) // len(BRANDS)
    return f"{name} · {brand}" + (f" serie {series + 1}" if series else "")


def _combos(rng: Random, lf: Leaf) -> list[tuple[tuple[str, int], ...]]:
    combos: list[tuple[tuple[str, int], ...]] = [()]
    for option in lf.options:
        combos = [(*c, o) for c in combos for o in option]
    rng.shuffle(combos)
    return combos


def write_products(writer: ExportWriter, rng: Random, scale: int) -> Catalog:
    """products.csv: `8000 × scale` products over the leaf categories, ~3 % inactive."""
    leaves = [n for top in TREE for n, _ in walk(top) if isinstance(n, Leaf)]
    top_codes = [top.code for top in TREE]
    top_of_leaf = [next(t for t, top in enumerate(TREE) if lf.code.startswith(top.code + "-")) for lf in leaves]
    counts = _leaf_counts(leaves, BASE_PRODUCTS * scale)
    products: list[ProductInfo] = []
    by_leaf: list[list[int]] = [[] for _ in leaves]
    out = writer.open("products.csv")
    for li, (lf, count) in enumerate(zip(leaves, counts, strict=True)):
        top = top_codes[top_of_leaf[li]]
        combos = _combos(rng, lf)
        brands_in_name = any(label in BRANDS for option in lf.options for label, _ in option)
        low, high = _MARKUP[top]
        for k in range(count):
            combo = combos[k % len(combos)]
            name = _product_name(lf, combo, k // len(combos), brands_in_name)
            factor = Decimal(math.prod(p for _, p in combo)) / Decimal(100 ** len(combo))
            cost = price_places(lf.base_cost * factor * Decimal(rng.randint(90, 110)) / 100)
            price = price_places(cost * Decimal(rng.randint(low, high)) / 100)
            info = ProductInfo(
                index=len(products),
                sku=f"{top}{len(products) + 1:06d}",
                leaf=li,
                top=top_of_leaf[li],
                unit=lf.unit,
                tax_class=lf.tax_class,
                cost=cost,
                price=price,
                active=rng.random() >= INACTIVE_SHARE,
            )
            products.append(info)
            by_leaf[li].append(info.index)
            reference = (
                f"{rng.choice('ABCDEFGHKLMNPRSTVX')}{rng.choice('ABCDEFGHKLMNPRSTVX')}-{rng.randint(1000, 99999)}"
            )
            out.write(
                {
                    "sku": info.sku,
                    "name": name,
                    "description": ""
                    if rng.random() < 0.08
                    else f"{lf.name}. Ref. fabricante {reference}. Unidad de venta: {_UNIT_NAMES[lf.unit]}.",
                    "category_code": lf.code,
                    "unit": lf.unit,
                    "tax_class": lf.tax_class,
                    "currency": "EUR",
                    "replacement_cost": cost,
                    "active": info.active,
                    # No rules beyond the unit's: a fraction of EA or BOX is refused, of KG sold.
                    "divisible": None,
                    "order_minimum": None,
                    "order_multiple": None,
                }
            )
    out.close()
    # Popularity follows the (shuffled) order inside a leaf: customers favour the first items.
    for members in by_leaf:
        rng.shuffle(members)
    leaves_by_top = [[li for li in range(len(leaves)) if top_of_leaf[li] == t] for t in range(len(TREE))]
    active = [[i for i in members if products[i].active] for members in by_leaf]
    return Catalog(products, leaves, top_codes, leaves_by_top, by_leaf, active)


def write_substitutes(writer: ExportWriter, rng: Random, catalog: Catalog) -> None:
    """substitutes.csv: every inactive product and others up to ~15 % get 1–3 active alternatives."""
    out = writer.open("substitutes.csv")
    for info in catalog.products:
        if info.active and rng.random() >= SUBSTITUTE_SHARE - INACTIVE_SHARE:
            continue
        pool = catalog.active_by_leaf[info.leaf]
        wanted = min(len(pool) - info.active, rng.choice((1, 1, 2, 2, 3)))
        # Draw one more than needed and drop the product itself if it came up.
        chosen = [i for i in rng.sample(pool, min(len(pool), wanted + 1)) if i != info.index][:wanted]
        for rank, i in enumerate(chosen, start=1):
            out.write({"sku": info.sku, "substitute_sku": catalog.products[i].sku, "rank": rank})
    out.close()


def typical_quantity(rng: Random, info: ProductInfo) -> Decimal:
    """A quantity this product moves in: a few drills, hundreds of metres of cable."""
    if info.unit == "M":
        return Decimal(rng.choice((10, 25, 25, 50, 50, 100, 100, 200, 500)))
    if info.unit == "KG":
        return Decimal(rng.choice((5, 15, 15, 30, 45))) if rng.random() < 0.8 else Decimal(rng.randint(5, 250)) / 10
    if info.unit == "L":
        return Decimal(rng.choice((5, 20, 20, 40, 60, 208)))
    if info.unit == "BOX":
        return Decimal(rng.choice((1, 1, 2, 2, 3, 5, 10, 20)))
    if info.price < 1:
        return Decimal(rng.choice((50, 100, 100, 200, 500, 1000)))
    if info.price < 20:
        return Decimal(rng.choice((1, 2, 5, 5, 10, 10, 20, 50)))
    if info.price < 150:
        return Decimal(rng.choice((1, 1, 2, 2, 3, 5, 10)))
    return Decimal(rng.choice((1, 1, 1, 2, 3)))


def write_stock(writer: ExportWriter, rng: Random, catalog: Catalog) -> None:
    """stock.csv: on hand, reserved and damaged per product and warehouse, some short."""
    out = writer.open("stock.csv")
    for info in catalog.products:
        for code, _, _ in WAREHOUSES:
            coverage = _WAREHOUSE_COVERAGE[code] if info.active else 0.25
            if rng.random() >= coverage:
                continue
            depth = rng.choice((2, 3, 4, 6, 8, 12)) if code == "MAD" else rng.choice((1, 2, 3, 4))
            on_hand = typical_quantity(rng, info) * depth if info.active else Decimal(rng.randint(0, 6))
            roll = rng.random()
            if roll < 0.06:
                on_hand = Decimal(0)  # sold out, waiting for the next purchase
            reserved = Decimal(0) if rng.random() < 0.6 else (on_hand * rng.randint(5, 45) / 100).quantize(Decimal(1))
            if 0.06 <= roll < 0.08:
                # Reserved for back orders beyond what is on the shelf: sellable stock is zero.
                reserved = on_hand + typical_quantity(rng, info)
            damaged = Decimal(rng.randint(1, 4)) if rng.random() < 0.05 and on_hand > 4 else Decimal(0)
            out.write(
                {"sku": info.sku, "warehouse_code": code, "on_hand": on_hand, "reserved": reserved, "damaged": damaged}
            )
    out.close()


def write_incoming(writer: ExportWriter, rng: Random, catalog: Catalog, reference_date: date) -> None:
    """incoming.csv: purchase lots for ~8 % of the products, due in the next 60 days."""
    out = writer.open("incoming.csv")
    lot_number = 0
    for info in catalog.products:
        if not info.active or rng.random() >= 0.08:
            continue
        for _ in range(rng.choice((1, 1, 1, 2))):
            lot_number += 1
            code = rng.choices(("MAD", "BCN", "VLC"), weights=(6, 3, 2))[0]
            expected = date.fromordinal(reference_date.toordinal() + rng.randint(1, 60))
            out.write(
                {
                    "lot": f"PC{reference_date.year % 100:02d}-{lot_number:06d}",
                    "sku": info.sku,
                    "warehouse_code": code,
                    "quantity": typical_quantity(rng, info) * rng.choice((4, 6, 10, 20)),
                    "expected_date": expected,
                }
            )
    out.close()


__all__ = [
    "TAX_CLASSES",
    "TAX_RATES",
    "WAREHOUSES",
    "Catalog",
    "ProductInfo",
    "price_places",
    "typical_quantity",
    "write_categories",
    "write_incoming",
    "write_products",
    "write_stock",
    "write_substitutes",
    "write_tax_classes",
    "write_warehouses",
]
