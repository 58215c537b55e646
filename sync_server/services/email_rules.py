"""A quote e-mail judged against the e-mail policy before it is queued (shared/rules/email_policy.py).

Recipients: the customer's own addresses (its e-mail and its contacts', from the ERP) and at
most the policy's number of new ones, each recorded as a contact of the customer in its
seller's portfolio (so the manager sees who quotes went to). Rates: the e-mails queued in
the last 24 hours by the seller and to the customer, counted in the audit log.
"""

import hashlib
from datetime import datetime, timedelta

from shared.models import Contact, Customer
from shared.models.field import EmailDelivery, Quote
from shared.protocol import portfolio_bucket
from shared.rules.email_policy import check_rate, check_words, new_recipients
from sync_server.repository import audit as audit_rows
from sync_server.repository.database import Connection
from sync_server.repository.quote_reads import models_with
from sync_server.repository.records import put_record
from sync_server.services.audit import AuditKind
from sync_server.services.policies import email_policy

_DAY = timedelta(days=1)


def check_quote_email(conn: Connection, seller: str, quote: Quote, delivery: EmailDelivery, now: datetime) -> None:
    """Refuse an e-mail outside the policy; record the new addresses it goes to as contacts."""
    policy = email_policy(conn)
    check_words(delivery.subject, delivery.message, policy)
    customers = models_with(conn, Customer, "code", quote.customer_code)
    contacts = models_with(conn, Contact, "customer_code", quote.customer_code)
    known = {c.email for c in contacts if c.email} | {c.email for c in customers if c.email}
    new = new_recipients(delivery.recipients, known, policy)
    kind = AuditKind.EMAIL_QUEUED.value
    by_seller, _ = audit_rows.failures_since(conn, kind, now - _DAY, login=seller)
    to_customer, _ = audit_rows.failures_since(conn, kind, now - _DAY, subject=quote.customer_code)
    check_rate(by_seller, to_customer, policy)
    owner = customers[0].seller_login if customers else seller
    for address in new:
        digest = hashlib.sha256(address.encode()).hexdigest()[:12]
        contact = Contact(
            id=f"{quote.customer_code}-mail-{digest}"[:64],
            customer_code=quote.customer_code,
            name=address,
            role=f"added by {seller}",
            email=address,
        )
        put_record(conn, contact, portfolio_bucket(owner))


__all__ = ["check_quote_email"]
