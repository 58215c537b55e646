"""`decide_approval {decision, quote_id, quote_version}`: a manager's decision made on her
device, perhaps offline, applied at sync by the same service as the online route.

The decision names the quote version the manager read. It applies only while that version
is the newest and still waits for a decision; otherwise it is refused ("changed since you
decided", naming what changed) and comes back to her device as a sync issue. The decision
is recorded under the device's id (a retry changes nothing) with the server's clock as
`decided_at`: the device's clock never dates it.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from shared.errors import PermissionDenied, ValidationFailed
from shared.models.field import ApprovalDecision
from sync_server.repository.database import Connection
from sync_server.services import approvals
from sync_server.services.auth import Principal
from sync_server.services.mutations.base import Applied, parse


def decide_approval(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Apply a decision made on a device, if the version decided on still waits for one."""
    decision = parse(ApprovalDecision, args, "decision")
    if decision.decided_by != principal.login:
        raise PermissionDenied(
            f"a decision is made by the manager who sends it, not by {decision.decided_by}",
            key="problem.approval.decided_by_sender",
        )
    try:
        quote_id = UUID(str(args["quote_id"]))
        version = int(args["quote_version"])
    except (KeyError, TypeError, ValueError):
        raise ValidationFailed("decide_approval needs the quote_id and quote_version decided on") from None
    approvals.decide(
        conn,
        principal,
        decision.request_id,
        decision.decision,
        decision.comment,
        datetime.now(UTC),
        approvals.DecidedOn(decision.id, quote_id, version),
    )
    return Applied()


__all__ = ["decide_approval"]
