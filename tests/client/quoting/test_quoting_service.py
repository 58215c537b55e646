"""The device's quoting service against the real server in-process (SQLite backend): numbers,
versions, credit, held sends, lost and accepted, policies from the server, e-mail failures."""

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from client.i18n import Translator
from client.i18n.messages import describe_stored_promise
from client.services.customer360 import customer_360
from client.services.files import read_file
from client.services.products import search_products
from client.services.quote_answers import mark_lost
from client.services.quote_document import render_quote
from client.services.quote_reading import (
    QuoteTrail,
    available_actions,
    customer_quotes,
    get_quote,
    quote_trail,
    quote_versions,
)
from client.services.quote_sending import cancel_held_send, send_quote
from client.services.quote_terms import set_terms
from client.services.quoting import (
    add_line,
    change_line,
    drop_line_for_stock,
    edit_quote,
    price,
    remove_line,
    request_approval,
    save_quote,
    start_quote,
    substitute_line,
)
from client.services.synchronization import sync_now
from client.store import apply_pull_page
from shared.errors import ApprovalRequired, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from shared.models import QuoteStatus
from sync_server.repository.database import write_transaction
from sync_server.repository.tables import ENTITY_TABLES
from sync_server.services.email_outbox import deliver_due
from tests.client.factories import make_product, page, put
from tests.client.quoting.world import (
    CUSTOMER_EMAIL,
    NO_STOCK,
    SUBSTITUTE,
    Wire,
    decide,
    quote_draft,
    seller_session,
)
from tests.sync_server.factories import sign_in as api_sign_in
from tests.sync_server.quotes.helpers import ADMIN, Refuser, mail_settings, set_credit

D = Decimal


_quote = quote_draft


def test_numbers_carry_initials_device_and_year_and_count_up(ana):
    year = datetime.now(UTC).year
    first = save_quote(ana, _quote(ana, ("GUA-NIT-09", 10, 0)))
    second = save_quote(ana, _quote(ana, ("GUA-NIT-09", 20, 0)))
    assert (first.number, second.number) == (f"AG1-{year}-0001", f"AG1-{year}-0002")  # Ana Garcia, device 1


def test_a_saved_quote_names_its_customer_and_carries_the_margin_it_was_priced_at(ana):
    priced = _quote(ana, ("GUA-NIT-09", 10, 5), ("GUA-NIT-09", 3, 0))
    quote = save_quote(ana, priced)
    trail = quote_trail(ana, quote.id)
    assert trail.customer_name == "Suministros Peñalara C1 S.L."
    assert trail.margin == priced.totals.margin != 0
    assert trail.margin_percent == priced.totals.margin_percent


def test_a_second_device_of_the_same_seller_numbers_apart(server, tmp_path, ana):
    other = seller_session(server, tmp_path / "tablet-2", Wire(server))
    assert other.device_number == 2
    assert start_quote(other, "C1").draft.number.startswith("AG2-")


@pytest.mark.parametrize(
    ("lines", "header", "net", "tax", "gross", "margin"),
    [
        # 10 × 2.3750 = 23.75; cost 10 × 1.20 = 12.00
        ([("GUA-NIT-09", 10, 0)], D(0), D("23.75"), D("4.99"), D("28.74"), D("11.75")),
        # 100 × 2.3750 × 0.95 = 225.625 → 225.63 (half up); cost 120.00
        ([("GUA-NIT-09", 100, 5)], D(0), D("225.63"), D("47.38"), D("273.01"), D("105.63")),
        # 2 × 189 × 0.9 × 0.98 = 333.396 → 333.40; cost 240
        ([("TAL-18V-BL", 2, 10)], D(2), D("333.40"), D("70.01"), D("403.41"), D("93.40")),
    ],
)
def test_lines_are_priced_from_the_local_price_list(ana, lines, header, net, tax, gross, margin):
    priced = _quote(ana, *lines, header=header)
    totals = priced.totals
    assert (totals.net, totals.tax, totals.gross, totals.margin) == (net, tax, gross, margin)
    assert priced.lines[0].list_price == {"GUA-NIT-09": D("2.3750"), "TAL-18V-BL": D("189.0000")}[lines[0][0]]


