"""The quote status machine, versions, expiry and quote numbers (DESIGN §3).

    draft ──(no rule fired)──────────────────────────▶ sent ──▶ accepted | lost | expired
      └──▶ pending_approval ──▶ approved ──────────────▲
                          └───▶ rejected (closed; revise into version n+1)
    pending_approval, approved, sent ──▶ withdrawn (the seller takes the offer back)

- draft → sent only when no approval rule fired (`ApprovalRequired` otherwise);
  draft → pending_approval is always allowed (a seller may ask even when nothing fired).
- approved → sent only if every rule firing now was among the rules approved: a customer
  blocked after the approval, say, needs a new approval (`ApprovalRequired`).
- sent and accepted need the quote still valid (valid_until ≥ today, inclusive); expired
  needs it past validity (valid_until < today). `expire_if_due` applies that to a sent quote.
- Only a draft is edited in place. Editing a quote in any other state (pending, approved,
  rejected, sent, lost, expired) makes version n+1 in draft (`next_version`); the old
  version keeps its status. An accepted quote became an order and is never revised.
- rejected, accepted, lost, expired and withdrawn are final for their version.

Quote numbers are unique without a server round trip and readable aloud:
`<PREFIX>-<YYYY>-<NNNN>` (e.g. JGM1-2026-0042), the counter kept per device and restarted
each year, at least 4 digits. The prefix is the seller's initials plus the device's ordinal
for that seller (`quote_prefix`); the server assigns it at device registration and keeps it
unique, which makes every number unique. Versions share the number.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.errors import ApprovalRequired, InvalidTransition, ValidationFailed
from shared.messages import day, label, labels
from shared.models import QuoteStatus

S = QuoteStatus
ALLOWED_TRANSITIONS: dict[QuoteStatus, frozenset[QuoteStatus]] = {
    S.DRAFT: frozenset({S.PENDING_APPROVAL, S.SENT}),
    S.PENDING_APPROVAL: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.SENT, S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.SENT: frozenset({S.ACCEPTED, S.LOST, S.EXPIRED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset(),
    S.LOST: frozenset(),
    S.EXPIRED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
FINAL_STATUSES = frozenset(s for s, targets in ALLOWED_TRANSITIONS.items() if not targets)
OPEN_STATUSES: tuple[QuoteStatus, ...] = (S.PENDING_APPROVAL, S.APPROVED, S.SENT)
"""A quote the customer may still accept: its amount counts against the customer's credit
(until the ERP invoices the order), and the customer has an open quote."""
OUTCOME_STATUSES: tuple[QuoteStatus, ...] = (S.ACCEPTED, S.LOST, S.EXPIRED, S.WITHDRAWN)
"""How an offer ends: what a seller marks it (`mark_quote`)."""
IN_PROGRESS_STATUSES: tuple[QuoteStatus, ...] = (S.DRAFT, *OPEN_STATUSES, S.REJECTED)
"""A quote the seller still works on or waits for: open business on the customer's page."""
_NOT_REVISABLE = frozenset({S.DRAFT, S.ACCEPTED})
_PREFIX = r"[A-Z][A-Z0-9]{1,7}"
_NUMBER = re.compile(rf"^({_PREFIX})-(\d{{4}})-(\d{{4,}})$")


def can_transition(current: QuoteStatus | str, target: QuoteStatus | str) -> bool:
    """Whether the machine has an arrow from `current` to `target` (conditions aside)."""
    return QuoteStatus(target) in ALLOWED_TRANSITIONS[QuoteStatus(current)]


def needs_approval(fired_rules: Iterable[str]) -> bool:
    """Whether any approval rule fired."""
    return any(True for _ in fired_rules)


def submit_status(fired_rules: Iterable[str]) -> QuoteStatus:
    """Where a draft goes when the seller sends it: pending_approval if a rule fired, else sent."""
    return S.PENDING_APPROVAL if needs_approval(fired_rules) else S.SENT


def is_expired(valid_until: date, today: date) -> bool:
    """Whether the validity has ended: valid_until is the last valid day."""
    return valid_until < today


