"""The quote status machine, versions, expiry and quote numbers."""

import itertools
from datetime import date

import pytest

from shared.errors import ApprovalRequired, InvalidTransition, ValidationFailed
from shared.models import QuoteStatus
from shared.rules.quote_lifecycle import (
    IN_PROGRESS_STATUSES,
    OPEN_STATUSES,
    QuoteNumber,
    can_edit_in_place,
    can_transition,
    expire_if_due,
    format_quote_number,
    next_quote_number,
    next_version,
    parse_quote_number,
    quote_prefix,
    submit_status,
    transition,
)

S = QuoteStatus
# The design's arrows, written out by hand (DESIGN §3), not read from the module under test.
ARROWS = {
    ("draft", "pending_approval"),
    ("draft", "sent"),
    ("pending_approval", "approved"),
    ("pending_approval", "rejected"),
    ("approved", "sent"),
    ("sent", "accepted"),
    ("sent", "lost"),
    ("sent", "expired"),
    ("pending_approval", "withdrawn"),
    ("approved", "withdrawn"),
    ("sent", "withdrawn"),
}
VALID_UNTIL, TODAY, LATER = date(2026, 6, 30), date(2026, 6, 10), date(2026, 7, 1)


@pytest.mark.parametrize(("current", "target"), list(itertools.product([s.value for s in S], repeat=2)))
def test_every_pair_of_statuses(current, target):
    allowed = (current, target) in ARROWS
    assert can_transition(current, target) is allowed
    today = LATER if target == "expired" else TODAY  # expiry needs the date past; the rest needs it valid
    if allowed:
        assert transition(current, target, valid_until=VALID_UNTIL, today=today) == S(target)
    else:
        with pytest.raises(InvalidTransition) as caught:
            transition(current, target, valid_until=VALID_UNTIL, today=today)
        assert caught.value.extra == {"from_status": current, "to_status": target}


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        ("sent", "draft", "a sent quote is never edited in place; edit it to make a new version"),
        ("approved", "draft", "an approved quote is never edited in place"),
        ("rejected", "draft", "a rejected version is closed; revise it into a new version"),
        ("accepted", "lost", "An accepted quote cannot become lost (allowed: none: it is final)"),
        ("draft", "approved", "A draft quote cannot become approved (allowed: pending_approval, sent)"),
        ("draft", "withdrawn", "A draft quote cannot become withdrawn (allowed: pending_approval, sent)"),
        ("withdrawn", "sent", "A withdrawn quote cannot become sent (allowed: none: it is final)"),
    ],
)
def test_refusals_say_why(current, target, message):
    with pytest.raises(InvalidTransition, match=message.replace("(", r"\(").replace(")", r"\)")):
        transition(current, target)


@pytest.mark.parametrize(
    ("current", "fired", "approved", "outcome"),
    [
        ("draft", [], [], "sent"),  # nothing fired: straight out
        ("draft", ["discount_above_band"], [], ApprovalRequired),  # needs approval first
        ("approved", ["discount_above_band"], ["discount_above_band"], "sent"),
        ("approved", [], ["discount_above_band"], "sent"),  # fewer rules now than approved
        ("approved", ["discount_above_band", "credit_blocked"], ["discount_above_band"], ApprovalRequired),
    ],
)
def test_sending_needs_every_fired_rule_approved(current, fired, approved, outcome):
    if outcome is ApprovalRequired:
        with pytest.raises(ApprovalRequired) as caught:
            transition(current, "sent", fired_rules=fired, approved_rules=approved)
        assert caught.value.extra["fired_rules"] == [r for r in fired if r not in approved]
    else:
        assert transition(current, "sent", fired_rules=fired, approved_rules=approved) == S(outcome)


@pytest.mark.parametrize(
    ("current", "target", "valid_until", "today", "ok"),
    [
        ("sent", "expired", date(2026, 6, 9), TODAY, True),  # validity ended yesterday
        ("sent", "expired", TODAY, TODAY, False),  # valid_until is still a valid day
        ("sent", "expired", None, None, False),  # expiry needs the dates
        ("sent", "accepted", TODAY, TODAY, True),  # accepted on the last valid day
        ("sent", "accepted", date(2026, 6, 9), TODAY, False),  # too late: make a new version
        ("approved", "sent", date(2026, 6, 9), TODAY, False),  # approval came after the validity
        ("draft", "sent", TODAY, TODAY, True),
        ("sent", "lost", date(2026, 6, 9), TODAY, True),  # a loss can be recorded any time
    ],
)
def test_validity_dates(current, target, valid_until, today, ok):
    if ok:
        assert transition(current, target, valid_until=valid_until, today=today) == S(target)
    else:
        with pytest.raises(InvalidTransition):
            transition(current, target, valid_until=valid_until, today=today)


