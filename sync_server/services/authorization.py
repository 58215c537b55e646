"""Who may call each route and push each mutation: the one authorization table.

Two tables, read by the checks and by the authorization matrix test
(tests/sync_server/test_authorization_matrix.py), which enumerates the app's routes and the
mutation registry and fails on any that has no row here:

- `ROUTES`: (method, path template) → who may call it. `create_app` refuses to start with a
  route missing from it, and `api.deps.get_principal` checks the caller's role against it
  on every signed-in request. A route for anyone needs no token.
- `MUTATIONS`: mutation name → whose record it writes and how the customer must be held.
  `push` refuses a mutation without a row (a newer handler nobody authorised), checks the
  written record's owner field against the caller before the handler runs, and handlers ask
  `customer_access` how strictly to check the customer.

To authorise a new route or mutation, add its row here (and a builder for the matrix test).
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared.errors import PermissionDenied
from shared.models import Role
from shared.protocol import MutationName


class Caller(StrEnum):
    """Who may call a route."""

    ANYONE = "anyone"
    """No token needed (sign-in, health, the API's own documentation)."""
    SIGNED_IN = "signed_in"
    """Any valid token of a device not revoked; what it reads is still scoped by the services."""
    MANAGER = "manager"
    """A manager or an administrator."""
    ADMIN = "admin"


_ROLES = {
    Caller.SIGNED_IN: frozenset(Role),
    Caller.MANAGER: frozenset({Role.MANAGER, Role.ADMIN}),
    Caller.ADMIN: frozenset({Role.ADMIN}),
}

ROUTES: dict[tuple[str, str], Caller] = {
    ("GET", "/v1/health"): Caller.ANYONE,
    ("POST", "/v1/auth/login"): Caller.ANYONE,
    ("POST", "/v1/auth/logout"): Caller.SIGNED_IN,
    ("POST", "/v1/auth/password"): Caller.SIGNED_IN,
    ("POST", "/v1/admin/devices/{client_id}/revoke"): Caller.ADMIN,
    ("GET", "/v1/sync/pull"): Caller.SIGNED_IN,
    ("GET", "/v1/sync/pull/stream"): Caller.SIGNED_IN,
    ("GET", "/v1/sync/bucket"): Caller.SIGNED_IN,
    ("POST", "/v1/sync/push"): Caller.SIGNED_IN,
    ("PUT", "/v1/attachments/{sha256}"): Caller.SIGNED_IN,
    ("HEAD", "/v1/attachments/{sha256}"): Caller.SIGNED_IN,
    ("GET", "/v1/attachments/{sha256}"): Caller.SIGNED_IN,
    ("GET", "/v1/approvals"): Caller.MANAGER,
    ("GET", "/v1/approvals/delegations"): Caller.MANAGER,
    ("POST", "/v1/approvals/delegations"): Caller.MANAGER,
    ("DELETE", "/v1/approvals/delegations/{delegation_id}"): Caller.MANAGER,
    ("POST", "/v1/approvals/{request_id}/decision"): Caller.MANAGER,
    ("GET", "/v1/policies"): Caller.SIGNED_IN,
    # A colleague's drafts for a customer now the caller's (the service checks the portfolio).
    ("GET", "/v1/customers/{customer_code}/drafts"): Caller.SIGNED_IN,
    # Everyone reads her own figures; the service scopes them (a manager's team, a seller's own).
    ("GET", "/v1/metrics"): Caller.SIGNED_IN,
    ("GET", "/v1/admin/policies/{name}"): Caller.ADMIN,
    ("PUT", "/v1/admin/policies/{name}"): Caller.ADMIN,
    ("GET", "/v1/admin/overview"): Caller.ADMIN,
    ("GET", "/v1/admin/users"): Caller.ADMIN,
    ("POST", "/v1/admin/users"): Caller.ADMIN,
    ("POST", "/v1/admin/users/{login}/deactivate"): Caller.ADMIN,
    ("POST", "/v1/admin/users/{login}/reactivate"): Caller.ADMIN,
    ("POST", "/v1/admin/users/{login}/password"): Caller.ADMIN,
    ("GET", "/v1/admin/teams"): Caller.ADMIN,
    ("PATCH", "/v1/admin/teams/{code}"): Caller.ADMIN,
    ("POST", "/v1/admin/teams/{code}/members"): Caller.ADMIN,
    ("GET", "/v1/admin/devices"): Caller.ADMIN,
    ("GET", "/v1/company"): Caller.SIGNED_IN,
    ("GET", "/v1/company/logo"): Caller.SIGNED_IN,
    ("PUT", "/v1/admin/company"): Caller.ADMIN,
    ("PUT", "/v1/admin/company/logo"): Caller.ADMIN,
    ("GET", "/openapi.json"): Caller.ANYONE,
    ("GET", "/docs"): Caller.ANYONE,
    ("GET", "/docs/oauth2-redirect"): Caller.ANYONE,
    ("GET", "/redoc"): Caller.ANYONE,
    ("GET", "/static-offline-docs/{path:path}"): Caller.ANYONE,
}


class CustomerAccess(StrEnum):
    """How the customer a mutation is about must be held by the caller."""

    CURRENT = "current"
    """In the caller's portfolio now (or her team's, for a manager): quoting, sending and answers.
    A customer moved to a colleague is read-only for the old seller."""
    CURRENT_OR_PAST = "current_or_past"
    """Now, or before it moved: field work done offline before the move still syncs."""
    NONE = "none"
    """No customer of its own (an addendum follows its visit)."""


@dataclass(frozen=True)
class MutationRule:
    """Whose record a mutation writes: `args[record][owner_field]` must be the caller's login;
    `record` None means the handler loads the record it changes and checks its owner there
    (send_quote and mark_quote act on the stored quote, which must be the caller's)."""

    record: str | None
    owner_field: str
    customer: CustomerAccess


MUTATIONS: dict[str, MutationRule] = {
    MutationName.RECORD_VISIT: MutationRule("visit", "seller_login", CustomerAccess.CURRENT_OR_PAST),
    MutationName.RECORD_OBSERVATION: MutationRule("observation", "seller_login", CustomerAccess.CURRENT_OR_PAST),
    MutationName.RECORD_CLAIM: MutationRule("claim", "seller_login", CustomerAccess.CURRENT_OR_PAST),
    MutationName.RECORD_LOST_SALE: MutationRule("lost_sale", "seller_login", CustomerAccess.CURRENT_OR_PAST),
    MutationName.ADD_VISIT_COMMENT: MutationRule("comment", "author_login", CustomerAccess.NONE),
    MutationName.SAVE_OPPORTUNITY: MutationRule("opportunity", "seller_login", CustomerAccess.CURRENT_OR_PAST),
    MutationName.SAVE_QUOTE: MutationRule("quote", "seller_login", CustomerAccess.CURRENT),
    MutationName.REQUEST_APPROVAL: MutationRule("request", "requested_by", CustomerAccess.CURRENT),
    MutationName.SEND_QUOTE: MutationRule(None, "seller_login", CustomerAccess.CURRENT),
    MutationName.MARK_QUOTE: MutationRule(None, "seller_login", CustomerAccess.CURRENT),
    MutationName.SAVE_LEAD: MutationRule("lead", "seller_login", CustomerAccess.CURRENT_OR_PAST),
    # A prospect is its seller's own customer-to-be: no portfolio holds it yet.
    MutationName.SAVE_PROSPECT: MutationRule("prospect", "seller_login", CustomerAccess.NONE),
    # A decision is its manager's: the service checks she may decide for the quote's seller.
    MutationName.DECIDE_APPROVAL: MutationRule("decision", "decided_by", CustomerAccess.NONE),
    # The copy is the new seller's own quote, for a customer in her portfolio now.
    MutationName.TAKE_OVER_DRAFT: MutationRule("quote", "seller_login", CustomerAccess.CURRENT),
}


def route_caller(method: str, path: str) -> Caller | None:
    """Who may call the route (its path template), or None when it has no row (refused).
    HEAD on a route without a row of its own is its GET (Starlette answers it so)."""
    method = method.upper()
    caller = ROUTES.get((method, path))
    if caller is None and method == "HEAD":
        caller = ROUTES.get(("GET", path))
    return caller


def check_route(role: Role, method: str, path: str) -> None:
    """PermissionDenied unless `role` may call the route; a route without a row is refused."""
    caller = route_caller(method, path)
    if caller is None:
        raise PermissionDenied(
            f"{method} {path} has no authorization rule", key="problem.access.no_rule", params={"what": path}
        )
    if caller != Caller.ANYONE and role not in _ROLES[caller]:
        key = "problem.access.admins_only" if caller == Caller.ADMIN else "problem.access.managers_only"
        raise PermissionDenied(f"{method} {path} is for {caller.value.replace('_', ' ')}s only", key=key)


def mutation_rule(name: str) -> MutationRule:
    """The mutation's row; PermissionDenied when it has none (nobody authorised it)."""
    rule = MUTATIONS.get(name)
    if rule is None:
        raise PermissionDenied(
            f"the mutation {name!r} has no authorization rule on this server",
            key="problem.access.no_rule",
            params={"what": name},
        )
    return rule


def check_mutation_owner(login: str, name: str, args: dict[str, Any]) -> None:
    """Refuse a mutation that writes a record owned by someone other than `login` (a manager
    never writes activity into a seller's record). A record that cannot be read is left to the
    handler, which names what is wrong with it."""
    rule = mutation_rule(name)
    if rule.record is None:
        return
    record = args.get(rule.record)
    owner = record.get(rule.owner_field) if isinstance(record, dict) else None
    if isinstance(owner, str) and owner.strip().lower() != login:
        raise PermissionDenied(
            f"a {rule.record.replace('_', ' ')} is written by its owner ({owner}), not by {login}",
            key="problem.record.owner_only",
            params={"owner": owner},
        )


def customer_access(name: str) -> CustomerAccess:
    """How strictly the mutation's customer is checked."""
    return mutation_rule(name).customer


__all__ = [
    "MUTATIONS",
    "ROUTES",
    "Caller",
    "CustomerAccess",
    "MutationRule",
    "check_mutation_owner",
    "check_route",
    "customer_access",
    "mutation_rule",
    "route_caller",
]
