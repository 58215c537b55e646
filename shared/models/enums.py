"""Enumerations of statuses and kinds; their values are stored and synced, never renamed."""

from enum import StrEnum


class Role(StrEnum):
    SELLER = "seller"
    MANAGER = "manager"
    ADMIN = "admin"


class PriceListKind(StrEnum):
    BASE = "base"
    SEGMENT = "segment"
    CUSTOMER = "customer"


class FloorScope(StrEnum):
    PRODUCT = "product"
    CATEGORY = "category"


class CreditStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BLOCKED = "blocked"


class QuoteStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    SENT = "sent"
    ACCEPTED = "accepted"
    LOST = "lost"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class LostReason(StrEnum):
    PRICE = "price"
    STOCK = "stock"
    DELAY = "delay"
    COMPETITOR = "competitor"
    CREDIT = "credit"
    NO_LONGER_NEEDED = "no_longer_needed"
    OTHER = "other"


class OpportunityStage(StrEnum):
    LEAD = "lead"
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"


class VisitOutcome(StrEnum):
    PENDING = "pending"
    ORDER = "order"
    QUOTE = "quote"
    FOLLOW_UP = "follow_up"
    NO_INTEREST = "no_interest"
    NOT_AVAILABLE = "not_available"


class Presence(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ClaimKind(StrEnum):
    RETURN = "return"
    COMPLAINT = "complaint"


class ClaimStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    DELIVERED = "delivered"
    FAILED = "failed"


class OrderStep(StrEnum):
    """A step of a sales order in the ERP, as order_status.csv reports it (in timeline order)."""

    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    RESERVED = "reserved"
    DISPATCHED = "dispatched"
    DELIVERED = "delivered"


class LeadChannel(StrEnum):
    """How a lead reached the company."""

    VISIT = "visit"
    PHONE = "phone"
    EMAIL = "email"
    WEB_FORM = "web_form"
    WHATSAPP = "whatsapp"
    REFERRAL = "referral"
    FAIR = "fair"


class LeadStatus(StrEnum):
    """A lead's life (shared.rules.leads): new → contacted → qualified → converted | discarded."""

    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    CONVERTED = "converted"
    DISCARDED = "discarded"


class TaxRegime(StrEnum):
    """How a customer is taxed on the issuer's quotes (shared.rules.taxes.customer_regime)."""

    DOMESTIC = "domestic"
    """The issuer's own VAT at each tax class's rate."""
    INTRA_EU = "intra_eu"
    """Another EU member state, VAT-registered there: reverse charge, 0 % on the quote."""
    EXPORT = "export"
    """Outside the issuer's VAT area: an export, 0 %."""
    EXEMPT_TERRITORY = "exempt_territory"
    """A territory of an EU state outside the EU VAT area (Canary Islands, Åland, ...): 0 %."""


class ApprovalDecisionKind(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


__all__ = [
    "ApprovalDecisionKind",
    "ClaimKind",
    "ClaimStatus",
    "CreditStatus",
    "DeliveryStatus",
    "FloorScope",
    "LeadChannel",
    "LeadStatus",
    "LostReason",
    "OpportunityStage",
    "OrderStep",
    "Presence",
    "PriceListKind",
    "QuoteStatus",
    "TaxRegime",
    "Role",
    "VisitOutcome",
]
