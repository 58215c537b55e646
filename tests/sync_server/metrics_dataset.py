"""A hand-built team with a known answer for every metric (docs/metrics.md), edge cases included.

Team NORTE: manager marta, sellers ana and bea; team SUR: seller omar (never in NORTE's
figures). "Now" is 2026-03-20 12:00 UTC: this month is March (previous: February), this
quarter Q1 (previous: Q4 2025). Edge cases: a quote never answered (A-2), several versions
(A-1 v1 → v2; A-0 offered in February, accepted in March), mixed currencies (A-2 in USD, a lost
sale in CHF with only a stale rate), credit notes (NC-1 on A-1's order; NC-3, C3's only
invoice), a customer moved mid-period (C3: ana quoted it in March, bea holds it now).
"""

from datetime import UTC, date, datetime
from decimal import Decimal as D

import sqlalchemy as sa

from shared.models import Category, Customer, FxRate, Product, Role, Team
from shared.protocol import CATALOG_BUCKET, DIRECTORY_BUCKET, activity_bucket, portfolio_bucket
from sync_server.repository.records import put_record
from sync_server.repository.tables import changes
from tests.shared.rules import metric_factories as f
from tests.sync_server.factories import make_user

NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)
TEAM = ["ana", "bea", "marta"]


def _customer(conn, code: str, seller: str | None, segment: str = "oem") -> Customer:
    customer = f.customer(code, seller, segment)
    put_record(conn, customer, portfolio_bucket(seller))
    return customer


def _put(conn, record, login: str = "ana") -> None:
    put_record(conn, record, activity_bucket(login))


def _recorded(conn, lost, day: str) -> None:
    """Date the lost sale's arrival on the server (its first change-log entry)."""
    _put(conn, lost, lost.seller_login)
    when = datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)
    conn.execute(
        sa.update(changes)
        .where(changes.c.entity == "lost_sale", changes.c.entity_id == str(lost.id))
        .values(created_at=when)
    )


def seed_metrics(conn) -> None:
    """Store the whole dataset."""
    make_user(conn, "marta", Role.MANAGER)
    make_user(conn, "ana")
    make_user(conn, "bea")
    make_user(conn, "omar", team="SUR")
    for code, parent in (("GLOVES", None), ("GLV-NIT", "GLOVES"), ("CABLE", None)):
        put_record(conn, Category(code=code, name=code.title(), parent_code=parent), CATALOG_BUCKET)
    for sku, category in (("GUA", "GLV-NIT"), ("CAS", "CABLE")):
        put_record(
            conn,
            Product(sku=sku, name=sku, category_code=category, unit="u", tax_class="STD", currency="EUR",
                    replacement_cost=D("6")),
            CATALOG_BUCKET,
        )  # fmt: skip
    put_record(
        conn,
        FxRate(rate_date=date(2026, 3, 19), base_currency="USD", quote_currency="EUR", rate=D("0.92")),
        CATALOG_BUCKET,
    )
    put_record(
        conn,
        FxRate(rate_date=date(2026, 2, 1), base_currency="CHF", quote_currency="EUR", rate=D("1.05")),
        CATALOG_BUCKET,
    )
    for code, seller in (("C1", "ana"), ("C2", "ana"), ("C3", "bea"), ("C9", "omar")):
        _customer(conn, code, seller)
    _customer(conn, "C4", "bea", "retail")
    for n in range(1, 6):  # peers of the oem segment nobody in NORTE holds: all buy gloves
        _customer(conn, f"P{n}", None)
        _invoice(conn, f"FP-{n}", "2026-01-15", f"P{n}", [("GUA", "1", "10", "6", None)])
    _quotes(conn)
    _invoices(conn)
    _leads_and_visits(conn)
    _approvals(conn)
    _lost_sales(conn)
    _opportunities(conn)


def _invoice(conn, number: str, day: str, customer: str, lines, currency: str = "EUR") -> None:
    net = sum((D(line[2]) for line in lines), D(0))
    put_record(conn, f.invoice(number, day, customer, currency, str(net)), portfolio_bucket(None))
    for no, (sku, qty, line_net, cost, order_id) in enumerate(lines, 1):
        put_record(conn, f.invoice_line(number, no, sku, qty, line_net, cost, order_id), portfolio_bucket(None))


OPP_WON = f.uid(9001)
VISIT_A2 = f.uid(9002)
A1_V1, A1_V2, B1 = f.uid(9003), f.uid(9004), f.uid(9005)
ORDER_A1 = f.uid(9006)


