"""The Sync screen: a file still to upload is not "everything sent"; one record's refused changes
are one thing to look at."""

from datetime import date
from uuid import uuid4

from client.services.files import keep_file, mark_uploaded
from client.services.sync_center import send_all_again, sync_center
from client.services.sync_fixes import fix_form, refused_change
from client.services.sync_issues import discard_sync_issues
from client.services.today import AlertKind, today_agenda
from client.store import count_pending, pending_mutations, record, record_rejection, remove_acknowledged
from client.store.changes import write_server_changes
from client.store.issues import resolve_issue
from client.ui.outbox_view import OutboxView
from shared.models.field import Quote
from shared.protocol import MutationName, MutationResult
from tests.client.factories import delete, make_customer, make_visit, put
from tests.client.screen import find_tagged, loaded_view, screen_words


def _waiting_words(session) -> str:
    none = find_tagged(loaded_view(OutboxView, session).pending, "pending-none")
    assert none is not None  # no change waits
    return screen_words(none)


def test_a_file_still_to_upload_is_said_where_the_changes_are_all_sent(seller_session):
    assert _waiting_words(seller_session) == "Everything has been sent."
    sha = keep_file(seller_session, b"%PDF-1.7 a quote", "application/pdf", "AG1-2026-0001.pdf")
    assert _waiting_words(seller_session) == "Every change has been sent; 1 file is still to upload."
    mark_uploaded(seller_session.store, sha)
    assert _waiting_words(seller_session) == "Everything has been sent."


def _refused(session, data: dict, name: MutationName = MutationName.RECORD_VISIT, key: str = "visit") -> None:
    """A change the server refused (a visit by default), as the pusher records it."""
    mutation_id = record(session.store, name, {key: data})
    with session.store.write() as db:
        [mutation] = [m for m in pending_mutations(db) if m.id == mutation_id]
        result = MutationResult(id=mutation_id, status="rejected", code="out_of_scope", detail="C9 is not yours")
        record_rejection(db, mutation, result)
        remove_acknowledged(db, mutation_id)


def test_one_visits_refused_changes_are_one_card_and_its_buttons_act_on_all(seller_session):
    visit = make_visit("C9")
    _refused(seller_session, visit.to_data())
    _refused(seller_session, {**visit.to_data(), "purpose": "Wants samples"})  # the latest names the card
    _refused(seller_session, make_visit("C8").to_data())

    shown = [screen_words(c) for c in loaded_view(OutboxView, seller_session).rejected.controls]
    assert len(shown) == 2 and "Visit · 2 changes" in shown[0] and "Wants samples" in shown[0], shown
    assert shown[0].count("Reason:") == 1  # the same reason said once

    center = sync_center(seller_session)
    [[first, again], [other]] = center.rejected_records
    assert send_all_again(seller_session, [again.id, first.id]) and count_pending_of(seller_session) == 2
    with seller_session.store.read() as db:  # queued again in the order they were made
        assert [m.args["visit"]["purpose"] for m in pending_mutations(db)] == [visit.purpose, "Wants samples"]
    assert [len(r) for r in sync_center(seller_session).rejected_records] == [1]
    assert discard_sync_issues(seller_session, [other.id]) == 1
    assert sync_center(seller_session).rejected_records == ()


def test_discarding_a_records_refused_changes_undoes_them_all(seller_session):
    """Newest first: the visit saved again is undone, then the visit recorded (gone from the
    device, as the server never had it)."""
    visit = make_visit("C9")
    _refused(seller_session, visit.to_data())
    _refused(seller_session, {**visit.to_data(), "purpose": "Wants samples"})
    [[first, again]] = sync_center(seller_session).rejected_records
    assert discard_sync_issues(seller_session, [first.id, again.id]) == 2
    assert sync_center(seller_session).rejected_records == ()
    with seller_session.store.read() as db:
        assert db.execute("SELECT count(*) FROM visits WHERE id = ?", [str(visit.id)]).fetchone()[0] == 0


def test_today_says_a_records_refusals_once(seller_session):
    visit = make_visit("C9")
    _refused(seller_session, visit.to_data())
    _refused(seller_session, {**visit.to_data(), "purpose": "Wants samples"})
    _refused(seller_session, make_visit("C8").to_data())
    alerts = [a for a in today_agenda(seller_session).alerts if a.kind == AlertKind.SYNC_REJECTED]
    assert len(alerts) == 2


def count_pending_of(session) -> int:
    with session.store.read() as db:
        return count_pending(db)


def test_a_records_fix_button_opens_its_first_change_that_has_a_form(seller_session):
    """A colleague's draft taken over (no form of its own) and then saved again, both refused:
    the card is named by the first, and its Fix button opens the quote the second saved."""
    quote = Quote(
        id=uuid4(),
        number="AG1-2026-0042",
        version=1,
        customer_code="C9",
        seller_login=seller_session.login,
        status="draft",
        currency="EUR",
        issue_date=date(2026, 12, 1),
        valid_until=date(2026, 12, 31),
        payment_terms="NET30",
    )
    _refused(seller_session, quote.to_data(), MutationName.TAKE_OVER_DRAFT, "quote")
    _refused(seller_session, quote.to_data(), MutationName.SAVE_QUOTE, "quote")
    [[taken, saved]] = sync_center(seller_session).rejected_records
    assert (fix_form(taken), fix_form(saved)) == (None, "quote")

    view = loaded_view(OutboxView, seller_session)
    button = find_tagged(view.rejected, f"fix-{taken.id}")
    assert button is not None and screen_words(button) == "Open the quote", [
        screen_words(c) for c in view.rejected.controls
    ]
    assert refused_change(seller_session, saved.id).quote_id == quote.id


def test_a_refusal_still_names_a_customer_who_has_left_the_device(seller_session):
    """The server refuses a visit because the customer moved to another seller; the same round
    takes her rows off the tablet. The Sync screen still says who she was."""
    customer = make_customer("C9", legal_name="Ferretería Norte S.L.")
    with seller_session.store.write() as db:
        write_server_changes(seller_session.store, db, [put(customer, seq=1)])
    _refused(seller_session, make_visit("C9").to_data())
    with seller_session.store.write() as db:
        write_server_changes(seller_session.store, db, [delete(customer, seq=2)])
        assert db.execute("SELECT count(*) FROM customers WHERE code = 'C9'").fetchone()[0] == 0

    assert sync_center(seller_session).customer("C9") == "Ferretería Norte S.L. (C9)"
    [card] = loaded_view(OutboxView, seller_session).rejected.controls
    assert "Ferretería Norte S.L. (C9)" in screen_words(card)
    [[issue]] = sync_center(seller_session).rejected_records
    with seller_session.store.write() as db:  # dealt with: her name is not kept any longer
        assert resolve_issue(db, issue.id)
        assert db.execute("SELECT customer_name FROM sync_issues").fetchall() == [(None,)]
