"""Pure domain rules shared by the app (offline) and the server (on push).

One noun per module, each importable on its own (imports only point down this list):
    errors, formats, fx    — rule errors, number wording, exchange rates
    taxes, quote_math      — tax per rate and exemption; line nets, margins, totals
    pricing, floors        — price resolution; floor prices and minimum margins
    credit, availability   — credit readiness and chips; availability promises
    approval               — approval policy and the rules a quote fires
    quote_lifecycle        — status machine, versions, expiry, quote numbers
    request_words, request_reading, request_matching
                           — a pasted request read into lines and matched to products
                             (imported by name: not re-exported here)
"""

from shared.rules.approval import ApprovalFacts, ApprovalPolicy, FiredRule, evaluate_approval, fired_codes
from shared.rules.availability import Promise, PromiseKind, describe, promise_availability, sellable
from shared.rules.credit import CreditChip, CreditPolicy, CreditReadiness, check_credit, credit_chips
from shared.rules.errors import MissingFxRate, NoPrice
from shared.rules.floors import FloorLimits, FloorViolation, check_floor, check_floors, resolve_floor
from shared.rules.fx import Conversion, convert_unit_price, find_rate
from shared.rules.pricing import PriceResolution, resolve_price
from shared.rules.quote_lifecycle import (
    can_transition,
    format_quote_number,
    next_quote_number,
    parse_quote_number,
    transition,
)
from shared.rules.quote_math import LineInput, LineResult, QuoteTotals, compute_totals, price_line, unit_cost_in
from shared.rules.taxes import TaxGroup, customer_regime, is_taxed, tax_groups, tax_rate

__all__ = [
    "ApprovalFacts",
    "ApprovalPolicy",
    "Conversion",
    "CreditChip",
    "CreditPolicy",
    "CreditReadiness",
    "FiredRule",
    "FloorLimits",
    "FloorViolation",
    "LineInput",
    "LineResult",
    "MissingFxRate",
    "NoPrice",
    "PriceResolution",
    "Promise",
    "PromiseKind",
    "QuoteTotals",
    "TaxGroup",
    "can_transition",
    "check_credit",
    "check_floor",
    "check_floors",
    "compute_totals",
    "convert_unit_price",
    "credit_chips",
    "describe",
    "evaluate_approval",
    "find_rate",
    "fired_codes",
    "format_quote_number",
    "customer_regime",
    "is_taxed",
    "next_quote_number",
    "parse_quote_number",
    "price_line",
    "promise_availability",
    "resolve_floor",
    "resolve_price",
    "sellable",
    "tax_groups",
    "tax_rate",
    "transition",
    "unit_cost_in",
]
