"""Where a quote came from: the visit it was started on and the opportunity it answers.

Both are optional. A link names a record of the same customer and of the quote's own
seller: a quote for Calara cannot hang on a visit to another customer, nor on a colleague's
opportunity. The device checks it when the quote is started; the server again on every
saved version (versions keep the links of the version they revise).
"""

from uuid import UUID

from shared.errors import OutOfScope, ValidationFailed
from shared.models.field import Opportunity, Visit


def check_quote_links(
    customer_code: str,
    seller_login: str,
    *,
    visit_id: UUID | None = None,
    visit: Visit | None = None,
    opportunity_id: UUID | None = None,
    opportunity: Opportunity | None = None,
) -> None:
    """Refuse a link to a record that is missing (`visit`/`opportunity` None for a given id),
    of another customer (`ValidationFailed`) or of another seller (`OutOfScope`)."""
    if visit_id is not None:
        if visit is None:
            raise ValidationFailed(
                f"the quote's visit {visit_id} is not known; record it first",
                key="problem.quote.visit_unknown",
            )
        if visit.seller_login != seller_login:
            raise OutOfScope(
                f"the quote's visit {visit_id} belongs to {visit.seller_login}",
                key="problem.quote.visit_not_yours",
                params={"seller": visit.seller_login},
            )
        if visit.customer_code != customer_code:
            raise ValidationFailed(
                f"the quote is for {customer_code} but its visit was to {visit.customer_code}",
                key="problem.quote.visit_other_customer",
                params={"customer": customer_code, "other": visit.customer_code},
            )
    if opportunity_id is not None:
        if opportunity is None:
            raise ValidationFailed(
                f"the quote's opportunity {opportunity_id} is not known; record it first",
                key="problem.quote.opportunity_unknown",
            )
        if opportunity.seller_login != seller_login:
            raise OutOfScope(
                f"the quote's opportunity {opportunity_id} belongs to {opportunity.seller_login}",
                key="problem.quote.opportunity_not_yours",
                params={"seller": opportunity.seller_login},
            )
        if opportunity.customer_code != customer_code:
            raise ValidationFailed(
                f"the quote is for {customer_code} but its opportunity is with {opportunity.customer_code}",
                key="problem.quote.opportunity_other_customer",
                params={"customer": customer_code, "other": opportunity.customer_code},
            )


__all__ = ["check_quote_links"]
