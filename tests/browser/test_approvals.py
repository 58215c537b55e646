"""A manager's approvals in the real app: Laura signs in and her Today says two requests wait;
in Approvals she approves one, then, with the server unreachable, rejects the other with a
note; the decision goes at the next sync, which brings Ana's new request onto the screen Laura
is on. Ana's tablet then shows both decisions on her quotes."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from client.app import create_web_app
from client.settings import ClientSettings
from shared.messages import label, message, percent
from shared.models.field import ApprovalDecision, ApprovalRequest, Quote, QuoteLine
from shared.protocol import activity_bucket
from shared.rules import compute_totals
from shared.rules.quote_math import LineInput
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.repository.records import put_record
from sync_server.repository.tables import ENTITY_TABLES
from sync_server.services.transactions import write_transaction
from tests.browser.helpers import ServerThread, navigate, open_signed_in, shot, sid, turn, type_into, wait_text

MANAGER, SELLER = "laura.moreno", "ana.garcia"


def _pending_quotes(office, count: int, skip: int = 0) -> list[Quote]:
    """What Ana's device pushed earlier: quotes at 15 % off, waiting for approval, for her
    customers after the first `skip`."""
    engine, quotes = office.app.state.engine, []
    customers, products, items = (ENTITY_TABLES[e] for e in ("customer", "product", "price_list_item"))
    with write_transaction(engine) as conn:
        codes = conn.execute(
            sa.select(customers.c.code)
            .where(customers.c.seller_login == SELLER)
            .order_by(customers.c.code)
            .offset(skip)
            .limit(count)
        ).scalars()
        sku, name, cost, price = conn.execute(
            sa.select(products.c.sku, products.c.name, products.c.replacement_cost, items.c.unit_price)
            .join(items, items.c.sku == products.c.sku)
            .where(products.c.active.is_(True))
            .order_by(products.c.sku)
            .limit(1)
        ).one()
        today = datetime.now(UTC).date()
        for n, code in enumerate(codes, start=skip + 1):
            line = LineInput(1, sku, Decimal(10), Decimal(price), Decimal(15), Decimal(21), Decimal(cost))
            totals = compute_totals([line], "EUR")
            quote = Quote(
                id=uuid.uuid4(),
                number=f"AG9-{today.year}-{n:04d}",
                version=1,
                customer_code=code,
                seller_login=SELLER,
                status="pending_approval",
                currency="EUR",
                issue_date=today,
                valid_until=today + timedelta(days=30),
                payment_terms="NET30",
                lines=(QuoteLine(line_no=1, sku=sku, description=name, quantity=Decimal(10), unit_price=Decimal(price),
                                 discount_percent=Decimal(15), tax_rate_percent=Decimal(21), unit_cost=Decimal(cost)),),
                net_total=totals.net,
                tax_total=totals.tax,
                gross_total=totals.gross,
                fired_rules=("discount_above_band",),
            )  # fmt: skip
            request = ApprovalRequest(
                id=uuid.uuid4(),
                quote_id=quote.id,
                requested_by=SELLER,
                reasons=(f"Line 1 ({sku}): discount 15%, more than the 10% a standard seller may give",),
                reason_messages=(  # as the server keeps it: said in the manager's language
                    message(
                        "rule.discount_above_band",
                        line=1,
                        sku=sku,
                        discount=percent(Decimal(15)),
                        limit=percent(Decimal(10)),
                        band=label("DiscountBand", "standard"),
                    ),
                ),
                note="Pedido grande, compara con la competencia",
                requested_at=datetime.now(UTC) - timedelta(hours=5 - n),
            )
            put_record(conn, quote, activity_bucket(SELLER))
            put_record(conn, request, activity_bucket(SELLER))
            quotes.append(quote)
    return quotes


def _decisions(office) -> dict[str, str]:
    table = ENTITY_TABLES[ApprovalDecision.ENTITY]
    with office.app.state.engine.connect() as conn:
        return {row.decision: row.comment for row in conn.execute(sa.select(table.c.decision, table.c.comment))}


def test_a_manager_approves_one_rejects_one_offline_and_the_seller_sees_both(office, office_tablet, browser, tmp_path):
    laura = office_tablet
    first, second = _pending_quotes(office, 2)
    open_signed_in(laura, laura.app_url, MANAGER, DEMO_PASSWORD)
    wait_text(laura, "today-approvals", "2 approvals wait for you")
    shot(laura, "approvals-manager-today")
    navigate(laura, "Approvals")
    wait_text(laura, f"approvals-request-{second.number}", "Pedido grande")
    wait_text(laura, "approvals-bulk", "2 requests need approval for the same reasons")
    wait_text(laura, f"approvals-line-{first.number}-1", first.lines[0].description)  # the product, not its code alone
    shot(laura, "approvals-inbox")
    turn(laura, 390, 844)
    wait_text(laura, f"approvals-request-{first.number}", first.number)
    shot(laura, "approvals-inbox-phone")
    navigate(laura, "Today")
    wait_text(laura, "today-approvals", "2 approvals wait for you")
    shot(laura, "approvals-manager-today-phone")
    navigate(laura, "Approvals")
    wait_text(laura, f"approvals-request-{first.number}", first.number)
    turn(laura, 1280, 800)
    sid(laura, "navigation").get_by_text("Approvals").first.wait_for()  # the rail is back
    wait_text(laura, f"approvals-request-{second.number}", "Pedido grande")

    sid(laura, f"approvals-approve-{first.number}").click()
    sid(laura, "approvals-confirm").click()
    wait_text(laura, "approvals-decided", first.number)

    office.stop()  # the rest is decided offline
    sid(laura, f"approvals-reject-{second.number}").click()
    sid(laura, "approvals-confirm").click()  # no note: refused in the dialog
    wait_text(laura, "approvals-note", "rejection needs a reason")
    type_into(
        laura, laura.get_by_role("textbox", name="Note for the seller (required to reject)"), "Margen demasiado bajo"
    )
    sid(laura, "approvals-confirm").click()
    wait_text(laura, "approvals-waiting", "Nothing waits for your decision")
    office.start()
    [third] = _pending_quotes(office, 1, skip=2)  # Ana asked again while Laura was offline
    sid(laura, "sync-now").click()  # the round sends her decision and brings the new request
    wait_text(laura, f"approvals-request-{third.number}", "Pedido grande")  # on the screen she is on
    assert _decisions(office) == {"approved": "", "rejected": "Margen demasiado bajo"}
    navigate(laura, "Sync")
    wait_text(laura, "pending-list", "Everything has been sent")
    navigate(laura, "Today")
    wait_text(laura, "today-approvals", "1 approval waits for you")

    settings = ClientSettings(server_url=office.url, data_dir=tmp_path / "ana", sync_interval_minutes=60)
    with ServerThread(create_web_app(settings)) as app:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        ana = context.new_page()
        try:
            open_signed_in(ana, app.url, SELLER, DEMO_PASSWORD, settings)
            navigate(ana, "Quotes")
            sid(ana, "quote-group-all").click()  # a rejected quote is no longer open
            wait_text(ana, "quote-list", first.number)
            assert "Approved" in sid(ana, f"quote-row-{first.number}").inner_text()
            sid(ana, f"quote-row-{second.number}").click()
            wait_text(ana, "quote-status", "Rejected")
            wait_text(ana, "quote-answer", "Margen demasiado bajo")
            shot(ana, "approvals-seller-rejected")
        finally:
            context.close()
