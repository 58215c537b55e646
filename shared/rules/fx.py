"""Exchange rates: which rate applies on a quote date, and converting unit prices with it.

Rates are published on business days only (like the ECB fixing), so the rate of a date is
the latest one on or before it; a rate older than `MAX_FX_AGE_DAYS` calendar days is too
stale to quote with and is refused with a clear error rather than used silently.

`FxRate` reads "1 `base_currency` = `rate` `quote_currency`". A direct pair (source → target)
is preferred; the inverse pair (target → source) is used as 1 / rate when it is more recent
or the direct pair is missing. Cross rates through a third currency are not derived: the
ERP publishes the pairs it quotes in.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from shared.messages import day, number
from shared.models import FxRate
from shared.money import round_money, round_unit_price
from shared.rules.errors import FX_RATE_MISSING, MissingFxRate

MAX_FX_AGE_DAYS = 7
"""A rate may be at most this many calendar days older than the quote date (covers weekends and holidays)."""


@dataclass(frozen=True, slots=True)
class Conversion:
    """The rate used to turn `source` amounts into `target` amounts: target = source × rate."""

    source: str
    target: str
    rate: Decimal
    rate_date: date
    is_inverse: bool = False


def find_rate(
    source: str,
    target: str,
    fx_rates: Iterable[FxRate],
    on: date,
    max_age_days: int = MAX_FX_AGE_DAYS,
) -> Conversion:
    """The latest rate source → target on or before `on`, at most `max_age_days` old."""
    best: tuple[date, int, FxRate] | None = None
    for fx in fx_rates:
        if fx.rate_date > on:
            continue
        if fx.base_currency == source and fx.quote_currency == target:
            key = (fx.rate_date, 1, fx)  # a direct pair wins a tie with the inverse
        elif fx.base_currency == target and fx.quote_currency == source:
            key = (fx.rate_date, 0, fx)
        else:
            continue
        if best is None or key[:2] > best[:2]:
            best = key
    oldest_allowed = on - timedelta(days=max_age_days)
    if best is None or best[0] < oldest_allowed:
        latest = f"; the latest is from {best[0].isoformat()}" if best else "; there is none"
        raise MissingFxRate(
            f"No {source}→{target} exchange rate on {on.isoformat()} or in the {max_age_days} days before"
            f"{latest}. Quote in {source} or ask for the rates to be updated.",
            rule=FX_RATE_MISSING,
            source=source,
            target=target,
            on=on.isoformat(),
            key="problem.fx_rate_old" if best else "problem.fx_rate_missing",
            params={
                "source": source,
                "target": target,
                "day": day(on),
                "days": number(max_age_days),
                **({"latest": day(best[0])} if best else {}),
            },
        )
    rate_date, is_direct, fx = best
    if is_direct:
        return Conversion(source, target, fx.rate, rate_date)
    return Conversion(source, target, Decimal(1) / fx.rate, rate_date, is_inverse=True)


def convert_unit_price(
    price: Decimal,
    source: str,
    target: str,
    fx_rates: Iterable[FxRate],
    on: date,
    max_age_days: int = MAX_FX_AGE_DAYS,
) -> tuple[Decimal, Conversion | None]:
    """`price` in `target` rounded to 4 decimals, and the conversion used (None if same currency)."""
    if source == target:
        return price, None
    conversion = find_rate(source, target, fx_rates, on, max_age_days)
    return round_unit_price(price * conversion.rate), conversion


def convert_amount(
    amount: Decimal,
    source: str,
    target: str,
    fx_rates: Iterable[FxRate],
    on: date,
    max_age_days: int = MAX_FX_AGE_DAYS,
) -> Decimal:
    """An amount (a quote's total) in `target`, rounded to that currency's minor unit.

    How a quote in one currency counts against credit kept in another; `MissingFxRate` when
    no rate is recent enough (never a silent 1:1).
    """
    if source == target:
        return amount
    return round_money(amount * find_rate(source, target, fx_rates, on, max_age_days).rate, target)


__all__ = ["MAX_FX_AGE_DAYS", "Conversion", "convert_amount", "convert_unit_price", "find_rate"]