def test_availability_promises_and_a_substitute_one_tap_away(ana):
    priced = _quote(ana, ("GUA-NIT-09", 10, 0), ("TAL-18V-BL", 10, 0), (NO_STOCK, 4, 0))
    home, other, short = priced.lines
    assert (home.promise.kind, home.warehouse_code) == ("now_home", "MAD")
    assert (other.promise.kind, other.warehouse_code) == ("now_other", "BCN")  # 3 in MAD, 20 in BCN
    assert short.promise.is_short and [line.sku for line in priced.short_lines] == [NO_STOCK]
    swapped = substitute_line(ana, priced, 2, SUBSTITUTE)
    assert swapped.lines[2].sku == SUBSTITUTE and not swapped.lines[2].promise.is_short
    with pytest.raises(ValidationFailed, match="not a substitute"):
        substitute_line(ana, priced, 0, SUBSTITUTE)


def test_editing_lines_reprices_and_removing_renumbers(ana):
    priced = _quote(ana, ("GUA-NIT-09", 10, 0), ("TAL-18V-BL", 1, 0))
    priced = change_line(ana, priced, 0, quantity=D(20), discount_percent=D(5))
    assert priced.lines[0].result.net == D("45.13")  # 20 × 2.375 × 0.95 = 45.125
    priced = remove_line(ana, priced, 0)
    assert [(line.line_no, line.sku) for line in priced.lines] == [(1, "TAL-18V-BL")]
    with pytest.raises(ValidationFailed, match="no line 5"):
        change_line(ana, priced, 4, quantity=D(1))


def test_editing_a_sent_quote_makes_the_next_version_and_keeps_the_old_one(server, ana):
    sent = save_quote(ana, _quote(ana, ("GUA-NIT-09", 10, 0)))
    send_quote(ana, sent.id, [CUSTOMER_EMAIL])
    sync_now(ana)
    draft = edit_quote(ana, sent.id)
    assert (draft.draft.number, draft.draft.version) == (sent.number, 2) and draft.draft.id != sent.id
    v2 = save_quote(ana, change_line(ana, draft, 0, quantity=D(50)))
    sync_now(ana)
    assert [(q.version, q.status) for q in quote_versions(ana, sent.number)] == [(1, "sent"), (2, "draft")]
    assert get_quote(ana, sent.id).lines[0].quantity == D(10)
    assert [q.id for q in customer_quotes(ana, "C1")] == [v2.id]
    # Editing a draft changes it in place: same id and version.
    again = edit_quote(ana, v2.id)
    assert (again.draft.id, again.draft.version) == (v2.id, 2)
    with pytest.raises(InvalidTransition, match="not the latest"):
        edit_quote(ana, sent.id)


def test_a_blocked_customer_is_caught_before_quoting_and_needs_approval(server, ana):
    with write_transaction(server.app.state.engine) as conn:
        set_credit(conn, "C1", "ana.garcia", blocked=True, block_reason="Impagado")
    sync_now(ana)
    priced = start_quote(ana, "C1")
    assert priced.credit.status == "blocked"
    priced = add_line(ana, priced, "GUA-NIT-09", D(10))
    assert [r.code for r in priced.fired_rules] == ["credit_blocked"]


def test_a_prepayment_customer_is_quoted_on_prepaid_terms(server, ana):
    with write_transaction(server.app.state.engine) as conn:
        set_credit(conn, "C1", "ana.garcia", credit_limit=D(0), prepayment_required=True)
    sync_now(ana)
    priced = add_line(ana, start_quote(ana, "C1"), "GUA-NIT-09", D(10))
    assert (priced.draft.payment_terms, priced.fired_rules) == ("PREPAID", ())
    on_credit = set_terms(ana, priced, payment_terms="NET30")  # her master data's terms
    assert [r.code for r in on_credit.fired_rules] == ["payment_terms"]
    assert save_quote(ana, priced).payment_terms == "PREPAID"


