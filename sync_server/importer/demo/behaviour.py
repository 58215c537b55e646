"""How each demo customer behaves: credit situation, buying pattern, activity window.

Decided before any invoice is written, so the history can be made to agree with the credit
position (an overdue customer really has unpaid invoices past their due date).
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from sync_server.importer.demo.catalog import Catalog

HEALTHY, NEAR_LIMIT, OVERDUE, BLOCKED, PREPAYMENT, DISPUTE = (
    "healthy",
    "near_limit",
    "overdue",
    "blocked",
    "prepayment",
    "dispute",
)
CREDIT_PROFILES = (HEALTHY, NEAR_LIMIT, OVERDUE, BLOCKED, PREPAYMENT, DISPUTE)
# Shares of the customer base; the rest is healthy. Sized so each shows up dozens of times.
_PROFILE_SHARES = ((BLOCKED, 0.05), (OVERDUE, 0.11), (DISPUTE, 0.05), (PREPAYMENT, 0.05), (NEAR_LIMIT, 0.08))
_BLOCKED_WITH_DEBT = 0.65
DORMANT_SHARE = 0.12
NEW_SHARE = 0.08
HISTORY_MONTHS = 24

SEGMENTS = ("industria", "construccion", "mantenimiento", "oem", "reventa")
SEGMENT_WEIGHTS = (28, 20, 20, 12, 20)
SEGMENT_LABELS = {
    "industria": "Industria",
    "construccion": "Construcción",
    "mantenimiento": "Mantenimiento",
    "oem": "OEM",
    "reventa": "Reventa",
}
SEGMENT_DISCOUNT_PERCENT = {"industria": 6, "construccion": 5, "mantenimiento": 4, "oem": 10, "reventa": 12}
# How much each segment buys from each top-level category, in TREE order
# (TOR HEL HMA EPI NEU HID ROD SOL ADH ELE FON ALM ABR SER).
SEGMENT_AFFINITY: dict[str, tuple[int, ...]] = {
    "industria": (9, 4, 5, 7, 6, 4, 7, 6, 5, 4, 1, 3, 6, 1),
    "construccion": (9, 8, 6, 8, 1, 1, 1, 3, 6, 4, 5, 2, 4, 1),
    "mantenimiento": (7, 5, 6, 6, 5, 5, 7, 3, 7, 8, 5, 2, 3, 2),
    "oem": (9, 2, 3, 3, 8, 7, 8, 4, 5, 6, 2, 1, 3, 1),
    "reventa": (9, 8, 8, 7, 3, 2, 3, 4, 7, 5, 6, 3, 6, 1),
}
TERM_DAYS = {"PREPAID": 0, "NET30": 30, "NET45": 45, "NET60": 60, "NET90": 90, "NET120": 120}
_TERMS = (("NET30", 45), ("NET60", 27), ("NET90", 12), ("NET45", 8), ("NET120", 3))
_DEBT_REASONS = (
    "Impagados: facturas vencidas sin regularizar",
    "Bloqueo por impago, gestión de cobro en curso",
    "Concurso de acreedores",
)
_OTHER_REASONS = (
    "Riesgo denegado por la aseguradora de crédito",
    "Falta mandato SEPA firmado",
    "Pendiente de actualizar datos fiscales",
)


@dataclass(slots=True)
class Behaviour:
    """The hidden facts behind one customer's rows in the export."""

    profile: str
    terms: str
    has_debt: bool = False
    block_reason: str = ""
    start_month: int = 0
    last_month: int = HISTORY_MONTHS - 1
    rate: float = 1.0
    """Invoices per month in an average month."""
    tops: list[int] = field(default_factory=list)
    basket: list[int] = field(default_factory=list)
    price_factor: Decimal = Decimal(1)
    forced: list[tuple[date, str]] = field(default_factory=list)
    """Invoices that must exist: (issue date, 'overdue' | 'dispute')."""
    stop_due: date | None = None
    """From this due date on the customer stopped paying (overdue profiles)."""
    unpaid_share: float = 0.0

    @property
    def is_dormant(self) -> bool:
        """No invoice in the last six months of the history."""
        return self.last_month < HISTORY_MONTHS - 6

    @property
    def term_days(self) -> int:
        """Days from issue to due date under the customer's payment terms."""
        return TERM_DAYS[self.terms]


def assign_profiles(rng: Random, count: int) -> list[str]:
    """A credit profile per customer, in exact proportions, shuffled."""
    profiles: list[str] = []
    for profile, share in _PROFILE_SHARES:
        profiles += [profile] * round(count * share)
    profiles += [HEALTHY] * (count - len(profiles))
    rng.shuffle(profiles)
    return profiles


