"""How long to wait before the next sync attempt after failures in a row."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with jitter, capped: 15 s, 30 s, 1 min, ... 10 min by default."""

    first_seconds: float = 15.0
    cap_seconds: float = 600.0
    factor: float = 2.0
    jitter: float = 0.2
    """Up to this fraction is taken off at random, so tablets that lost the network together
    (a warehouse without coverage) do not all come back at the same second."""

    def delay(self, failures: int, rng: Callable[[], float]) -> float:
        """Seconds to wait after `failures` (≥ 1) failed rounds in a row; `rng()` in [0, 1)."""
        exponent = max(0, failures - 1)
        # min() before the power would overflow: 2**1100 is not a float.
        base = self.cap_seconds if exponent > 64 else min(self.cap_seconds, self.first_seconds * self.factor**exponent)
        return base * (1 - self.jitter * rng())


__all__ = ["Backoff"]
