"""Price lists, their items with quantity breaks, and price floors.

Lists: BASE (EUR, every active product), BASE-USD (the same in dollars, for LatAm customers),
one SEG-<SEGMENT> list per segment over about a quarter of the products, an expired spring
promotion and a 2027 tariff that is not valid yet, and customer lists (CLI-<code>) for about
5 % of the customers.
"""

from datetime import date
from decimal import Decimal
from random import Random

from sync_server.importer.demo.behaviour import PREPAYMENT, SEGMENT_AFFINITY, SEGMENT_LABELS, SEGMENTS
from sync_server.importer.demo.catalog import Catalog, ProductInfo, price_places
from sync_server.importer.demo.customers import CustomerInfo
from sync_server.importer.demo.writer import ExportFile, ExportWriter

BREAK_SHARE = 0.30
CUSTOMER_LIST_SHARE = 0.05
USD_PER_EUR = Decimal("1.10")
"""Rate the USD tariff was computed with (it also carries a 4 % export surcharge)."""
_EXPIRED = (
    "SEG-CONSTRUCCION-PROMO",
    "Promoción primavera construcción",
    "construccion",
    date(2026, 3, 1),
    date(2026, 6, 30),
)
_FUTURE = ("SEG-INDUSTRIA-2027", "Tarifa Industria 2027", "industria", date(2027, 1, 1), None)


def _percent(price: Decimal, percent: int) -> Decimal:
    return price_places(price * percent / 100)


def _breaks(info: ProductInfo) -> tuple[tuple[int, int], ...]:
    """(minimum quantity, percent of the list price) steps that suit how the item is bought."""
    if info.unit == "M":
        return ((100, 95), (500, 90), (1000, 86))
    if info.unit in ("KG", "L"):
        return ((25, 96), (100, 92), (200, 89))
    if info.price < 5:
        return ((25, 95), (100, 90), (500, 85))
    if info.price < 100:
        return ((10, 95), (50, 90), (100, 86))
    return ((3, 97), (5, 95), (10, 92))


def _list(
    out: ExportFile,
    code: str,
    name: str,
    kind: str,
    currency: str,
    valid_from: date,
    valid_to: date | None = None,
    segment: str | None = None,
    customer: str | None = None,
) -> None:
    out.write(
        {
            "code": code,
            "name": name,
            "kind": kind,
            "segment": segment,
            "customer_code": customer,
            "currency": currency,
            "valid_from": valid_from,
            "valid_to": valid_to,
        }
    )


def _item(out: ExportFile, code: str, sku: str, unit_price: Decimal, min_quantity: int = 0) -> None:
    out.write({"price_list_code": code, "sku": sku, "min_quantity": Decimal(min_quantity), "unit_price": unit_price})


def write_price_lists(writer: ExportWriter, rng: Random, catalog: Catalog, customers: list[CustomerInfo]) -> None:
    """price_lists.csv and price_list_items.csv."""
    lists, items = writer.open("price_lists.csv"), writer.open("price_list_items.csv")
    active = [p for p in catalog.products if p.active]

    _list(lists, "BASE", "Tarifa general", "base", "EUR", date(2024, 1, 1))
    for info in active:
        _item(items, "BASE", info.sku, info.price)
        if rng.random() < BREAK_SHARE:
            for min_quantity, percent in _breaks(info)[: rng.randint(1, 3)]:
                _item(items, "BASE", info.sku, _percent(info.price, percent), min_quantity)

    _list(lists, "BASE-USD", "Tarifa exportación USD", "base", "USD", date(2026, 1, 1))
    for info in active:
        _item(items, "BASE-USD", info.sku, price_places(info.price * USD_PER_EUR * Decimal("1.04")))

    for segment in SEGMENTS:
        code = f"SEG-{segment.upper()}"
        _list(
            lists, code, f"Tarifa {SEGMENT_LABELS[segment]} 2026", "segment", "EUR", date(2026, 1, 1), segment=segment
        )
        affinity = SEGMENT_AFFINITY[segment]
        # Segment prices cover what the segment buys most: ~25 % of the catalogue on average.
        chosen = [
            (p, _percent(p.price, 100 - rng.randint(3, 12)))
            for p in active
            if rng.random() < min(0.9, 0.045 * affinity[p.top])
        ]
        for info, price in chosen:
            _item(items, code, info.sku, price)
        if segment == _EXPIRED[2]:
            code_x, name_x, _, start, end = _EXPIRED
            _list(lists, code_x, name_x, "segment", "EUR", start, end, segment=segment)
            for info, _ in rng.sample(chosen, max(1, len(chosen) // 5)):
                _item(items, code_x, info.sku, _percent(info.price, 80))
        if segment == _FUTURE[2]:
            code_f, name_f, _, start, _ = _FUTURE
            _list(lists, code_f, name_f, "segment", "EUR", start, segment=segment)
            for info, price in chosen:
                _item(items, code_f, info.sku, price_places(price * Decimal("1.035")))

    candidates = [
        c for c in customers if c.currency == "EUR" and not c.behaviour.is_dormant and c.behaviour.profile != PREPAYMENT
    ]
    for c in sorted(rng.sample(candidates, round(len(customers) * CUSTOMER_LIST_SHARE)), key=lambda c: c.index):
        code = f"CLI-{c.code}"
        valid_to = date(2026, 12, 31) if rng.random() < 0.5 else None
        _list(
            lists,
            code,
            f"Condiciones especiales {c.legal_name}",
            "customer",
            "EUR",
            date(2026, 1, 1),
            valid_to,
            customer=c.code,
        )
        skus = list(c.behaviour.basket)
        wanted = rng.randint(20, 60)
        for _ in range(wanted * 10):  # bounded: a customer of one small category has few items to add
            if len(skus) >= wanted:
                break
            # Agreements also cover items the customer might buy in its usual categories.
            members = catalog.active_by_leaf[rng.choice(catalog.leaves_by_top[rng.choice(c.behaviour.tops)])]
            pick = rng.choice(members) if members else None
            if pick is not None and pick not in skus:
                skus.append(pick)
        extra = rng.randint(2, 6)
        for p in skus[:wanted]:
            info = catalog.products[p]
            _item(items, code, info.sku, price_places(info.price * c.behaviour.price_factor * (100 - extra) / 100))
    lists.close()
    items.close()


def write_price_floors(writer: ExportWriter, rng: Random, catalog: Catalog) -> None:
    """price_floors.csv: minimum margin per top-level and some middle categories, floor prices for ~3 % of products."""
    out = writer.open("price_floors.csv")
    for code in catalog.top_codes:
        out.write(
            {
                "scope": "category",
                "code": code,
                "currency": "EUR",
                "floor_price": None,
                "min_margin_percent": Decimal(rng.randint(8, 18)),
            }
        )
    middles = sorted({lf.code.rsplit("-", 1)[0] for lf in catalog.leaves})
    for code in rng.sample(middles, len(middles) // 4):
        out.write(
            {
                "scope": "category",
                "code": code,
                "currency": "EUR",
                "floor_price": None,
                "min_margin_percent": Decimal(rng.randint(12, 25)),
            }
        )
    for info in catalog.products:
        if info.active and rng.random() < 0.03:
            out.write(
                {
                    "scope": "product",
                    "code": info.sku,
                    "currency": "EUR",
                    "floor_price": price_places(info.cost * Decimal("1.08")),
                    "min_margin_percent": None,
                }
            )
    out.close()


__all__ = ["USD_PER_EUR", "write_price_floors", "write_price_lists"]
