"""Sending a quote by e-mail from the device, and sends held while a manager decides.

"Send" renders the PDF (the exact bytes the customer gets) and keeps it for upload. A quote
that needs no approval, or has it, is queued at once (`send_quote` mutation). One waiting for
approval is *held* here with its PDF; the first sync that brings the approval releases it
(`release_approved_sends`) after the same checks as a send: validity, and every rule firing
now approved (credit checked again with today's synced data).
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from pydantic import ValidationError

from client.i18n import Translator
from client.services.company import company_of
from client.services.files import keep_file
from client.services.ids import new_record_id
from client.services.quote_document import quote_language, render_quote
from client.services.quote_reading import get_quote, latest_version, load_quote
from client.services.quoting import edit_draft_of, price, today
from client.services.session import Session
from client.store import FIELD_TABLES, record
from shared.errors import DomainError, InvalidTransition, PermissionDenied, ValidationFailed
from shared.invalid_input import problem_lines
from shared.messages import label
from shared.models import QuoteStatus
from shared.models.field import EmailDelivery, Quote
from shared.protocol import MutationName
from shared.rules import fired_codes, transition
from shared.rules.quote_outcomes import check_latest

S = QuoteStatus
log = logging.getLogger(__name__)
_QUOTES = FIELD_TABLES[Quote.ENTITY]


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What `send_quote` did: queued for the server now, or held until the approval arrives."""

    delivery: EmailDelivery
    held: bool
    pdf_sha256: str


def send_quote(
    session: Session,
    quote_id: UUID | str,
    recipients: list[str],
    *,
    message: str = "",
    language: str | None = None,
    subject: str | None = None,
) -> SendOutcome:
    """Send a quote by e-mail with its PDF (in the customer's language unless `language`
    says otherwise): queued now, or held while a manager decides.

    Credit is checked again first with today's synced data: a rule that fires now and was
    not approved stops the send (ApprovalRequired: request approval, or make a new version).
    """
    quote = get_quote(session, quote_id)
    if quote.seller_login != session.login:
        raise PermissionDenied(
            f"quote {quote.number} is {quote.seller_login}'s",
            key="problem.quote.not_yours",
            params={"number": quote.number, "seller": quote.seller_login},
        )
    if quote.status != S.PENDING_APPROVAL:
        _check_sendable(session, quote)
    try:
        addresses = tuple(r.strip() for r in recipients if r.strip())
        EmailDelivery(id=quote.id, quote_id=quote.id, recipients=addresses, subject="-", pdf_sha256="0" * 64)
    except ValidationError as exc:
        problems = "; ".join(problem_lines(exc.errors()))
        wrong = [str(e["input"]) for e in exc.errors() if e["loc"][:1] == ("recipients",) and len(e["loc"]) > 1]
        key = "problem.email.bad_addresses" if wrong else "problem.email.no_recipients" if not addresses else None
        raise ValidationFailed(
            f"the e-mail cannot be sent: {problems}", key=key, params={"addresses": wrong} if wrong else None
        ) from None
    language = language or quote_language(session, quote)
    pdf = render_quote(session, quote, language)
    sha256 = keep_file(session, pdf, "application/pdf", f"{quote.number}-v{quote.version}.pdf")
    delivery = EmailDelivery(
        id=new_record_id(),
        quote_id=quote.id,
        recipients=addresses,
        subject=subject or _subject(session, quote, language),
        message=message,
        pdf_sha256=sha256,
    )
    if quote.status == S.PENDING_APPROVAL:
        with session.store.write() as db:
            db.execute(
                "INSERT INTO held_sends (quote_id, delivery, held_at) VALUES (?, ?, ?) "
                "ON CONFLICT(quote_id) DO UPDATE SET delivery = excluded.delivery, held_at = excluded.held_at",
                [str(quote.id), delivery.model_dump_json(), datetime.now(UTC).isoformat()],
            )
        return SendOutcome(delivery=delivery, held=True, pdf_sha256=sha256)
    _record_send(session, quote, delivery)
    session.notify_local_write()
    return SendOutcome(delivery=delivery, held=False, pdf_sha256=sha256)


def _check_sendable(session: Session, quote: Quote) -> None:
    """What the server checks before sending, with the device's facts: not expired, and every
    rule firing now approved (credit is checked again with today's synced data)."""
    with session.store.read() as db:
        newer = latest_version(db, quote.number)
    check_latest(quote.number, quote.version, newer, S.SENT.value)
    now_firing = fired_codes(price(session, edit_draft_of(quote)).fired_rules)
    approved = quote.fired_rules if quote.status == S.APPROVED else ()
    transition(
        quote.status,
        S.SENT,
        fired_rules=now_firing,
        approved_rules=approved,
        valid_until=quote.valid_until,
        today=today(),
    )


def cancel_held_send(session: Session, quote_id: UUID | str) -> bool:
    """Forget a send held for approval (the quote stays as it is); whether there was one."""
    with session.store.write() as db:
        return db.execute("DELETE FROM held_sends WHERE quote_id = ?", [str(quote_id)]).rowcount > 0


def release_approved_sends(session: Session) -> int:
    """Queue every held send whose quote is now approved (run after each pull); how many.

    The same checks as `send_quote` run first (validity, rules firing since the approval);
    a send that fails them, or whose quote has a newer version, stays held and visible.
    """
    with session.store.read() as db:
        held = db.execute(
            f'SELECT h.quote_id, h.delivery FROM held_sends AS h JOIN "{_QUOTES}" AS q ON q.id = h.quote_id '
            "WHERE q.status = 'approved' ORDER BY h.held_at"
        ).fetchall()
    released = 0
    for quote_id, text in held:
        quote = get_quote(session, quote_id)
        try:
            _check_sendable(session, quote)
            released += _record_send(session, quote, EmailDelivery.model_validate_json(text), held=True)
        except DomainError as exc:
            log.info("held send of %s v%s stays held: %s", quote.number, quote.version, exc.detail)
    if released:
        session.notify_local_write()
    return released


def _record_send(session: Session, quote: Quote, delivery: EmailDelivery, *, held: bool = False) -> int:
    with session.store.write() as db:
        if held and db.execute("DELETE FROM held_sends WHERE quote_id = ?", [str(quote.id)]).rowcount != 1:
            return 0  # the seller cancelled it meanwhile
        if not held:
            db.execute("DELETE FROM held_sends WHERE quote_id = ?", [str(quote.id)])
        now = load_quote(db, quote.id).status
        if now != quote.status:  # a sync changed it while the PDF was being made
            raise InvalidTransition(
                f"quote {quote.number} v{quote.version} is {now} now; look at it again",
                from_status=str(now),
                to_status="sent",
                key="problem.quote.status_changed",
                params={"number": quote.number, "version": quote.version, "status": label("QuoteStatus", now)},
            )
        record(
            session.store,
            MutationName.SEND_QUOTE,
            {"quote_id": str(quote.id), "delivery": delivery.to_data(), "from_status": str(quote.status)},
        )
    return 1


def _subject(session: Session, quote: Quote, language: str) -> str:
    company = company_of(session)
    t = Translator(language)
    if company is None:  # no profile synced yet: the subject names the quote only
        return t("email.subject_no_company", number=quote.number, version=quote.version)
    return t("email.subject", number=quote.number, version=quote.version, company=company.profile.name)


__all__ = ["SendOutcome", "cancel_held_send", "release_approved_sends", "send_quote"]
