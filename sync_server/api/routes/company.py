"""The company profile: every signed-in device reads it; an administrator edits it."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from shared.models.company import CompanyProfile
from sync_server.api.deps import AdminDep, EngineDep, PrincipalDep
from sync_server.api.openapi import problems
from sync_server.services import company
from sync_server.services.transactions import read_transaction, write_transaction

router = APIRouter(prefix="/v1", tags=["company"])

_LOGO_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.get("/company", responses=problems(401))
def read_company(engine: EngineDep, _principal: PrincipalDep) -> dict[str, Any]:
    """The company profile (null before one was imported) and its logo's SHA-256."""
    with read_transaction(engine) as conn:
        return company.company_as_json(conn)


@router.get(
    "/company/logo",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/jpeg": {}}}, **problems(401, 404)},
)
def read_logo(engine: EngineDep, _principal: PrincipalDep) -> Response:
    """The logo's bytes (404 when the company has none)."""
    with read_transaction(engine) as conn:
        data, kind = company.company_logo(conn)
    return Response(content=data, media_type=kind, headers={"Cache-Control": "private, no-cache"})


@router.put("/admin/company", responses=problems(401, 403, 422))
def write_company(profile: CompanyProfile, engine: EngineDep, admin: AdminDep) -> dict[str, Any]:
    """Replace the company profile (the logo stays); returns what devices will receive."""
    with write_transaction(engine) as conn:
        company.save_company(conn, profile.model_dump(mode="json"), login=admin.login, now=datetime.now(UTC))
        return company.company_as_json(conn)


@router.put("/admin/company/logo", responses=problems(401, 403, 404, 413, 422), openapi_extra=_LOGO_BODY)
async def write_logo(request: Request, engine: EngineDep, admin: AdminDep) -> dict[str, Any]:
    """Replace the company's logo (a PNG or JPEG image as the request body)."""
    data = await request.body()
    with write_transaction(engine) as conn:
        company.save_company_logo(conn, data, login=admin.login, now=datetime.now(UTC))
        return company.company_as_json(conn)