def test_the_sellers_own_open_quotes_count_against_the_credit(server, ana):
    with write_transaction(server.app.state.engine) as conn:
        set_credit(conn, "C1", "ana.garcia", credit_limit=D(1000), open_balance=D(0))
    sync_now(ana)
    first = save_quote(ana, _quote(ana, ("TAL-18V-BL", 3, 0)))  # 686.07 gross: 69 % of 1,000
    assert first.fired_rules == ()
    assert _quote(ana, ("TAL-18V-BL", 2, 0)).credit.status == "ok"  # a draft is not exposure yet
    send_quote(ana, first.id, [CUSTOMER_EMAIL])  # open (sent) and not invoiced yet
    second = _quote(ana, ("TAL-18V-BL", 2, 0))  # 457.38 more: over the limit with the first
    assert second.credit.status == "blocked" and second.credit.exposure == D("1143.45")


def test_a_draft_that_fires_a_rule_is_not_sent_and_a_held_send_can_be_cancelled(ana):
    quote = save_quote(ana, _quote(ana, ("GUA-NIT-09", 10, 30)))
    with pytest.raises(ApprovalRequired):
        send_quote(ana, quote.id, [CUSTOMER_EMAIL])
    request_approval(ana, quote.id)
    assert send_quote(ana, quote.id, [CUSTOMER_EMAIL]).held
    assert quote_trail(ana, quote.id).held_send is not None
    assert cancel_held_send(ana, quote.id) and quote_trail(ana, quote.id).held_send is None


def test_a_rule_free_draft_is_queued_at_once_with_its_pdf(ana):
    quote = save_quote(ana, _quote(ana, ("GUA-NIT-09", 10, 0)))
    outcome = send_quote(ana, quote.id, [CUSTOMER_EMAIL, " "], message="Hola")
    assert not outcome.held and get_quote(ana, quote.id).status == "sent"
    assert outcome.delivery.recipients == (CUSTOMER_EMAIL,)
    assert read_file(ana, outcome.pdf_sha256) == render_quote(ana, get_quote(ana, quote.id))
    with pytest.raises(ValidationFailed, match="recipients"):
        send_quote(ana, save_quote(ana, _quote(ana, ("GUA-NIT-09", 1, 0))).id, [])


def test_quoting_another_sellers_customer_or_an_unknown_product_is_refused(ana):
    with pytest.raises(NotFound):
        start_quote(ana, "C4")  # Carla's customer never reaches Ana's device
    priced = add_line(ana, start_quote(ana, "C1"), "NO-SUCH-SKU", D(1))
    assert priced.problems
    with pytest.raises(ValidationFailed, match="NO-SUCH-SKU"):
        save_quote(ana, priced)
    with pytest.raises(ValidationFailed, match="at least one product"):
        save_quote(ana, start_quote(ana, "C1"))


