"""Errors the quoting rules raise, named for what the seller meets (defined in shared.errors)."""

from shared.errors import MissingFxRate, NoPrice

NO_PRICE = NoPrice.code
FX_RATE_MISSING = MissingFxRate.code

__all__ = ["FX_RATE_MISSING", "NO_PRICE", "MissingFxRate", "NoPrice"]
