"""A customer's drafts left by another seller, for the seller who holds the customer now."""

from typing import Annotated

from fastapi import APIRouter, Path

from shared.models.field import Quote
from shared.models.types import Code
from sync_server.api.deps import EngineDep, PrincipalDep
from sync_server.api.openapi import problems
from sync_server.services.mutations.draft_takeover import colleague_drafts
from sync_server.services.transactions import read_transaction

router = APIRouter(prefix="/v1/customers", tags=["customers"])


@router.get("/{customer_code}/drafts", response_model=list[Quote], responses=problems(401, 403, 404))
def list_colleague_drafts(
    customer_code: Annotated[Code, Path(description="the customer's code")], engine: EngineDep, principal: PrincipalDep
) -> list[Quote]:
    """Drafts other sellers left for this customer, now in the caller's portfolio (to take over)."""
    with read_transaction(engine) as conn:
        return colleague_drafts(conn, principal, customer_code)
