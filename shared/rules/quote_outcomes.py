"""What a customer's answer to a quote must say before it is recorded (DESIGN §3).

- Only the latest version of a quote number is sent or decided (accepted, lost, withdrawn
  or expired): an older version was replaced by the offer the customer now has, or is
  about to have (a manager's approval of it cannot send it either).
- Accepted: the customer's purchase-order number is optional (many customers order without
  one). The delivery day the customer asks for, when given, is not before `not_before`: the
  device passes today (a seller cannot promise yesterday); the server passes the quote's
  issue date, so an answer recorded offline is not refused for the days it waited to sync.
- Lost: the reason comes from `LostReason`; "other" needs a note saying what happened (a
  bare "other" teaches the team nothing); a competitor's price is not negative.
- Lost, per line (optional): the competitor's unit price for some of the quote's lines. Each
  names a line of *that* quote (its number and product), at most once, with a price that is
  not negative. Stored as structured entries (`CompetitorLinePrice`), sorted by line, so the
  managers' "winning vs losing price" can read them with a query.

The status machine itself (which answers a status allows, validity) is `quote_lifecycle`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.errors import InvalidTransition, ValidationFailed
from shared.messages import day, labels
from shared.models import LostReason
from shared.models.field import CompetitorLinePrice, QuoteLine
from shared.models.types import MAX_AMOUNT
from shared.money import UNIT_PRICE_PLACES, round_unit_price


@dataclass(frozen=True, slots=True)
class Acceptance:
    """The customer's yes as recorded: PO number ('' when none) and wanted delivery day."""

    customer_po: str
    requested_delivery: date | None


@dataclass(frozen=True, slots=True)
class Loss:
    """The customer's no as recorded."""

    reason: LostReason
    note: str
    competitor: str
    competitor_price: Decimal | None
    line_prices: tuple[CompetitorLinePrice, ...] = ()


LinePrice = tuple[int, str, Decimal]
"""A competitor's unit price as the seller gives it: (line number, product code, price)."""


def check_latest(number: str, version: int, latest: int | None, target: str) -> None:
    """Refuse to send or decide (`target`: the status it would move to) a version that a
    later one replaced."""
    if latest is None or latest <= version:
        return
    if target == "sent":
        raise InvalidTransition(
            f"quote {number} v{version} was replaced by v{latest}; send that one",
            to_status=target,
            key="problem.quote.replaced",
            params={"number": number, "version": version, "newer": latest},
        )
    raise InvalidTransition(
        f"quote {number} v{version} was replaced by v{latest}; the answer goes on v{latest}",
        to_status=target,
        key="problem.quote.answer_on_latest",
        params={"number": number, "version": version, "latest": latest},
    )


def check_acceptance(customer_po: str, requested_delivery: date | None, not_before: date) -> Acceptance:
    """The acceptance as recorded, or `ValidationFailed` naming the problem."""
    po = " ".join(customer_po.split())  # a PO typed or pasted with stray spaces is the same PO
    if len(po) > 35:
        raise ValidationFailed(
            f"the customer's PO number has {len(po)} characters; at most 35",
            key="problem.quote.po_too_long",
            params={"length": len(po)},
        )
    if requested_delivery is not None and requested_delivery < not_before:
        raise ValidationFailed(
            f"the requested delivery day {requested_delivery} is before {not_before}",
            key="problem.quote.delivery_before",
            params={"requested": day(requested_delivery), "earliest": day(not_before)},
        )
    return Acceptance(po, requested_delivery)


def check_loss(
    reason: LostReason | str,
    note: str = "",
    competitor: str = "",
    competitor_price: Decimal | None = None,
    *,
    line_prices: Sequence[LinePrice] = (),
    lines: Sequence[QuoteLine] = (),
) -> Loss:
    """The loss as recorded, or `ValidationFailed` naming the problem; `line_prices` are
    checked against the quote's `lines`."""
    try:
        lost = LostReason(reason)
    except ValueError:
        raise ValidationFailed(
            f"the lost reason must be one of {', '.join(r.value for r in LostReason)}",
            key="problem.quote.lost_reason",
            params={"reasons": labels("LostReason", LostReason)},
        ) from None
    said = note.strip()
    if lost == LostReason.OTHER and not said:
        raise ValidationFailed(
            "a quote lost for another reason needs a note saying what happened", key="problem.quote.lost_other_note"
        )
    if competitor_price is not None and competitor_price < 0:
        raise ValidationFailed(
            "the competitor's price cannot be negative", key="problem.quote.competitor_price_negative"
        )
    return Loss(lost, said, competitor.strip(), competitor_price, check_line_prices(line_prices, lines))


def check_line_prices(line_prices: Sequence[LinePrice], lines: Sequence[QuoteLine]) -> tuple[CompetitorLinePrice, ...]:
    """The competitor's per-line prices, sorted by line, or `ValidationFailed` naming the
    first one that is negative, not a line of the quote, or given twice."""
    products = {line.line_no: line.sku for line in lines}
    seen: set[int] = set()
    for line_no, sku, price in line_prices:
        if products.get(line_no) != sku:
            raise ValidationFailed(
                f"line {line_no} ({sku}) is not a line of this quote",
                key="problem.quote.competitor_line_unknown",
                params={"line": line_no, "sku": sku},
            )
        if line_no in seen:
            raise ValidationFailed(
                f"the competitor's price for line {line_no} is given twice",
                key="problem.quote.competitor_line_twice",
                params={"line": line_no, "sku": sku},
            )
        if price < 0:
            raise ValidationFailed(
                f"the competitor's price for line {line_no} ({sku}) cannot be negative",
                key="problem.quote.competitor_line_negative",
                params={"line": line_no, "sku": sku},
            )
        if price != round_unit_price(price) or price >= MAX_AMOUNT:
            raise ValidationFailed(
                f"the competitor's price for line {line_no} ({sku}) has more than {UNIT_PRICE_PLACES} decimals "
                "or is too large",
                key="problem.quote.competitor_line_price",
                params={"line": line_no, "sku": sku, "places": UNIT_PRICE_PLACES},
            )
        seen.add(line_no)
    return tuple(
        CompetitorLinePrice(line_no=line_no, sku=sku, unit_price=price)
        for line_no, sku, price in sorted(line_prices, key=lambda entry: entry[0])
    )


__all__ = [
    "Acceptance",
    "LinePrice",
    "Loss",
    "check_acceptance",
    "check_latest",
    "check_line_prices",
    "check_loss",
]