def transition(
    current: QuoteStatus | str,
    target: QuoteStatus | str,
    *,
    fired_rules: Iterable[str] = (),
    approved_rules: Iterable[str] = (),
    valid_until: date | None = None,
    today: date | None = None,
) -> QuoteStatus:
    """The new status, or `InvalidTransition` / `ApprovalRequired` saying why not."""
    now, to = QuoteStatus(current), QuoteStatus(target)
    if to not in ALLOWED_TRANSITIONS[now]:
        key, params = _refusal_message(now, to)
        raise InvalidTransition(_refusal(now, to), from_status=now.value, to_status=to.value, key=key, params=params)
    fired = tuple(dict.fromkeys(fired_rules))
    if to == S.SENT:
        unapproved = [r for r in fired if r not in set(approved_rules)] if now == S.APPROVED else list(fired)
        if unapproved:
            why = "since the approval, new rules fired" if now == S.APPROVED else "rules fired"
            raise ApprovalRequired(
                f"The quote needs an approval before it can be sent: {why}: {', '.join(unapproved)}",
                fired_rules=unapproved,
                key="problem.quote.needs_new_approval" if now == S.APPROVED else "problem.quote.needs_approval",
                params={"rules": labels("ApprovalRule", unapproved)},
            )
    if to in (S.SENT, S.ACCEPTED) and valid_until is not None and today is not None and is_expired(valid_until, today):
        raise InvalidTransition(
            f"The quote was valid until {valid_until}; it cannot be {to.value} on {today}. Make a new version.",
            from_status=now.value,
            to_status=to.value,
            key="problem.quote.validity_over",
            params={"valid_until": day(valid_until), "status": label("QuoteStatus", to)},
        )
    if to == S.EXPIRED and not (valid_until is not None and today is not None and is_expired(valid_until, today)):
        raise InvalidTransition(
            f"A quote expires only after its valid-until date ({valid_until or 'not given'}, today {today or 'not given'})",
            from_status=now.value,
            to_status=to.value,
            key="problem.quote.not_expired" if valid_until is not None else None,
            params={"valid_until": day(valid_until)} if valid_until is not None else None,
        )
    return to


def expire_if_due(current: QuoteStatus | str, valid_until: date, today: date) -> QuoteStatus:
    """A sent quote past its validity becomes expired; any other status is returned as is."""
    status = QuoteStatus(current)
    return S.EXPIRED if status == S.SENT and is_expired(valid_until, today) else status


def can_edit_in_place(status: QuoteStatus | str) -> bool:
    """Only a draft is edited in place; everything else is revised into a new version."""
    return QuoteStatus(status) == S.DRAFT


def next_version(status: QuoteStatus | str, version: int) -> int:
    """The version number an edit of this quote creates (in draft), or why it cannot."""
    current = QuoteStatus(status)
    if current == S.DRAFT:
        raise InvalidTransition(
            "A draft is edited in place; it needs no new version",
            from_status=current.value,
            to_status=S.DRAFT.value,
            key="problem.quote.draft_edited_in_place",
        )
    if current == S.ACCEPTED:
        raise InvalidTransition(
            "An accepted quote became an order; it is not revised",
            from_status=current.value,
            to_status=S.DRAFT.value,
            key="problem.quote.accepted_not_revised",
        )
    return version + 1


def _refusal(now: QuoteStatus, to: QuoteStatus) -> str:
    allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[now])) or "none: it is final"
    a = "an" if now.value[0] in "aeiou" else "a"
    head = f"{a.capitalize()} {now.value} quote cannot become {to.value}"
    if now == S.REJECTED:
        return f"{head}: a rejected version is closed; revise it into a new version and submit that"
    if to == S.DRAFT and now not in _NOT_REVISABLE:
        return f"{head}: {a} {now.value} quote is never edited in place; edit it to make a new version (allowed: {allowed})"
    return f"{head} (allowed: {allowed})"


