"""Approvals for managers (DESIGN §5): the team's requests, and a decision on one."""

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict

from shared.models import ApprovalDecisionKind
from shared.models.types import LongText
from shared.protocol import DelegationCreate, DelegationPublic
from sync_server.api.deps import EngineDep, PrincipalDep
from sync_server.api.openapi import problems
from sync_server.services import approvals, delegations
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


@router.get("/delegations", response_model=list[DelegationPublic], responses=problems(401, 403))
def list_delegations(engine: EngineDep, principal: PrincipalDep) -> list[DelegationPublic]:
    """The delegations the caller gave or holds, today's and later ones."""
    with read_transaction(engine) as conn:
        return delegations.list_delegations(conn, principal, datetime.now(UTC).date())


@router.post("/delegations", response_model=DelegationPublic, status_code=201, responses=problems(401, 403, 422))
def delegate(body: DelegationCreate, engine: EngineDep, principal: PrincipalDep) -> DelegationPublic:
    """Hand the caller's approvals to another manager for a range of days."""
    with write_transaction(engine) as conn:
        return delegations.delegate_approvals(
            conn, principal, body.delegate_login, body.starts_on, body.ends_on, datetime.now(UTC)
        )


@router.delete("/delegations/{delegation_id}", status_code=204, responses=problems(401, 403, 404))
def cancel_delegation(delegation_id: UUID, engine: EngineDep, principal: PrincipalDep) -> Response:
    """End a delegation the caller gave."""
    with write_transaction(engine) as conn:
        delegations.cancel_delegation(conn, principal, delegation_id, datetime.now(UTC))
    return Response(status_code=204)


@router.post("/{request_id}/decision", response_model=ApprovalItem, responses=problems(401, 403, 404, 409))
def decide(request_id: UUID, body: DecisionCreate, engine: EngineDep, principal: PrincipalDep) -> ApprovalItem:
    """Approve or reject a pending request; 409 when it was already decided."""
    with write_transaction(engine) as conn:
        return approvals.decide(conn, principal, request_id, body.decision, body.comment, datetime.now(UTC))
