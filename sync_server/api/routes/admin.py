"""Policies: administrators set them; every signed-in device reads them to quote offline."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path

from sync_server.api.deps import AdminDep, EngineDep, SignedInDep
from sync_server.api.openapi import body_any_of, problems
from sync_server.services import device_admin, policies
from sync_server.services.transactions import read_transaction, write_transaction

router = APIRouter(prefix="/v1", tags=["policies"])

PolicyName = Annotated[
    str, Path(description="the policy's name", json_schema_extra={"enum": sorted(policies.POLICY_MODELS)})
]
"""Declared as the names there are; another name is still answered 404 (NotFound), not 422."""


@router.get("/policies", responses=problems(401))
def read_policies(engine: EngineDep, signed_in: SignedInDep) -> dict[str, dict[str, Any]]:
    """The policies in force, for devices to apply offline. A device reads them at the end of
    every sync round, so this is also when the device last synced (the administrator's
    Devices): written only when the one kept is older than a few minutes, so a round is one
    read transaction, not a write (SQLite's write lock) every time."""
    now = datetime.now(UTC)
    with read_transaction(engine) as conn:
        principal = signed_in.principal(conn)
        noted = device_admin.sync_round_noted(conn, principal.client_id, now)
        answer = policies.policies_as_json(conn)
    if not noted:
        with write_transaction(engine) as conn:
            device_admin.note_sync_round(conn, principal.client_id, now)
    return answer


@router.get("/admin/policies/{name}", responses=problems(401, 403, 404))
def read_policy(name: PolicyName, engine: EngineDep, _admin: AdminDep) -> dict[str, Any]:
    """One policy in force (its defaults when never set)."""
    with read_transaction(engine) as conn:
        return policies.policy_json(policies.load_policy(conn, name))


@router.put(
    "/admin/policies/{name}",
    responses=problems(401, 403, 404),
    openapi_extra=body_any_of(*(policies.POLICY_MODELS[name] for name in sorted(policies.POLICY_MODELS))),
)
def write_policy(
    name: PolicyName, engine: EngineDep, admin: AdminDep, body: dict[str, Any] = Body(...)
) -> dict[str, Any]:
    """Replace a policy (fields left out take their defaults); returns it as stored. The audit
    log notes each changed field, old → new."""
    with write_transaction(engine) as conn:
        return policies.policy_json(policies.save_policy(conn, name, body, datetime.now(UTC), by=admin.login))
