"""The e-mail policy: who a quote may be e-mailed to, how often, and how long its words.

A quote goes to the customer's own addresses (the customer's e-mail and its contacts', from
the ERP) and to at most `max_new_recipients` addresses the seller types (the server records
each as a new contact of the customer, which the seller's manager sees). A seller sends at most
`max_per_seller_per_day` quote e-mails a day, and a customer receives at most
`max_per_customer_per_day`. The subject is one line.
"""

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import TooManyAttempts, ValidationFailed


class EmailPolicy(BaseModel):
    """Bounds of quote e-mails (the server's `email` policy)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_new_recipients: int = Field(default=2, ge=0, le=10)
    max_recipients: int = Field(default=10, ge=1, le=50)
    max_per_seller_per_day: int = Field(default=100, ge=1, le=10_000)
    max_per_customer_per_day: int = Field(default=10, ge=1, le=1_000)
    max_subject_length: int = Field(default=200, ge=10, le=200)
    max_message_length: int = Field(default=4000, ge=0, le=4000)


def new_recipients(recipients: tuple[str, ...], known: set[str], policy: EmailPolicy) -> list[str]:
    """The recipients that are not the customer's own addresses; ValidationFailed past the policy."""
    if len(recipients) > policy.max_recipients:
        raise ValidationFailed(
            f"a quote e-mail goes to at most {policy.max_recipients} addresses",
            key="problem.email.too_many_recipients",
            params={"max": policy.max_recipients},
        )
    known_lower = {address.lower() for address in known}
    new = sorted({r.lower() for r in recipients if r.lower() not in known_lower})
    if len(new) > policy.max_new_recipients:
        raise ValidationFailed(
            f"at most {policy.max_new_recipients} addresses outside the customer's contacts; got {len(new)}",
            key="problem.email.unknown_recipients",
            params={"max": policy.max_new_recipients, "count": len(new)},
        )
    return new


def check_words(subject: str, message: str, policy: EmailPolicy) -> None:
    """ValidationFailed for a subject over its length or with a line break, or a long message."""
    if "\r" in subject or "\n" in subject:
        raise ValidationFailed("the subject is one line", key="problem.email.subject_line")
    if len(subject) > policy.max_subject_length or len(message) > policy.max_message_length:
        raise ValidationFailed(
            f"the subject has at most {policy.max_subject_length} characters and the message "
            f"{policy.max_message_length}",
            key="problem.email.too_long",
            params={"subject": policy.max_subject_length, "message": policy.max_message_length},
        )


def check_rate(sent_by_seller: int, sent_to_customer: int, policy: EmailPolicy) -> None:
    """TooManyAttempts when the seller or the customer had their e-mails for today."""
    if sent_by_seller >= policy.max_per_seller_per_day:
        raise TooManyAttempts(
            f"at most {policy.max_per_seller_per_day} quote e-mails a day per seller",
            key="problem.email.seller_limit",
            params={"max": policy.max_per_seller_per_day},
        )
    if sent_to_customer >= policy.max_per_customer_per_day:
        raise TooManyAttempts(
            f"at most {policy.max_per_customer_per_day} quote e-mails a day per customer",
            key="problem.email.customer_limit",
            params={"max": policy.max_per_customer_per_day},
        )


__all__ = ["EmailPolicy", "check_rate", "check_words", "new_recipients"]