def _quotes(conn) -> None:
    gua = (f.line(1, "GUA", "10", "10", cost="6"),)
    quotes = [
        # several versions: v1 caught a credit block and waited for approval; v2 accepted
        f.quote("A-1", 1, "sent", "2026-03-02", customer="C1", lines=gua, fired=("credit_blocked",),
                opportunity=OPP_WON, id=A1_V1),
        f.quote("A-1", 2, "accepted", "2026-03-05", customer="C1", lines=gua, opportunity=OPP_WON, id=A1_V2),
        # never answered, in USD, on C3 (ana's when quoted, bea's now)
        f.quote("A-2", 1, "sent", "2026-03-10", customer="C3", currency="USD", net="200", visit=VISIT_A2),
        f.quote("A-3", 1, "lost", "2026-03-12", customer="C1", net="55", lost_reason="price",
                lines=(f.line(1, "GUA", "5", "11", cost="6"),), competitor_lines=((1, "GUA", "9.5"),)),
        f.quote("B-1", 1, "pending_approval", "2026-03-15", seller="bea", customer="C4", net="30", id=B1),
        # first offered in February: February's, whatever happened in March
        f.quote("A-0", 1, "sent", "2026-02-20", customer="C1"),
        f.quote("A-0", 2, "accepted", "2026-03-03", customer="C1"),
        f.quote("S-1", 1, "accepted", "2026-03-04", seller="omar", customer="C9"),
    ]  # fmt: skip
    for q in quotes:
        _put(conn, q, q.seller_login)
    put_record(conn, f.order(quotes[1], ORDER_A1), activity_bucket("ana"))


def _invoices(conn) -> None:
    # A-1 invoiced cheaper (95 for 10) at a higher cost, then one unit credited back
    _invoice(conn, "F-1", "2026-03-08", "C1", [("GUA", "10", "95", "62", ORDER_A1)])
    _invoice(conn, "NC-1", "2026-03-09", "C1", [("GUA", "1", "-9.5", "6.2", ORDER_A1)])
    _invoice(conn, "F-0", "2025-06-01", "C2", [("CAS", "1", "40", "20", None)])  # C2's last purchase: dormant since
    _invoice(conn, "NC-3", "2025-01-01", "C3", [("GUA", "1", "-10", "0", None)])  # a credit note is no purchase
    _invoice(conn, "F-4", "2025-08-01", "C4", [("CAS", "1", "40", "20", None)])


def _leads_and_visits(conn) -> None:
    _put(conn, f.lead("web_form", "converted", day="2026-03-01", opportunity=OPP_WON))
    _put(conn, f.lead("web_form", "new", day="2026-03-05"))
    _put(conn, f.lead("phone", "contacted", day="2026-03-07", seller="bea"), "bea")
    _put(conn, f.lead("phone", "discarded", day="2026-02-10"))
    _put(conn, f.lead("fair", "new", day="2026-03-08", seller="omar"), "omar")
    _put(conn, f.visit("2026-03-06", "C3", id=VISIT_A2))
    _put(conn, f.visit("2026-03-11", "C4", seller="bea"), "bea")  # C4 dormant, but bea went back


def _approvals(conn) -> None:
    decided = f.request(A1_V1, f.at("2026-03-02", 9), ("credit_blocked",))
    _put(conn, decided)
    _put(conn, f.decision(decided.id, f.at("2026-03-02", 13)))
    waiting = f.request(B1, f.at("2026-03-15", 10))
    _put(conn, waiting.model_copy(update={"requested_by": "bea"}), "bea")


def _lost_sales(conn) -> None:
    _recorded(conn, f.lost_sale("GUA", "10", "2.375"), "2026-03-04")
    _recorded(conn, f.lost_sale("CAS", "1", "100", currency="USD"), "2026-03-05")
    _recorded(conn, f.lost_sale("CAS", "1", "80", currency="CHF", seller="bea"), "2026-03-06")  # stale rate
    _recorded(conn, f.lost_sale("CAS", "9", "10", reason="price", seller="bea"), "2026-03-06")  # not stock
    _recorded(conn, f.lost_sale("GUA", "4", "10"), "2026-02-27")  # February


def _opportunities(conn) -> None:
    _put(conn, f.opportunity("C1", "won", "1000").model_copy(update={"id": OPP_WON}))
    _put(conn, f.opportunity("C3", "negotiation", "500", "80"))  # opened by ana, C3 is bea's now
    _put(conn, f.opportunity("C4", "proposal", "100", "50", currency="USD", seller="bea"), "bea")
    _put(conn, f.opportunity("C2", "lead", "200", "10", currency="CHF"))


REGION = ["ana", "bea", "marta", "omar", "rosa"]
"""A regional director's view: rosa's team REGION holds NORTE and SUR."""


def seed_region(conn) -> None:
    """Put NORTE and SUR under a region led by rosa (after `seed_metrics`)."""
    make_user(conn, "rosa", Role.MANAGER, team="REGION")
    for code in ("NORTE", "SUR"):
        put_record(conn, Team(code=code, name=f"Equipo {code}", parent_code="REGION"), DIRECTORY_BUCKET)
