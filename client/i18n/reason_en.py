"""English words of approval rules and credit reasons (keys from shared/rules; see shared.messages)."""

MESSAGES: dict[str, str] = {
    # credit readiness (shared/rules/credit.py)
    "credit_reason.no_credit_data": "No credit information from the ERP yet: check with finance before promising terms",
    "credit_reason.blocked": "Blocked by finance: {reason}",
    "credit_reason.prepayment_required": "Prepayment required: the order ships once it is paid",
    "credit_reason.over_limit": "Over the credit limit by {over} (exposure {exposure}, limit {limit})",
    "credit_reason.near_limit": "Near the credit limit: {used} used, {available} available",
    "credit_reason.overdue_invoice": "{count} invoice overdue, by {days} days ({amount})",
    "credit_reason.overdue_invoices": "{count} invoices overdue, the oldest by {days} days ({amount})",
    "credit_reason.overdue_balance": "Overdue balance, the oldest by {days} days ({amount})",
    "credit_reason.overdue_invoice_late": "{count} invoice overdue, by {days} days ({amount}): more than {limit} "
    "days late blocks new sales until paid",
    "credit_reason.overdue_invoices_late": "{count} invoices overdue, the oldest by {days} days ({amount}): more "
    "than {limit} days late blocks new sales until paid",
    "credit_reason.overdue_balance_late": "Overdue balance, the oldest by {days} days ({amount}): more than {limit} "
    "days late blocks new sales until paid",
    "credit_reason.dispute_one": "{count} open dispute for {amount}",
    "credit_reason.disputes": "{count} open disputes for {amount}",
    # approval rules (shared/rules/approval.py, floors.py)
    "rule.discount_above_band": "Line {line} ({sku}): discount {discount}, above the {limit} a {band} seller may give",
    "rule.price_below_floor": "Line {line} ({sku}): price {price} below the floor {floor} ({level} {code})",
    "rule.margin_below_floor": "Line {line} ({sku}): margin {margin} below the minimum {minimum} ({level} {code})",
    "rule.no_margin": "Line {line} ({sku}): no net amount, so no margin; the minimum is {minimum} ({level} {code})",
    "rule.credit_blocked": "Credit blocked: {reasons}",
    "rule.credit_warning": "Credit warning: {reasons}",
    "rule.payment_terms": "Payment terms {terms} are not standard ({standard})",
    "enum.ApprovalRule.discount_above_band": "discount above the seller's band",
    "enum.ApprovalRule.price_below_floor": "price below the floor",
    "enum.ApprovalRule.margin_below_floor": "margin below the minimum",
    "enum.ApprovalRule.credit_warning": "credit warning",
    "enum.ApprovalRule.credit_blocked": "credit blocked",
    "enum.ApprovalRule.payment_terms": "non-standard payment terms",
    "enum.DiscountBand.junior": "junior",
    "enum.DiscountBand.standard": "standard",
    "enum.DiscountBand.senior": "senior",
    "enum.FloorScope.product": "product",
    "enum.FloorScope.category": "category",
}