def test_a_policy_changed_on_the_server_applies_on_the_device_after_sync(server, ana):
    open_in_builder = _quote(ana, ("GUA-NIT-09", 10, 12))
    assert open_in_builder.fired_rules  # 12 % > the standard 10 % band
    token = api_sign_in(server, ADMIN)["token"]
    response = server.put(
        "/v1/admin/policies/approval", json={"default_band": "senior"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    sync_now(ana)
    # The same draft, still open in the builder, is judged by the new policy (nothing stale kept).
    assert not price(ana, open_in_builder.draft).fired_rules  # a senior band allows 15 %


def test_two_drafts_started_together_are_saved_under_different_numbers(ana):
    first, second = _quote(ana, ("GUA-NIT-09", 10, 0)), _quote(ana, ("TAL-18V-BL", 1, 0))
    assert first.draft.number == second.draft.number  # nothing saved yet when both started
    saved = [save_quote(ana, first), save_quote(ana, second)]
    assert len({q.number for q in saved}) == 2
    sent = saved[0]
    send_quote(ana, sent.id, [CUSTOMER_EMAIL])
    v2_a, v2_b = edit_quote(ana, sent.id), edit_quote(ana, sent.id)
    save_quote(ana, v2_a)
    with pytest.raises(InvalidTransition, match="already made"):
        save_quote(ana, v2_b)


def test_a_new_version_does_not_count_its_sent_version_against_credit(server, ana):
    with write_transaction(server.app.state.engine) as conn:
        set_credit(conn, "C1", "ana.garcia", credit_limit=D(1000), open_balance=D(0))
    sync_now(ana)
    sent = save_quote(ana, _quote(ana, ("TAL-18V-BL", 3, 0)))  # 686.07 gross
    send_quote(ana, sent.id, [CUSTOMER_EMAIL])
    revision = edit_quote(ana, sent.id)
    assert revision.credit.status == "ok" and revision.credit.exposure == D("686.07")  # once, not twice


def test_a_cancelled_held_send_is_not_released_by_the_approval(server, ana):
    quote = save_quote(ana, _quote(ana, ("GUA-NIT-09", 10, 30)))
    request = request_approval(ana, quote.id)
    send_quote(ana, quote.id, [CUSTOMER_EMAIL])
    assert cancel_held_send(ana, quote.id)
    sync_now(ana)
    decide(server, request.id, "approved")
    sync_now(ana)
    assert get_quote(ana, quote.id).status == "approved"  # approved, and not sent
    assert quote_trail(ana, quote.id).deliveries == []


def test_a_refused_email_comes_back_to_the_device_as_failed_with_its_reason(server, ana, smtp_server):
    quote = save_quote(ana, _quote(ana, ("GUA-NIT-09", 10, 0)))
    send_quote(ana, quote.id, [CUSTOMER_EMAIL])
    sync_now(ana)
    refuser = Refuser()
    smtp = smtp_server(refuser)
    config = mail_settings(server.app.state.settings, smtp.port, email_retry_minutes=[1])
    now = datetime.now(UTC)
    deliver_due(server.app.state.engine, config, now)
    deliver_due(server.app.state.engine, config, now + timedelta(minutes=2))
    assert refuser.refused == 2
    sync_now(ana)
    [delivery] = quote_trail(ana, quote.id).deliveries
    assert delivery.status == "failed" and "550" in delivery.failure_reason


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_prints_the_quote_as_saved(ana, tmp_path: Path, language):
    quote = save_quote(ana, _quote(ana, ("GUA-NIT-09", 100, 5), ("TAL-18V-BL", 2, 0)))
    path = tmp_path / "quote.pdf"
    path.write_bytes(render_quote(ana, quote, language))
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert quote.number in text and "Guantes de nitrilo talla 9" in text and "Peñalara" in text
    gross = f"{quote.gross_total:,.2f}"
    assert (gross.replace(",", "X").replace(".", ",").replace("X", ".") if language == "es" else gross) in text
    assert ("Presupuesto" if language == "es" else "Quote") in text


def test_the_pdf_is_in_the_customers_language_and_says_only_when(ana, tmp_path: Path):
    """Ana works in English; C1 is in Spain. The PDF is wholly Spanish, and its availability
    says when the goods come, never from which warehouse or which substitute."""
    assert ana.language == "en"
    quote = save_quote(ana, _quote(ana, ("GUA-NIT-09", 10, 0), (NO_STOCK, 6, 0)))  # no stock: a substitute exists
    pages = PdfReader(io.BytesIO(render_quote(ana, quote))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())  # a wrapped cell reads as one
    assert "PRESUPUESTO" in text and "En stock" in text and "Disponibilidad por confirmar" in text
    assert "In stock" not in text and "(MAD)" not in text and SUBSTITUTE not in text
    # On the seller's screens the same lines keep what she needs: warehouse and substitutes.
    assert describe_stored_promise(Translator("es"), quote.lines[0].promise_words, "") == "En stock (MAD)"


def test_only_the_quotes_seller_acts_on_it(server, tmp_path, ana):
    quote = save_quote(ana, _quote(ana, ("GUA-NIT-09", 10, 0)))
    sync_now(ana)
    marta = seller_session(server, tmp_path / "marta", Wire(server), login="marta.jefa")
    sync_now(marta)
    with pytest.raises(PermissionDenied):
        mark_lost(marta, quote.id, "price")


@pytest.mark.parametrize(
    ("text", "first", "home", "total"),
    [
        ("TAL-18V-BL", "TAL-18V-BL", D(3), D(23)),  # the exact code first; 3 in MAD + 20 in BCN
        ("tal-18", "TAL-18V-BL", D(3), D(23)),  # part of the code, any case
        ("guantes nitrilo", "GUA-NIT-09", D(500), D(500)),  # words of the name
        ("broca cobal", SUBSTITUTE, D(40), D(40)),  # prefixes, accents and case ignored
        ("broca", NO_STOCK, D(0), D(0)),  # both drill bits; the shorter name ranks first
    ],
)
def test_products_are_found_by_words_or_code_with_their_stock(ana, text, first, home, total):
    hits = search_products(ana, text)
    assert (hits[0].sku, hits[0].sellable_home, hits[0].sellable_total) == (first, home, total)


def test_an_empty_or_symbol_only_search_finds_nothing(ana):
    assert search_products(ana, "") == [] and search_products(ana, ' " * ') == []


@pytest.fixture
def catalog(store):
    """A device with a small hand-written catalogue, and the only parts of a session search reads."""
    products = [
        make_product("P-00487", name="Grifo monomando Calara"),
        make_product("P-04870", name="Válvula de esfera 1/2"),
        # A long description: by bm25 alone, P-04870 would rank above it for "P-0487".
        make_product("P-0487", name="Destornillador de precisión", description=" ".join(["Punta plana"] * 20)),
        make_product("P-14870", name="Grifo antiguo", active=False),
        make_product("TOR-001", name="Tornillo hexagonal M8"),
        make_product("KIT-001", name="Kit de montaje", description="Tornillos, tacos y arandelas de acero"),
        make_product("MAN-025", name="Manguera Peñascal 25 m"),
        make_product("MAN-050", name="Manguera Penascal 50 m"),
        make_product("CIN-001", name="Cinta aislante negra"),
    ]
    apply_pull_page(store, page([put(p, n, bucket="catalog") for n, p in enumerate(products, 1)]))
    return SimpleNamespace(store=store, home_warehouse="MAD")


@pytest.mark.parametrize(
    ("text", "expected", "before"),
    [
        ("alara", {"P-00487"}, None),  # inside a word of the name
        ("487", {"P-00487", "P-04870", "P-0487"}, None),  # the tail of a code; not the inactive P-14870
        ("00487", {"P-00487"}, None),
        ("eñasc", {"MAN-025", "MAN-050"}, None),  # accents ignored both ways, inside a word too
        ("enasc", {"MAN-025", "MAN-050"}, None),
        ("ALVULA", {"P-04870"}, None),
        # Words that start so (even in a description) before a word inside ("Destornillador").
        ("tornill", {"TOR-001", "KIT-001", "P-0487"}, ("KIT-001", "P-0487")),
        ("gr", {"P-00487"}, None),  # two letters: word starts only (not "negra")
        ("g alara", {"P-00487"}, None),  # a short word narrows an infix one
        ("ci alara", set(), None),
        ("alarx", set(), None),
        ("P-0487", {"P-0487", "P-04870"}, ("P-0487", "P-04870")),  # the exact code first
        ("p-0487", {"P-0487", "P-04870"}, ("P-0487", "P-04870")),
    ],
)
def test_products_are_found_inside_names_and_codes(catalog, text, expected, before):
    skus = [hit.sku for hit in search_products(catalog, text)]
    assert set(skus) == expected and len(skus) == len(expected)
    assert before is None or skus.index(before[0]) < skus.index(before[1])


def test_a_short_line_the_customer_drops_is_recorded_as_a_lost_sale_due_to_stock(server, ana):
    priced = _quote(ana, ("GUA-NIT-09", 10, 0), (NO_STOCK, 6, 0))
    with pytest.raises(ValidationFailed, match="can be delivered"):
        drop_line_for_stock(ana, priced, 0)
    priced = drop_line_for_stock(ana, priced, 1)
    assert [line.sku for line in priced.lines] == ["GUA-NIT-09"]
    sync_now(ana)
    with server.app.state.engine.connect() as conn:
        [lost] = list(conn.execute(sa.select(ENTITY_TABLES["lost_sale"])))
    assert (lost.sku, lost.quantity, lost.sellable, lost.reason, lost.seller_login, lost.unit_price) == (
        NO_STOCK,
        D(6),
        D(0),
        "stock",
        "ana.garcia",
        D("12.5"),
    )
    assert str(lost.quote_id) == str(priced.draft.id)  # the draft's id: the quote's once saved


def test_a_line_dropped_for_stock_shows_on_its_quote_and_on_the_customer(server, ana):
    priced = drop_line_for_stock(ana, _quote(ana, ("GUA-NIT-09", 10, 0), (NO_STOCK, 6, 0)), 1)
    saved = save_quote(ana, priced)  # dropped before the first save: still this quote's
    second = drop_line_for_stock(ana, _quote(ana, ("GUA-NIT-09", 1, 0), (NO_STOCK, 2, 0)), 1)  # never saved
    [on_quote] = quote_trail(ana, saved.id).lost_sales
    assert (on_quote.sku, on_quote.quantity) == (NO_STOCK, D(6))
    lost = customer_360(ana, "C1").lost_for_stock
    assert [(x.quantity, str(x.quote_id)) for x in lost] == [(D(2), str(second.draft.id)), (D(6), str(saved.id))]
    sync_now(ana)
    with server.app.state.engine.connect() as conn:
        stored = {str(row.quote_id) for row in conn.execute(sa.select(ENTITY_TABLES["lost_sale"]))}
    assert stored == {str(saved.id), str(second.draft.id)}


@pytest.mark.parametrize(
    ("status", "fired", "held", "situation", "expected"),
    [
        ("draft", (), False, "latest", {"send", "edit"}),
        ("draft", ("discount_above_band",), False, "latest", {"request_approval", "send", "edit"}),
        # send is held:
        ("pending_approval", ("discount_above_band",), False, "latest", {"send", "withdraw", "new_version"}),
        ("pending_approval", ("discount_above_band",), True, "latest", {"withdraw", "new_version"}),  # already held
        ("approved", ("discount_above_band",), False, "latest", {"send", "withdraw", "new_version"}),
        ("rejected", ("discount_above_band",), False, "latest", {"new_version"}),
        ("sent", (), False, "latest", {"accept", "lose", "withdraw", "new_version"}),  # the customer's answer
        ("sent", (), False, "replaced", set()),  # v2 is what the customer has now: v1 is only read
        ("approved", ("discount_above_band",), False, "replaced", set()),
        ("sent", (), False, "past_validity", {"lose", "withdraw", "new_version"}),  # too late to accept
        ("lost", (), False, "latest", {"new_version"}),
        ("expired", (), False, "latest", {"new_version"}),
        ("withdrawn", (), False, "latest", {"new_version"}),
        ("accepted", (), False, "latest", set()),  # an order now: final
    ],
)
def test_what_a_seller_can_do_with_a_saved_quote(ana, status, fired, held, situation, expected):
    quote = save_quote(ana, _quote(ana, ("GUA-NIT-09", 10, 0))).model_copy(
        update={"status": status, "fired_rules": fired}
    )
    latest = quote.version + 1 if situation == "replaced" else quote.version
    shown = QuoteStatus.EXPIRED if situation == "past_validity" else quote.status
    trail = QuoteTrail([], [], [], [], object() if held else None, latest, shown, [])  # type: ignore[arg-type]
    assert available_actions(quote, trail) == expected
