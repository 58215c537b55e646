"""At start-up: every route of the app has a row in the authorization table, and every route
for signed-in callers reads the caller from the token (so its row is checked)."""

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute, Mount, Route

from sync_server.api.deps import get_signed_in
from sync_server.services.authorization import Caller, route_caller


class UnauthorizedRoute(RuntimeError):
    """A route the authorization table does not cover (a programming error: add its row)."""


def app_routes(app: FastAPI) -> list[tuple[str, str, BaseRoute]]:
    """(method, path template, route) of every way into the app, as the authorization table
    keys them (the routers' routes, mounts as `<path>/{path:path}`)."""
    found: list[tuple[str, str, BaseRoute]] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            found.append(("GET", f"{route.path}/{{path:path}}", route))
            continue
        if not isinstance(route, Route | APIRoute) or context.path is None:
            raise UnauthorizedRoute(f"unknown kind of route {route!r}")
        methods = set(context.methods or ())
        if "GET" in methods:
            methods.discard("HEAD")  # answered as the GET
        found += [(method, context.path, route) for method in sorted(methods)]
    return found


def _reads_principal(dependant: Dependant) -> bool:
    # get_principal reads it too, through get_signed_in.
    return any(d.call is get_signed_in or _reads_principal(d) for d in dependant.dependencies)


def require_authorization_rows(app: FastAPI) -> None:
    """Raise UnauthorizedRoute for a route without a row, or a signed-in route that never
    reads the caller's token."""
    for method, path, route in app_routes(app):
        caller = route_caller(method, path)
        if caller is None:
            raise UnauthorizedRoute(f"{method} {path} has no row in services/authorization.py ROUTES")
        if caller != Caller.ANYONE and not (isinstance(route, APIRoute) and _reads_principal(route.dependant)):
            raise UnauthorizedRoute(f"{method} {path} is for {caller} callers but never reads the token")


__all__ = ["UnauthorizedRoute", "app_routes", "require_authorization_rows"]
