"""Delivery dates per quote line: the day the company promises, and whether it meets the day
the customer asked for.

The promised date follows the line's availability promise (`shared.rules.availability`):
- all of it ships now from one warehouse: `delivery_days` working days after the quote's date;
- short, and incoming lots cover the rest: `delivery_days` working days after the lot that
  completes the quantity is expected;
- short, and nothing (or not enough) is known to be coming: no date — the line says the date
  is to be confirmed rather than promise one the stock cannot keep.

`delivery_days` is the company's standard delivery time (the synced company profile, `company.csv`; 2 working days,
the "48 h" of its terms). Working days are Monday to Friday: the app knows no holiday calendar
(the ERP does not send one), so a date next to a holiday may be a day early.

The requested date of a line is the seller's date for that line, else the quote's requested day.
A line is late when it is asked for earlier than it can be promised, or when it is asked for
and no date can be promised at all.
"""

from datetime import date, timedelta
from enum import StrEnum

from shared.rules.availability import Promise

DEFAULT_DELIVERY_DAYS = 2
"""Working days from an order to the customer's door when the goods are in stock."""

_SATURDAY = 5


class DeliveryFit(StrEnum):
    """How a line's promised date meets its requested one."""

    NOT_ASKED = "not_asked"
    ON_TIME = "on_time"
    LATE = "late"
    UNDATED = "undated"
    """A date was asked for, and none can be promised."""


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days (Monday–Friday) after `start`; with 0, `start` or the
    working day after it when it falls on a weekend."""
    if days < 0:
        raise ValueError(f"delivery days cannot be negative, got {days}")
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < _SATURDAY:
            left -= 1
    while day.weekday() >= _SATURDAY:
        day += timedelta(days=1)
    return day


def promised_delivery(promise: Promise, quote_date: date, delivery_days: int = DEFAULT_DELIVERY_DAYS) -> date | None:
    """The date a line can be delivered by, or None when nothing known covers its quantity."""
    if not promise.is_short:
        return add_working_days(quote_date, delivery_days)
    if promise.uncovered_quantity > 0 or promise.incoming_date is None:
        return None
    return add_working_days(max(promise.incoming_date, quote_date), delivery_days)


def requested_delivery(line_day: date | None, quote_day: date | None) -> date | None:
    """A line's requested date: its own, else the quote's."""
    return line_day if line_day is not None else quote_day


def delivery_fit(requested: date | None, promised: date | None) -> DeliveryFit:
    """Whether the promised date meets the requested one."""
    if requested is None:
        return DeliveryFit.NOT_ASKED
    if promised is None:
        return DeliveryFit.UNDATED
    return DeliveryFit.ON_TIME if promised <= requested else DeliveryFit.LATE


__all__ = [
    "DEFAULT_DELIVERY_DAYS",
    "DeliveryFit",
    "add_working_days",
    "delivery_fit",
    "promised_delivery",
    "requested_delivery",
]