def _refusal_message(now: QuoteStatus, to: QuoteStatus) -> tuple[str, dict[str, Any]]:
    """The key and values of `_refusal`'s sentence, for the seller's language."""
    params: dict[str, Any] = {"status": label("QuoteStatus", now), "target": label("QuoteStatus", to)}
    if now == S.REJECTED:
        return "problem.quote.rejected_is_closed", params
    if to == S.DRAFT and now not in _NOT_REVISABLE:
        return "problem.quote.edit_makes_new_version", params
    allowed = sorted(s.value for s in ALLOWED_TRANSITIONS[now])
    if not allowed:
        return "problem.quote.status_is_final", params
    return "problem.quote.transition_not_allowed", {**params, "allowed": labels("QuoteStatus", allowed)}


@dataclass(frozen=True, slots=True)
class QuoteNumber:
    """The parts of a quote number: device prefix, year, per-device counter."""

    prefix: str
    year: int
    counter: int

    def __str__(self) -> str:
        return format_quote_number(self.prefix, self.year, self.counter)


def format_quote_number(prefix: str, year: int, counter: int) -> str:
    """'JGM1-2026-0042' from its parts; the counter has at least 4 digits."""
    if not re.fullmatch(_PREFIX, prefix):
        raise ValidationFailed(
            f"Quote number prefix {prefix!r} must be 2–8 capitals or digits, starting with a capital",
            key="problem.quote_number.bad_prefix",
            params={"prefix": prefix},
        )
    if not 2000 <= year <= 9999:
        raise ValidationFailed(
            f"Quote number year {year} is out of range", key="problem.quote_number.bad_year", params={"year": year}
        )
    if counter < 1:
        raise ValidationFailed(
            f"Quote number counter must start at 1, got {counter}",
            key="problem.quote_number.bad_counter",
            params={"counter": counter},
        )
    return f"{prefix}-{year:04d}-{counter:04d}"


def parse_quote_number(text: str) -> QuoteNumber:
    """The parts of a quote number; `ValidationFailed` when it is not one we write."""
    match = _NUMBER.match(text)
    number = QuoteNumber(match[1], int(match[2]), int(match[3])) if match else None
    if number is None or number.counter < 1 or number.year < 2000 or format_quote_number(*_parts(number)) != text:
        raise ValidationFailed(
            f"{text!r} is not a quote number like JGM1-2026-0042",
            key="problem.quote_number.invalid",
            params={"number": text},
        )
    return number


def next_quote_number(prefix: str, year: int, last_issued: str | None) -> str:
    """The device's next number: the counter after its last one, restarted at 1 in a new year."""
    last = parse_quote_number(last_issued) if last_issued else None
    counter = last.counter + 1 if last and last.prefix == prefix and last.year == year else 1
    return format_quote_number(prefix, year, counter)


def quote_prefix(seller_name: str, device_ordinal: int) -> str:
    """Seller initials plus the device's ordinal: ('Juan García Martín', 1) → 'JGM1'."""
    ascii_name = unicodedata.normalize("NFKD", seller_name).encode("ascii", "ignore").decode()
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", ascii_name)).upper()[:6] or "Q"
    if device_ordinal < 1:
        raise ValidationFailed(
            f"Device ordinal must start at 1, got {device_ordinal}",
            key="problem.quote_number.bad_ordinal",
            params={"ordinal": device_ordinal},
        )
    digits = str(device_ordinal)
    if len(digits) > 7:
        raise ValidationFailed(
            f"Device ordinal {device_ordinal} is too large for a quote number prefix",
            key="problem.quote_number.ordinal_too_large",
            params={"ordinal": device_ordinal},
        )
    return f"{initials[: 8 - len(digits)]}{digits}"  # a prefix has at most 8 characters


def _parts(number: QuoteNumber) -> tuple[str, int, int]:
    return number.prefix, number.year, number.counter


__all__ = [
    "ALLOWED_TRANSITIONS",
    "FINAL_STATUSES",
    "IN_PROGRESS_STATUSES",
    "OPEN_STATUSES",
    "OUTCOME_STATUSES",
    "QuoteNumber",
    "can_edit_in_place",
    "can_transition",
    "expire_if_due",
    "format_quote_number",
    "is_expired",
    "needs_approval",
    "next_quote_number",
    "next_version",
    "parse_quote_number",
    "quote_prefix",
    "submit_status",
    "transition",
]
