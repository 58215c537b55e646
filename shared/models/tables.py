"""The table each synced entity is kept in: the same name in the device's store and the server's
database, so a change log row, a local table and a server table say the same thing."""

REFERENCE_TABLES: dict[str, str] = {
    "team": "teams",
    "user": "users",
    "customer": "customers",
    "contact": "contacts",
    "credit": "credit",
    "invoice": "invoices",
    "invoice_line": "invoice_lines",
    "payment": "payments",
    "order_status": "order_statuses",
    "category": "categories",
    "tax_class": "tax_classes",
    "product": "products",
    "substitute": "substitutes",
    "warehouse": "warehouses",
    "stock": "stock",
    "incoming_lot": "incoming_lots",
    "price_list": "price_lists",
    "price_list_item": "price_list_items",
    "price_floor": "price_floors",
    "fx_rate": "fx_rates",
}
"""Reference entity (as in the change log) → its table, on the device and on the server."""

FIELD_TABLES: dict[str, str] = {
    "visit": "visits",
    "visit_comment": "visit_comments",
    "opportunity": "opportunities",
    "competitor_observation": "competitor_observations",
    "claim": "claims",
    "quote": "quotes",
    "approval_request": "approval_requests",
    "approval_decision": "approval_decisions",
    "email_delivery": "email_deliveries",
    "order": "orders",
    "lost_sale": "lost_sales",
    "lead": "leads",
    "prospect": "prospects",
}
"""Field data: what sellers and managers record (pulled from `activity:<login>`)."""

ENTITY_TABLES: dict[str, str] = {**REFERENCE_TABLES, **FIELD_TABLES}
"""Every synced entity → its table. A new entity needs a migration on both sides."""

__all__ = ["ENTITY_TABLES", "FIELD_TABLES", "REFERENCE_TABLES"]
