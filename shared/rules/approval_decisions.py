"""Deciding approval requests (DESIGN §5): who may decide, whether a decision still holds when
it reaches the server, which requests may be decided together, and how long one waited.

The server applies these on the online route and on the `decide_approval` mutation (a
decision made offline); the manager's device applies them before recording a decision, so
she is told at once what the server would refuse.

- **Who decides**: a manager for her team's sellers, an administrator for anyone; nobody
  decides a request on their own quote (another manager or an administrator must).
- **A decision holds** only on the version it was made on: if the seller has since made a
  newer version, or someone decided first, or the quote stopped waiting (withdrawn,
  expired), the decision is refused and the manager is told what changed.
- **Bulk** only across requests that fired the same rules: approving several at once must
  not approve, say, a credit block hidden among discount requests.
- **A rejection needs a note**: the seller must know why.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from shared.models import ApprovalDecisionKind, QuoteStatus, Role
from shared.rules.approval import RULE_CODES

K = TypeVar("K", bound=Hashable)


class Verdict(StrEnum):
    """Whether a user may decide a request, and if not, why."""

    MAY_DECIDE = "may_decide"
    NOT_A_MANAGER = "not_a_manager"
    OWN_QUOTE = "own_quote"
    NOT_YOUR_TEAM = "not_your_team"


def who_may_decide(role: Role | str, decider: str, seller: str, *, seller_in_team: bool) -> Verdict:
    """May `decider` (with `role`) decide a request on `seller`'s quote? `seller_in_team`: the
    seller is in the decider's team (an administrator's team is everyone)."""
    if role not in (Role.MANAGER, Role.ADMIN):
        return Verdict.NOT_A_MANAGER
    if decider == seller:
        return Verdict.OWN_QUOTE
    if role == Role.MANAGER and not seller_in_team:
        return Verdict.NOT_YOUR_TEAM
    return Verdict.MAY_DECIDE


class Change(StrEnum):
    """What happened to a request since the manager saw it."""

    NEW_VERSION = "new_version"
    """The seller made a newer version of the quote: the decided one is superseded."""
    ALREADY_DECIDED = "already_decided"
    """Someone decided the request first."""
    NOT_WAITING = "not_waiting"
    """The quote no longer waits for a decision (withdrawn, expired, ...)."""


@dataclass(frozen=True, slots=True)
class RequestNow:
    """A request's quote as it is now (on the server, or on the device after a sync)."""

    version: int
    """The version the request is about (the one the manager decides on)."""
    newest_version: int
    """The newest version of the quote's number."""
    status: QuoteStatus | str
    """That version's status now."""
    decision: ApprovalDecisionKind | str | None = None
    """The decision already recorded on the request, if any."""


def changes_since(now: RequestNow) -> tuple[Change, ...]:
    """What stops a decision on `now.version` from applying; empty when it still waits for one."""
    changes = []
    if now.newest_version > now.version:
        changes.append(Change.NEW_VERSION)
    if now.decision is not None:
        changes.append(Change.ALREADY_DECIDED)
    # An approved or rejected status is already explained by the decision that made it.
    explained = now.decision is not None and str(now.status) == str(now.decision)
    if str(now.status) != QuoteStatus.PENDING_APPROVAL and not explained:
        changes.append(Change.NOT_WAITING)
    return tuple(changes)


def needs_note(decision: ApprovalDecisionKind | str, note: str) -> bool:
    """A rejection without a note (after trimming) is not allowed; an approval needs none."""
    return str(decision) == ApprovalDecisionKind.REJECTED and not note.strip()


def rule_set(fired_rules: Iterable[str]) -> tuple[str, ...]:
    """The distinct rules in the policy's order (unknown codes after, alphabetically): the key
    that says whether two requests fired the same rules."""
    codes = set(fired_rules)
    known = [c for c in RULE_CODES if c in codes]
    return (*known, *sorted(codes - set(RULE_CODES)))


def may_decide_together(rule_sets: Iterable[Iterable[str]]) -> bool:
    """Several requests may be decided in one go only if each fired the very same rules (and
    at least one); one request alone is always a single decision, never refused here."""
    keys = {rule_set(rules) for rules in rule_sets}
    return len(keys) == 1 and () not in keys


def bulk_groups(requests: Mapping[K, Iterable[str]]) -> dict[tuple[str, ...], list[K]]:
    """Requests that may be decided together, by the rules they fired: only groups of two or
    more, each in the order given."""
    groups: dict[tuple[str, ...], list[K]] = {}
    for key, rules in requests.items():
        codes = rule_set(rules)
        if codes:
            groups.setdefault(codes, []).append(key)
    return {codes: keys for codes, keys in groups.items() if len(keys) >= 2}


def time_to_decision(requested_at: datetime | None, decided_at: datetime) -> timedelta | None:
    """How long a request waited for its decision (None when its start is unknown; never negative)."""
    if requested_at is None:
        return None
    return max(decided_at - requested_at, timedelta(0))


class AgeUnit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"


def age_in_units(age: timedelta) -> tuple[AgeUnit, int]:
    """A waiting time as people say it: minutes under an hour, hours under two days, then
    days; always rounded down (never negative)."""
    seconds = max(int(age.total_seconds()), 0)
    if seconds < 3600:
        return AgeUnit.MINUTES, seconds // 60
    if seconds < 48 * 3600:
        return AgeUnit.HOURS, seconds // 3600
    return AgeUnit.DAYS, seconds // 86400


__all__ = [
    "AgeUnit",
    "Change",
    "RequestNow",
    "Verdict",
    "age_in_units",
    "bulk_groups",
    "changes_since",
    "may_decide_together",
    "needs_note",
    "rule_set",
    "time_to_decision",
    "who_may_decide",
]
