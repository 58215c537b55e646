"""Building a quote in the app from a browser test, and what it needs from the demo data."""

import csv
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
from playwright.sync_api import Page

from tests.browser.helpers import again_until, sid, type_into, wait_text

HOME = "MAD"


@dataclass(frozen=True)
class QuoteWorld:
    """A healthy customer of the seller, four products in stock at home, one out of stock
    everywhere (no incoming lot) and a declared substitute of it with stock at home."""

    customer: str
    in_stock: list[str]
    short: str
    substitute: str


def _rows(export: Path, name: str) -> list[dict[str, str]]:
    with open(export / f"{name}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def pick_world(export: Path, seller: str) -> QuoteWorld:
    """What the quote steps use, read from the demo export the server imported."""
    sellable: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for row in _rows(export, "stock"):
        free = Decimal(row["on_hand"]) - Decimal(row["reserved"]) - Decimal(row["damaged"])
        sellable[row["sku"]][row["warehouse_code"]] = max(free, Decimal(0))
    active = {p["sku"] for p in _rows(export, "products") if p["active"] == "true"}
    base_priced = {
        i["sku"]
        for i in _rows(export, "price_list_items")
        if i["price_list_code"] == "BASE" and Decimal(i["min_quantity"]) == 0
    }
    incoming = {lot["sku"] for lot in _rows(export, "incoming")}
    usable = sorted(active & base_priced)
    in_stock = [s for s in usable if sellable[s].get(HOME, Decimal(0)) >= 50]
    subs = defaultdict(list)
    for row in _rows(export, "substitutes"):
        subs[row["sku"]].append(row["substitute_sku"])
    short, substitute = next(
        (s, sub)
        for s in usable
        if s not in incoming and not any(sellable[s].values()) and subs[s]
        for sub in subs[s]
        if sub in base_priced and sellable[sub].get(HOME, Decimal(0)) >= 10
    )
    mine = {r["customer_code"] for r in _rows(export, "portfolio") if r["seller_login"] == seller}
    healthy = [
        c["customer_code"]
        for c in _rows(export, "credit")
        if c["customer_code"] in mine
        and c["blocked"] == "false"
        and Decimal(c["overdue_amount"]) == 0
        and int(c["open_disputes"]) == 0  # a withheld amount past due is overdue on the device
        and c["prepayment_required"] == "false"
        and Decimal(c["credit_limit"]) >= 20000
    ]
    return QuoteWorld(sorted(healthy)[0], in_stock[:4], short, substitute)


def most_sellable(export: Path, sku: str) -> Decimal:
    """The most of `sku` one warehouse can ship now (a line asking more is short)."""
    return max(
        (
            max(Decimal(r["on_hand"]) - Decimal(r["reserved"]) - Decimal(r["damaged"]), Decimal(0))
            for r in _rows(export, "stock")
            if r["sku"] == sku
        ),
        default=Decimal(0),
    )


def add_product(page: Page, sku: str) -> None:
    """Find a product by its code and tap it into the quote."""
    type_into(page, page.get_by_role("textbox", name="Add a product"), sku)
    sid(page, f"hit-{sku}").click()
    wait_text(page, "quote-lines", sku)


def set_line(page: Page, index: int, label: str, value: str, until: tuple[str, str] | None = None) -> None:
    """Type into a line's field (quantity, discount) and confirm it; with `until`
    (identifier, words), type it again until the quote shows those words, as a seller does
    who sees her discount not taken: once, under load, the 25 % typed and checked in the
    field was gone a moment later and the quote never re-priced (the lines are drawn anew
    when a re-price comes back, and one came back as she typed)."""
    field = sid(page, f"quote-line-{index}").get_by_role("textbox", name=label)

    def enter(attempt: int) -> None:
        if attempt == 0 or until is not None:
            type_into(page, field, value)
            page.keyboard.press("Enter")

    if until is None:
        enter(0)
        return
    identifier, words = until
    if not again_until(page, enter, identifier, words):
        raise AssertionError(f"line {index}'s {label} = {value} never showed {words!r} in {identifier}")


def quote_number(page: Page) -> str:
    """The number of the quote on screen ("Quote AG1-2026-0001 · v1" → "AG1-2026-0001"), in
    any language: the last word before the version."""
    label = page.locator('[flt-semantics-identifier="quote-number"]').first.evaluate(
        """el => {
        return [el.textContent, ...[...el.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))]
            .join(' ');
    }""",
        timeout=10_000,
    )
    return label.strip().split("·")[0].split()[-1]


def approve(server_url: str, manager: str, password: str, number: str) -> None:
    """The manager approves the quote's pending request through the API."""
    with httpx.Client(base_url=server_url) as http:
        token = http.post("/v1/auth/login", json={"login": manager, "password": password}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        [request] = [r for r in http.get("/v1/approvals", headers=headers).json() if r["quote"]["number"] == number]
        assert request["fired_rules"] == ["discount_above_band"]
        decided = http.post(
            f"/v1/approvals/{request['request_id']}/decision", json={"decision": "approved"}, headers=headers
        )
        assert decided.status_code == 200, decided.text


__all__ = ["QuoteWorld", "add_product", "approve", "most_sellable", "pick_world", "quote_number", "set_line"]
