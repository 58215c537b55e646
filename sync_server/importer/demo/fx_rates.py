"""fx_rates.csv: daily reference rates (business days) for the last 60 days, both directions."""

from datetime import date, timedelta
from decimal import Decimal
from random import Random

from sync_server.importer.demo.writer import ExportWriter

FX_DAYS = 60
# EUR → currency at the start of the window, in 1/10,000 units, and the largest daily move.
_START = {"USD": (10_850, 45), "GBP": (8_450, 25), "MXN": (201_000, 1_400)}
_INVERSE_PLACES = Decimal("1E-10")


def write_fx_rates(writer: ExportWriter, rng: Random, reference_date: date) -> None:
    """Rates EUR→USD/GBP/MXN as a small random walk (integers, so no float touches a rate), plus inverses."""
    out = writer.open("fx_rates.csv")
    levels = {currency: start for currency, (start, _) in _START.items()}
    for offset in range(FX_DAYS, -1, -1):
        day = reference_date - timedelta(days=offset)
        if day.weekday() >= 5:
            continue  # like the ECB: no fixing at weekends; use the last rate on or before a date
        for currency, (_, step) in _START.items():
            levels[currency] += rng.randint(-step, step)
            rate = Decimal(levels[currency]).scaleb(-4)
            out.write({"rate_date": day, "base_currency": "EUR", "quote_currency": currency, "rate": rate})
            out.write(
                {
                    "rate_date": day,
                    "base_currency": currency,
                    "quote_currency": "EUR",
                    "rate": (1 / rate).quantize(_INVERSE_PLACES),
                }
            )
    out.close()


__all__ = ["FX_DAYS", "write_fx_rates"]