def _weekday_on_or_before(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def _pick_tops(rng: Random, segment: str, how_many: int) -> list[int]:
    weights = list(SEGMENT_AFFINITY[segment])
    chosen: list[int] = []
    for _ in range(how_many):
        top = rng.choices(range(len(weights)), weights=weights)[0]
        chosen.append(top)
        weights[top] = 0
    return sorted(chosen)


def _pick_basket(rng: Random, catalog: Catalog, tops: list[int]) -> list[int]:
    basket: list[int] = []
    for top in tops:
        candidates = catalog.leaves_by_top[top]
        for li in rng.sample(candidates, min(len(candidates), rng.randint(1, 3))):
            members = catalog.active_by_leaf[li]
            for _ in range(rng.randint(2, 8)):
                # Squaring the draw favours the popular head of the leaf.
                pick = members[int(len(members) * rng.random() ** 2)]
                if pick not in basket:
                    basket.append(pick)
    return basket


def build_behaviour(
    rng: Random, profile: str, segment: str, foreign: bool, catalog: Catalog, reference_date: date
) -> Behaviour:
    """The buying pattern and credit facts of one customer with `profile`."""
    if profile == PREPAYMENT:
        terms = "PREPAID" if rng.random() < 0.8 else "NET30"
    elif foreign:
        terms = rng.choice(("NET60", "NET60", "NET90"))
    else:
        terms = rng.choices([t for t, _ in _TERMS], weights=[w for _, w in _TERMS])[0]
    b = Behaviour(profile=profile, terms=terms)
    b.rate = min(7.0, max(0.12, math.exp(rng.gauss(-0.35, 0.85)) * (1.4 if segment == "reventa" else 1.0)))
    if profile in (OVERDUE, NEAR_LIMIT, DISPUTE) or (profile == BLOCKED and rng.random() < _BLOCKED_WITH_DEBT):
        # These states need recent invoices to be believable.
        b.rate = max(b.rate, 0.6)
        b.has_debt = profile in (OVERDUE, BLOCKED)
    if profile == BLOCKED:
        b.block_reason = rng.choice(_DEBT_REASONS if b.has_debt else _OTHER_REASONS)
    if b.has_debt:
        # 178, not 180: moving the issue date off a weekend adds up to two days.
        days_overdue = rng.randint(45, 178) if profile == BLOCKED else rng.randint(15, 178)
        issue = _weekday_on_or_before(reference_date - timedelta(days=days_overdue + b.term_days))
        b.forced.append((issue, "overdue"))
        b.stop_due = issue + timedelta(days=b.term_days)
        b.unpaid_share = 1.0 if profile == BLOCKED else rng.uniform(0.35, 1.0)
    if profile == DISPUTE:
        for _ in range(rng.choice((1, 1, 2, 3))):
            b.forced.append((_weekday_on_or_before(reference_date - timedelta(days=rng.randint(10, 150))), "dispute"))
    how_many = rng.randint(5, 9) if segment == "reventa" else rng.randint(2, 6)
    b.tops = _pick_tops(rng, segment, how_many)
    b.basket = _pick_basket(rng, catalog, b.tops)
    b.price_factor = 1 - Decimal(SEGMENT_DISCOUNT_PERCENT[segment] + rng.randint(0, 6)) / 100
    return b


def mark_dormant_and_new(rng: Random, behaviours: list[Behaviour]) -> None:
    """Stop ~12 % of customers 6+ months ago and start ~8 % within the last 18 months."""
    # Dormancy and late starts only for states that do not need recent invoices.
    quiet = [
        i
        for i, b in enumerate(behaviours)
        if b.profile in (HEALTHY, PREPAYMENT) or (b.profile == BLOCKED and not b.has_debt)
    ]
    rng.shuffle(quiet)
    dormant = round(len(behaviours) * DORMANT_SHARE)
    new = round(len(behaviours) * NEW_SHARE)
    for i in quiet[:dormant]:
        behaviours[i].last_month = rng.randint(2, HISTORY_MONTHS - 7)
    for i in quiet[dormant : dormant + new]:
        behaviours[i].start_month = rng.randint(6, HISTORY_MONTHS - 3)


__all__ = [
    "BLOCKED",
    "CREDIT_PROFILES",
    "DISPUTE",
    "HEALTHY",
    "HISTORY_MONTHS",
    "NEAR_LIMIT",
    "OVERDUE",
    "PREPAYMENT",
    "SEGMENTS",
    "SEGMENT_AFFINITY",
    "SEGMENT_DISCOUNT_PERCENT",
    "SEGMENT_LABELS",
    "SEGMENT_WEIGHTS",
    "TERM_DAYS",
    "Behaviour",
    "assign_profiles",
    "build_behaviour",
    "mark_dormant_and_new",
]