@pytest.mark.parametrize(
    ("current", "valid_until", "expected"),
    [
        ("sent", date(2026, 6, 9), "expired"),
        ("sent", TODAY, "sent"),
        ("draft", date(2026, 6, 9), "draft"),
        ("approved", date(2026, 6, 9), "approved"),
        ("accepted", date(2026, 6, 9), "accepted"),
    ],
)
def test_expire_if_due(current, valid_until, expected):
    assert expire_if_due(current, valid_until, TODAY) == S(expected)


@pytest.mark.parametrize(
    ("status", "version", "expected"),
    [
        ("pending_approval", 1, 2),
        ("approved", 1, 2),
        ("rejected", 1, 2),
        ("sent", 2, 3),
        ("lost", 3, 4),
        ("expired", 1, 2),
        ("withdrawn", 1, 2),  # taken back, offered again as a new version
        ("draft", 1, InvalidTransition),
        ("accepted", 1, InvalidTransition),
    ],
)
def test_editing_makes_a_new_version(status, version, expected):
    assert can_edit_in_place(status) is (status == "draft")
    if expected is InvalidTransition:
        with pytest.raises(InvalidTransition):
            next_version(status, version)
    else:
        assert next_version(status, version) == expected


@pytest.mark.parametrize(("fired", "expected"), [([], "sent"), (["payment_terms"], "pending_approval")])
def test_submit_status(fired, expected):
    assert submit_status(fired) == S(expected)


@pytest.mark.parametrize(
    ("prefix", "year", "counter", "text"),
    [
        ("JGM1", 2026, 42, "JGM1-2026-0042"),
        ("AB", 2026, 1, "AB-2026-0001"),
        ("T07", 2027, 9999, "T07-2027-9999"),
        ("JGM1", 2026, 12345, "JGM1-2026-12345"),
    ],  # past 9999 the counter simply grows
)
def test_quote_number_round_trip(prefix, year, counter, text):
    assert format_quote_number(prefix, year, counter) == text
    assert parse_quote_number(text) == QuoteNumber(prefix, year, counter)
    assert str(parse_quote_number(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "jgm1-2026-0042",
        "JGM1-26-0042",
        "JGM1-2026-42",
        "JGM1-2026-0000",
        "JGM1-2026-00042",
        "J-2026-0001",
        "1AB-2026-0001",
        "JGM1_2026_0042",
        "JGM1-2026-0042 ",
        "ABCDEFGHI-2026-0001",
        "JGM1-1999-0001",
        "",
    ],
)
def test_parse_refuses_what_we_never_write(text):
    with pytest.raises(ValidationFailed):
        parse_quote_number(text)


@pytest.mark.parametrize(("prefix", "year", "counter"), [("jg", 2026, 1), ("JGM1", 2026, 0), ("JGM1", 199, 1)])
def test_format_refuses_bad_parts(prefix, year, counter):
    with pytest.raises(ValidationFailed):
        format_quote_number(prefix, year, counter)


@pytest.mark.parametrize(
    ("last", "year", "expected"),
    [
        (None, 2026, "JGM1-2026-0001"),
        ("JGM1-2026-0041", 2026, "JGM1-2026-0042"),
        ("JGM1-2025-0317", 2026, "JGM1-2026-0001"),  # a new year restarts the counter
        ("JGM2-2026-0007", 2026, "JGM1-2026-0001"),
    ],  # another device's number does not count
)
def test_next_quote_number(last, year, expected):
    assert next_quote_number("JGM1", year, last) == expected


@pytest.mark.parametrize(
    ("name", "ordinal", "prefix"),
    [
        ("Juan García Martín", 1, "JGM1"),
        ("Álvaro Núñez", 2, "AN2"),
        ("María José de la Peña", 1, "MJDLP1"),
        ("Ana", 3, "A3"),
        ("Ana Belén María José de la Peña", 7, "ABMJDL7"),  # six initials at most
        ("Ana Belén María José de la Peña", 123, "ABMJD123"),  # a longer number takes initials: 8 characters
        ("张伟", 2, "Q2"),
    ],  # no Latin letters to take initials from
)
def test_quote_prefix(name, ordinal, prefix):
    assert quote_prefix(name, ordinal) == prefix
    assert parse_quote_number(format_quote_number(prefix, 2026, 1)).prefix == prefix


@pytest.mark.parametrize(
    ("status", "open_", "in_progress"),
    [
        ("draft", False, True),  # not shown to the customer yet
        ("pending_approval", True, True),
        ("approved", True, True),
        ("rejected", False, True),  # the seller still has to act on it
        ("sent", True, True),
        ("accepted", False, False),  # an order now: counted by the ERP
        ("lost", False, False),
        ("expired", False, False),
        ("withdrawn", False, False),
    ],
)
def test_which_quotes_are_open_and_in_progress(status, open_, in_progress):
    assert (status in OPEN_STATUSES, status in IN_PROGRESS_STATUSES) == (open_, in_progress)
