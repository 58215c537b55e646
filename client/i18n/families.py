"""Message keys the code builds from a value (`enum.QuoteStatus.sent`, `mutation.save_quote`).

A key in a literal is found in the source by the extractor (client/i18n/extract.py); a key
made from a value is not, so every such family is declared here, from the values
themselves. `make translations` reads this list, and a family member with no words fails
the translation check.
"""

from collections.abc import Iterable, Iterator
from enum import Enum

from shared.models.enums import (
    ApprovalDecisionKind,
    ClaimKind,
    ClaimStatus,
    CreditStatus,
    DeliveryStatus,
    FloorScope,
    LeadChannel,
    LeadStatus,
    LostReason,
    OpportunityStage,
    Presence,
    QuoteStatus,
    Role,
    TaxRegime,
    VisitOutcome,
)
from shared.protocol import MutationName
from shared.rules.approval import RULE_CODES, ApprovalPolicy
from shared.rules.credit import CreditChip
from shared.rules.policy_models import POLICY_MODELS
from shared.rules.request_matching import MatchReason

LABELLED_ENUMS: tuple[type[Enum], ...] = (
    ApprovalDecisionKind,
    ClaimKind,
    ClaimStatus,
    CreditChip,
    DeliveryStatus,
    FloorScope,
    LeadChannel,
    LeadStatus,
    LostReason,
    MatchReason,
    OpportunityStage,
    Presence,
    QuoteStatus,
    Role,
    TaxRegime,
    VisitOutcome,
)
"""Enums whose values the app names in words: `enum.<Enum>.<value>` (Translator.label)."""

ENTITY_LABELS = ("claim", "competitor_observation", "lead", "lost_sale", "prospect", "visit")
"""Records named in refusals (`label("Entity", …)`)."""

FIELD_LABELS = (
    "category_code",
    "category_codes",
    "competitor",
    "currency",
    "description",
    "expected_close",
    "invoice_number",
    "lost_reason",
    "next_step",
    "notes",
    "observed_price",
    "outcome",
    "probability_percent",
    "purpose",
    "sku",
    "stage",
    "title",
    "value",
)
"""Form fields named in problems and merges (`label("Field", …)`)."""

TIMELINE_KINDS = (
    "approval",
    "claim",
    "email",
    "invoice",
    "observation",
    "opportunity",
    "order",
    "order_status",
    "payment",
    "quote",
    "visit",
)
"""Events of Customer 360's timeline (`timeline.<kind>`; client/ui/customer_view.py)."""

ALERT_KINDS = ("approval_decided", "blocked", "comment", "email_failed", "quote_expiring", "sync_rejected")
"""Today's alerts (`today.alert.<kind>`; client/services/today.py AlertKind)."""

PDF_LABELS = (
    "acceptance", "attention", "col_availability", "col_description", "col_discount", "col_net", "col_no",
    "col_quantity", "col_sku", "col_tax", "col_unit_price", "currency", "customer", "customer_code", "footer_quote",
    "gross_total", "header_discount", "issue_date", "net_total", "notes", "page", "payment_terms", "seller",
    "tax_amount", "tax_base", "tax_id", "tax_rate", "tax_total", "terms", "title", "valid_until", "version",
)  # fmt: skip
"""The quote PDF's labels (`pdf.<name>`; client/pdf/labels.py)."""


UNIT_CODES = (
    "BOX", "CJ", "EA", "G", "H", "KG", "L", "M", "M2", "M3", "ML", "PAL", "PC", "PCS", "PK", "PR", "RL", "SET",
    "T", "UD", "UN",
)  # fmt: skip
"""Units of measure the app names in words (`unit.<code>`; Translator.unit): the codes ERPs
use for them; any other code is shown in lower case, as an abbreviation reads in a sentence."""


SEGMENT_CODES = ("PROSPECT", "construccion", "industria", "mantenimiento", "oem", "reventa")
"""Customer segments the app names in words (`segment.<code>`; Translator.segment); any
other code is shown as the ERP wrote it."""


DASHBOARD_METRICS = (
    "approval", "conversion", "credit", "dormant", "first_quote", "leads", "lost_reasons", "lost_stock", "margin",
    "pipeline", "prices", "quotes", "unpenetrated",
)  # fmt: skip
"""The dashboard's tiles (`dash.<metric>.title`, `dash.<metric>.detail`; client/services/dashboard.py)."""

DASHBOARD_COLUMNS = (
    "category", "channel", "competitor_lines", "competitor_price", "created", "currency", "customer", "customer_name",
    "day", "days", "decided", "followed_up", "hours", "invoiced_percent", "last_invoice", "last_touch", "lead_status",
    "leak", "lost_lines", "lost_price", "name", "net", "number", "offered_on", "percent", "probability", "quantity",
    "quote_status", "quoted_percent", "reason", "requested", "rules", "segment", "seller", "sku", "stage", "title",
    "value", "versions", "won_lines", "won_price",
)  # fmt: skip
"""Columns of the records behind a dashboard number (`dash.col.<name>`)."""


def _enum_keys(prefix: str, values: Iterable[object]) -> Iterator[str]:
    for value in values:
        yield f"{prefix}.{value.value if isinstance(value, Enum) else value}"


def keys() -> Iterator[str]:
    """Every message key the code makes from a value."""
    for enum in LABELLED_ENUMS:
        yield from _enum_keys(f"enum.{enum.__name__}", enum)
    yield from _enum_keys("enum.ApprovalRule", RULE_CODES)
    yield from _enum_keys("enum.DiscountBand", ApprovalPolicy().discount_bands)
    yield from _enum_keys("enum.Entity", ENTITY_LABELS)
    yield from _enum_keys("enum.Field", FIELD_LABELS)
    # The administrator's policy form names each policy and each of its fields: a field added
    # to a policy model needs its words here (the catalog check says so).
    yield from _enum_keys("admin.policy", POLICY_MODELS)
    yield from _enum_keys("enum.Field", sorted({f for m in POLICY_MODELS.values() for f in m.model_fields}))
    yield from _enum_keys("mutation", MutationName)
    yield from _enum_keys("quote.status", QuoteStatus)
    yield from _enum_keys("quote.delivery", DeliveryStatus)
    yield from _enum_keys("quote.credit", CreditStatus)
    yield from _enum_keys("timeline", TIMELINE_KINDS)
    yield from _enum_keys("today.alert", ALERT_KINDS)
    yield from _enum_keys("pdf", PDF_LABELS)
    yield from _enum_keys("unit", UNIT_CODES)
    yield from _enum_keys("segment", SEGMENT_CODES)
    yield from _enum_keys("dash", (f"{m}.{part}" for m in DASHBOARD_METRICS for part in ("title", "detail")))
    yield from _enum_keys("dash.col", DASHBOARD_COLUMNS)
    yield from _enum_keys("dash.period", ("month", "quarter"))


__all__ = [
    "ALERT_KINDS",
    "DASHBOARD_COLUMNS",
    "DASHBOARD_METRICS",
    "ENTITY_LABELS",
    "FIELD_LABELS",
    "LABELLED_ENUMS",
    "PDF_LABELS",
    "SEGMENT_CODES",
    "TIMELINE_KINDS",
    "UNIT_CODES",
    "keys",
]
