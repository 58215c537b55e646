"""The services behind the seller's screens: Today, Customer 360, visits, observations,
opportunities, the Sync screen and device preferences — all on a real local store."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from client.services.customer360 import created_at, customer_360
from client.services.files import pending_uploads
from client.services.ids import new_record_id
from client.services.observations import photo_type, record_competitor_observation
from client.services.opportunities import (
    advance_opportunity,
    create_opportunity,
    edit_opportunity,
    list_opportunities,
    lose_opportunity,
    next_stage,
    pipeline,
)
from client.services.preferences import choose_language, choose_server, effective_settings, load_preferences
from client.services.sync_center import send_again, sync_center
from client.services.today import AlertKind, today_agenda
from client.services.visits import (
    add_addendum,
    add_claim,
    check_in,
    check_out,
    move_claim,
    open_visit,
    plan_visit,
    save_visit,
    visit_screen,
)
from client.store import apply_pull_page, count_pending, record_rejection
from shared.errors import InvalidTransition, NotFound, ValidationFailed
from shared.models import (
    Category,
    ClaimKind,
    ClaimStatus,
    LostReason,
    OpportunityStage,
    Payment,
    Presence,
    VisitOutcome,
)
from shared.models.field import VisitComment
from shared.models.reference import InvoiceLine
from shared.protocol import Mutation, MutationResult
from shared.rules.credit_ageing import AgeBucket, age_buckets
from tests.client.factories import (
    ACTIVITY,
    make_credit,
    make_customer,
    make_invoice,
    make_product,
    page,
    put,
    seq_changes,
)

TODAY = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 10, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def session(seller_session):
    return seller_session


def _load(session, records):
    apply_pull_page(session.store, page(seq_changes(records)))


def _categories():
    return [
        Category(code="TOOLS", name="Tools"),
        Category(code="TORN", name="Screws", parent_code="FIX"),
        Category(code="FIX", name="Fasteners"),
    ]


# -- Customer 360 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ["0", "0", "0", "0"]),
        ([(TODAY, Decimal("50"))], ["0", "0", "0", "0"]),  # due today: not overdue yet
        ([(TODAY - timedelta(days=1), Decimal("10"))], ["10", "0", "0", "0"]),
        (
            [(TODAY - timedelta(days=30), Decimal("10")), (TODAY - timedelta(days=31), Decimal("5"))],
            ["10", "5", "0", "0"],
        ),
        (
            [
                (TODAY - timedelta(days=90), Decimal("1.10")),
                (TODAY - timedelta(days=91), Decimal("2.20")),
                (TODAY - timedelta(days=400), Decimal("3.30")),
            ],
            ["0", "0", "1.10", "5.50"],
        ),
    ],
)
def test_overdue_money_falls_into_age_buckets(items, expected):
    buckets = age_buckets(items, TODAY)
    assert [b.amount for b in buckets] == [Decimal(x) for x in expected]
    assert buckets[-1] == AgeBucket(91, None, Decimal(expected[-1]))


def test_a_uuid7_tells_when_it_was_made_and_others_do_not():
    made = created_at(new_record_id())
    assert made is not None and abs(made - datetime.now(UTC)) < timedelta(seconds=5)
    assert created_at(uuid4()) is None
    assert created_at("C00005") is None


def test_customer_360_reads_credit_ages_sales_by_category_and_the_timeline(session):
    _load(
        session,
        [
            make_customer("C1", phone="+34 600 000 000"),
            make_credit("C1", blocked=True, block_reason="Impagos"),
            *_categories(),
            make_product("P1", category_code="TORN"),
            make_invoice("F1", issued=TODAY - timedelta(days=40), due_date=TODAY - timedelta(days=35)),
            make_invoice("F2", issued=TODAY - timedelta(days=500)),
            InvoiceLine(
                invoice_number="F1",
                line_no=1,
                sku="P1",
                quantity="10",
                unit_price="10.00",
                net_amount="100.00",
                cost_amount="60.00",
            ),
            Payment(
                id="PAY1", customer_code="C1", invoice_number="F1", payment_date=TODAY, currency="EUR", amount="21.00"
            ),
        ],
    )
    create_opportunity(session, "C1", "Bolts for 2027", Decimal("5000"))
    data = customer_360(session, "C1", as_of=TODAY)
    assert data.detail.credit.blocked and data.detail.credit.block_reason == "Impagos"
    # F1: 121 gross, 21 paid, 35 days late; F2: 121 unpaid, 500 days late.
    assert [b.amount for b in data.overdue_by_age] == [0, Decimal("100.00"), 0, Decimal("121.00")]
    by_category = {c.code: (c.amount, c.share) for c in data.sales_by_category}
    assert by_category == {"FIX": (Decimal("100.00"), Decimal(1)), "TOOLS": (Decimal(0), Decimal(0))}
    assert [o.title for o in data.open_opportunities] == ["Bolts for 2027"]
    kinds = [e.kind for e in data.timeline]
    assert kinds[0] == "opportunity"  # made now: newest first
    assert kinds.count("invoice") == 2 and kinds.count("payment") == 1


def test_customer_360_of_a_customer_not_on_the_device_says_so(session):
    with pytest.raises(NotFound, match="C404"):
        customer_360(session, "C404")


# -- Visits ---------------------------------------------------------------------------------


def test_a_visit_goes_from_check_in_through_notes_and_a_claim_to_check_out(session):
    _load(session, [make_customer("C1")])
    visit = check_in(session, "C1", now=NOW)
    assert check_in(session, "C1", now=NOW + timedelta(minutes=5)).checked_in_at == NOW  # a second tap
    save_visit(
        session,
        visit.id,
        purpose=" Stock review ",
        notes="New range",
        outcome=VisitOutcome.FOLLOW_UP,
        next_step="Send prices",
    )
    add_claim(session, visit.id, ClaimKind.RETURN, "Broken box", "F1")
    closed = check_out(session, visit.id, now=NOW + timedelta(hours=1))
    screen = visit_screen(session, visit.id)
    assert (screen.visit.purpose, screen.visit.outcome, screen.visit.checked_out_at) == (
        "Stock review",
        "follow_up",
        NOW + timedelta(hours=1),
    )
    assert closed.notes == "New range" and [c.description for c in screen.claims] == ["Broken box"]
    assert not screen.is_open and open_visit(session, "C1") is None
    with session.store.read() as db:
        assert count_pending(db) == 4  # check-in, notes, claim, check-out; the second tap adds nothing


D3 = Decimal(3)


def test_a_claim_is_moved_on_to_its_end_and_shows_before_the_next_visit(session):
    _load(session, [make_customer("C1")])
    first = check_in(session, "C1", now=NOW)
    claim = add_claim(session, first.id, ClaimKind.RETURN, "Three boxes crushed", "F1", sku="gua-nit-09", quantity=D3)
    assert (claim.sku, claim.quantity, claim.status) == ("GUA-NIT-09", D3, "open")
    check_out(session, first.id, now=NOW + timedelta(hours=1))
    second = check_in(session, "C1", now=NOW + timedelta(days=7))
    assert [c.id for c in visit_screen(session, second.id).earlier_open_claims] == [claim.id]
    assert move_claim(session, claim.id, ClaimStatus.IN_PROGRESS).status == "in_progress"
    with pytest.raises(ValidationFailed) as silent:
        move_claim(session, claim.id, ClaimStatus.RESOLVED, " ")
    assert silent.value.key == "problem.claim.resolution_needed"
    done = move_claim(session, claim.id, ClaimStatus.RESOLVED, "Replaced on 12 Dec")
    assert (done.status, done.resolution) == ("resolved", "Replaced on 12 Dec")
    assert visit_screen(session, second.id).earlier_open_claims == ()
    with pytest.raises(InvalidTransition):
        move_claim(session, claim.id, ClaimStatus.IN_PROGRESS)  # never back


def test_after_check_out_the_notes_stay_and_an_addendum_follows_them(session):
    _load(session, [make_customer("C1")])
    visit = check_in(session, "C1", now=NOW)
    save_visit(session, visit.id, purpose="", notes="New range", outcome=VisitOutcome.FOLLOW_UP, next_step="")
    with pytest.raises(ValidationFailed) as still_open:
        add_addendum(session, visit.id, "Called back: wants samples")
    assert still_open.value.key == "problem.visit.addendum_while_open"
    check_out(session, visit.id, now=NOW + timedelta(hours=1))
    with pytest.raises(ValidationFailed) as empty:
        add_addendum(session, visit.id, "   ")
    assert empty.value.key == "problem.visit.empty_addendum"
    added = add_addendum(session, visit.id, " Called back: wants samples ")
    screen = visit_screen(session, visit.id)
    assert screen.visit.notes == "New range"  # what the manager read is untouched
    assert [(c.comment.author_login, c.comment.text) for c in screen.comments] == [
        (added.author_login, "Called back: wants samples")
    ]
    with session.store.read() as db:
        assert count_pending(db) == 4  # check-in, notes, check-out, the addendum


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, v: check_out(s, v), "check in before checking out"),
        (lambda s, v: add_claim(s, v, ClaimKind.COMPLAINT, "  "), "describe the claim"),
        (
            lambda s, v: save_visit(s, uuid4(), purpose="", notes="", outcome=VisitOutcome.PENDING, next_step=""),
            "is not on this device",
        ),
    ],
)
def test_visit_mistakes_are_refused_in_words(session, call, message):
    _load(session, [make_customer("C1")])
    planned = plan_visit(session, "C1", NOW)
    with pytest.raises((ValidationFailed, NotFound), match=message):
        call(session, planned.id)


def test_manager_comments_reach_the_visit_screen(session):
    _load(session, [make_customer("C1")])
    visit = check_in(session, "C1", now=NOW)
    comment = VisitComment(id=uuid4(), visit_id=visit.id, author_login="marta.jefa", text="Push the new range")
    apply_pull_page(session.store, page([put(comment, 10, bucket=ACTIVITY)]))
    assert [c.comment.text for c in visit_screen(session, visit.id).comments] == ["Push the new range"]


# -- Today ----------------------------------------------------------------------------------


def test_today_lists_open_and_due_visits_blocked_customers_rejections_and_dormant_ones(session):
    _load(
        session,
        [
            make_customer("C1", legal_name="Alfa"),
            make_customer("C2", legal_name="Beta"),
            make_customer("C3", legal_name="Gamma"),
            make_credit("C2", blocked=True, block_reason="Impagos"),
            make_invoice("F1", customer="C3", issued=TODAY - timedelta(days=400)),
            make_invoice("F2", customer="C1", issued=TODAY - timedelta(days=10)),
        ],
    )
    check_in(session, "C2", now=NOW)
    plan_visit(session, "C1", NOW + timedelta(hours=3))
    plan_visit(session, "C3", NOW + timedelta(days=2))  # not today
    with session.store.write() as db:
        record_rejection(
            db,
            Mutation(id=99, name="record_visit", args={}),
            MutationResult(id=99, status="rejected", code="out_of_scope", detail="customer moved"),
        )
    day = today_agenda(session, now=NOW)
    assert [(v.customer_name, v.is_open) for v in day.visits] == [("Beta", True), ("Alfa", False)]
    assert [(a.kind, a.customer_name, a.detail) for a in day.alerts] == [
        (AlertKind.BLOCKED, "Beta", "Impagos"),
        (AlertKind.SYNC_REJECTED, "", "customer moved"),
    ]
    assert [(d.code, d.lifetime_sales) for d in day.dormant] == [("C3", Decimal("100.00"))]


# -- Observations ---------------------------------------------------------------------------


def test_an_observation_keeps_its_photo_for_upload_and_names_it(session):
    _load(session, [make_customer("C1")])
    observation = record_competitor_observation(
        session,
        "C1",
        " Würth ",
        observed_price=Decimal("1.19"),
        currency="EUR",
        presence=Presence.HIGH,
        photos=(PNG, PNG),
    )
    assert observation.competitor == "Würth" and len(observation.photo_sha256) == 1
    assert pending_uploads(session.store) == [(observation.photo_sha256[0], "image/png")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_photo_types_are_read_from_the_bytes(data, expected):
    assert photo_type(data) == expected


def test_a_file_that_is_not_a_photo_is_refused():
    with pytest.raises(ValidationFailed, match="JPEG, PNG or WebP"):
        photo_type(b"%PDF-1.7")


# -- Opportunities --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "following"),
    [
        ("lead", "qualified"),
        ("qualified", "proposal"),
        ("proposal", "negotiation"),
        ("negotiation", "won"),
        ("won", None),
        ("lost", None),
    ],
)
def test_the_pipeline_moves_one_stage_at_a_time(stage, following):
    assert next_stage(OpportunityStage(stage)) == (OpportunityStage(following) if following else None)


def test_an_opportunity_is_created_edited_advanced_and_lost(session):
    _load(session, [make_customer("C1", currency="EUR")])
    created = create_opportunity(session, "C1", " Fasteners 2027 ", Decimal("1200.50"))
    assert (created.title, created.stage, created.currency) == ("Fasteners 2027", "lead", "EUR")
    edited = edit_opportunity(session, created, value=Decimal("1500"))
    assert edited.value == Decimal("1500")
    assert advance_opportunity(session, created.id).stage == "qualified"
    lost = lose_opportunity(session, created.id, LostReason.PRICE, competitor=" Würth ", competitor_price=Decimal(1400))
    assert (lost.stage, lost.lost_reason, lost.competitor, lost.competitor_price) == (
        "lost",
        "price",
        "Würth",
        Decimal(1400),
    )
    with pytest.raises(ValidationFailed, match="cannot move on"):
        advance_opportunity(session, created.id)
    totals = {t.stage: (t.count, t.value, t.weighted) for t in pipeline(session).stages}
    assert totals[OpportunityStage.LOST] == (1, Decimal("1500.00"), Decimal("0.00"))
    assert totals[OpportunityStage.LEAD] == (0, Decimal("0.00"), Decimal("0.00"))
    assert [i.customer_name for i in list_opportunities(session, stage=OpportunityStage.LOST)] == [
        "Suministros Peñalara C1 S.L."
    ]


def test_an_opportunity_needs_a_title_and_a_known_customer(session):
    with pytest.raises(ValidationFailed, match="title"):
        create_opportunity(session, "C1", "  ", Decimal(1))
    with pytest.raises(NotFound, match="C1"):
        create_opportunity(session, "C1", "Bolts", Decimal(1))


# -- Sync screen ----------------------------------------------------------------------------


def test_the_sync_screen_lists_pending_and_a_refused_change_can_be_sent_again(session):
    _load(session, [make_customer("C1")])
    visit = check_in(session, "C1", now=NOW)
    with session.store.write() as db:
        args = {"visit": json.loads(visit.model_dump_json())}
        record_rejection(
            db,
            Mutation(id=1, name="record_visit", args=args),
            MutationResult(id=1, status="rejected", code="out_of_scope", detail="not your customer"),
        )
    center = sync_center(session)
    assert [(p.name, p.customer_code) for p in center.pending] == [("record_visit", "C1")]
    assert center.pending_count == 1 and [i.detail for i in center.rejected] == ["not your customer"]
    # the seller reads her customers by name ("Name (code)"); a code not on the device alone
    name = make_customer("C1").legal_name
    assert (center.customer("C1"), center.customer("C9"), center.customer("")) == (f"{name} (C1)", "C9", "")
    send_again(session, center.rejected[0].id)
    after = sync_center(session)
    assert after.rejected == () and after.pending_count == 2
    with pytest.raises(NotFound):
        send_again(session, center.rejected[0].id)


# -- Preferences ----------------------------------------------------------------------------


def test_language_and_server_choices_persist_on_the_device(client_settings):
    folder = client_settings.data_dir
    assert load_preferences(folder).language is None
    choose_language(folder, "es")
    choose_server(folder, " https://sync.example.com/ ")
    assert (load_preferences(folder).language, load_preferences(folder).server_url) == (
        "es",
        "https://sync.example.com",
    )
    assert effective_settings(client_settings).server_url == "https://sync.example.com"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda f: choose_language(f, "fr"), "not 'fr'"),
        (lambda f: choose_server(f, "sync.example.com"), "looks like https://"),
        (lambda f: choose_server(f, "ftp://x"), "not 'ftp://x'"),
    ],
)
def test_bad_preferences_are_refused_by_name(client_settings, call, message):
    with pytest.raises(ValidationFailed, match=message):
        call(client_settings.data_dir)


def test_a_damaged_preferences_file_means_defaults(client_settings):
    folder = client_settings.data_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "preferences.json").write_text("{not json", encoding="utf-8")
    assert load_preferences(folder).language is None
