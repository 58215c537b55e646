"""Approvals for managers (DESIGN §5): the team's requests, and a decision on one."""

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from shared.models import ApprovalDecisionKind
from shared.models.types import LongText
from sync_server.api.deps import EngineDep, PrincipalDep
from sync_server.api.openapi import problems
from sync_server.services import approvals
from sync_server.services.approvals import ApprovalFilter, ApprovalItem
from sync_server.services.transactions import read_transaction, write_transaction

router = APIRouter(prefix="/v1/approvals", tags=["approvals"])


class DecisionCreate(BaseModel):
    """A manager's decision on an approval request."""

    model_config = ConfigDict(
        extra="forbid",
        # The rule of shared.rules.approval_decisions.needs_note, said in the schema: a rejection
        # carries a note that is more than blanks (schemathesis found it refused undeclared).
        json_schema_extra={
            "if": {"properties": {"decision": {"const": ApprovalDecisionKind.REJECTED.value}}},
            "then": {"required": ["comment"], "properties": {"comment": {"pattern": r"\S"}}},
        },
    )

    decision: ApprovalDecisionKind
    comment: LongText = ""


@router.get("", response_model=list[ApprovalItem], responses=problems(401, 403))
def list_approvals(
    engine: EngineDep, principal: PrincipalDep, status: ApprovalFilter = ApprovalFilter.PENDING
) -> list[ApprovalItem]:
    """Approval requests of the caller's team (everyone's for an administrator)."""
    with read_transaction(engine) as conn:
        return approvals.list_approvals(conn, principal, status)


@router.post("/{request_id}/decision", response_model=ApprovalItem, responses=problems(401, 403, 404, 409))
def decide(request_id: UUID, body: DecisionCreate, engine: EngineDep, principal: PrincipalDep) -> ApprovalItem:
    """Approve or reject a pending request; 409 when it was already decided."""
    with write_transaction(engine) as conn:
        return approvals.decide(conn, principal, request_id, body.decision, body.comment, datetime.now(UTC))
