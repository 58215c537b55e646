"""Request dependencies: settings, engine and the caller's principal from the token."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.errors import AuthError, PermissionDenied
from shared.models import Role
from sync_server.services.auth import Principal, authenticate
from sync_server.services.authorization import check_route
from sync_server.services.transactions import Connection, Engine, one_read
from sync_server.settings import ServerSettings

_bearer = HTTPBearer(auto_error=False)


def get_settings(request: Request) -> ServerSettings:
    return request.app.state.settings


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


SettingsDep = Annotated[ServerSettings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]


def get_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    """The bearer token of the request; 401 problem when there is none."""
    if credentials is None or not credentials.credentials:
        raise AuthError("sign in first: this call needs a bearer token")
    return credentials.credentials


TokenDep = Annotated[str, Depends(get_token)]


@dataclass(frozen=True)
class SignedIn:
    """A request's bearer token and route, to be resolved to the caller inside the route's
    own transaction: one transaction a request instead of two (a pull's snapshot reads the
    token too, as every page of a pull stream always did)."""

    token: str
    method: str
    path: str

    def principal(self, conn: Connection) -> Principal:
        """The signed-in caller, if her role may call this route (`services.authorization.ROUTES`);
        AuthError (401) when the token is unknown or expired, PermissionDenied (403) for the wrong role."""
        principal = authenticate(conn, self.token)
        check_route(principal.role, self.method, self.path)
        return principal


def get_signed_in(request: Request, token: TokenDep) -> SignedIn:
    """The request's token and route; 401 problem at once when there is no token."""
    route = request.scope.get("route")
    return SignedIn(token, request.method, getattr(route, "path", request.url.path))


SignedInDep = Annotated[SignedIn, Depends(get_signed_in)]


def get_principal(engine: EngineDep, signed_in: SignedInDep) -> Principal:
    """The signed-in caller, if her role may call this route (`services.authorization.ROUTES`);
    401 problem when the token is missing, unknown or expired, 403 for the wrong role."""
    with one_read(engine) as conn:  # one statement: the token's holder
        return signed_in.principal(conn)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_admin(principal: PrincipalDep) -> Principal:
    """The caller, if an administrator."""
    if principal.role != Role.ADMIN:
        raise PermissionDenied("only an administrator may do this")
    return principal


AdminDep = Annotated[Principal, Depends(require_admin)]

__all__ = ["AdminDep", "EngineDep", "PrincipalDep", "SettingsDep", "SignedIn", "SignedInDep", "TokenDep"]
