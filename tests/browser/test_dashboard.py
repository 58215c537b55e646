"""The manager's dashboard (real app, Chromium, a server of its own): her team's quotes,
leads and losses of this month are on the server; she opens the dashboard, sees every tile
with its "as of", the charts, filters to one seller, opens the records behind a number and
exports them as CSV. A seller of the team opens her own figures."""

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from shared.models import Role, Team, User
from shared.protocol import DIRECTORY_BUCKET, activity_bucket
from sync_server.importer.demo import DEMO_PASSWORD
from sync_server.repository.database import make_engine, write_transaction
from sync_server.repository.records import put_record
from sync_server.repository.tables import ENTITY_TABLES
from sync_server.services.auth import set_password
from tests.browser.helpers import navigate, open_signed_in, shot, sid, wait_text
from tests.shared.rules import metric_factories as f

METRICS = (
    "leads", "pipeline", "first_quote", "approval", "quotes", "conversion", "prices", "margin", "lost_stock",
    "dormant", "unpenetrated", "credit", "lost_reasons",
)  # fmt: skip


def _team(export: Path) -> tuple[str, list[str]]:
    """The first manager of the demo and her team's sellers."""
    with open(export / "users.csv", encoding="utf-8") as fh:
        users = list(csv.DictReader(fh))
    manager = next(u for u in users if u["role"] == "manager")
    sellers = sorted(u["login"] for u in users if u["team_code"] == manager["team_code"] and u["role"] == "seller")
    return manager["login"], sellers


def _glove(export: Path) -> str:
    """A nitrile glove of the demo catalogue."""
    with open(export / "products.csv", encoding="utf-8") as fh:
        return next(row["sku"] for row in csv.DictReader(fh) if "nitrilo" in row["name"])


def _seed_month(database_url: str, sellers: list[str], glove: str = "GUA-NIT-09") -> None:
    """This month's work of two sellers: quotes won, lost and unanswered, leads, a lost sale."""
    today = datetime.now(UTC).date()
    day = max(today.replace(day=1), today - timedelta(days=2)).isoformat()
    engine = make_engine(database_url)
    customers = ENTITY_TABLES["customer"].c
    try:
        with write_transaction(engine) as conn:
            held = {
                s: list(conn.execute(sa.select(customers.code).where(customers.seller_login == s).limit(3)).scalars())
                for s in sellers[:2]
            }
            first, second = sellers[:2]
            gua = (f.line(1, glove, "10", "12", cost="7"),)
            records = [
                f.quote("DASH-1", 1, "accepted", day, seller=first, customer=held[first][0], net="120", lines=gua),
                f.quote("DASH-2", 1, "sent", day, seller=first, customer=held[first][1], net="80"),
                f.quote("DASH-3", 1, "lost", day, seller=first, customer=held[first][2], net="60", lost_reason="price",
                        lines=(f.line(1, glove, "5", "12", cost="7"),),
                        competitor_lines=((1, glove, "10.5"),)),
                f.quote("DASH-4", 1, "lost", day, seller=second, customer=held[second][0], net="300",
                        lost_reason="stock"),
                f.quote("DASH-5", 1, "accepted", day, seller=second, customer=held[second][1], net="90"),
                f.lead("web_form", "contacted", day=day, seller=first),
                f.lead("web_form", "new", day=day, seller=first),
                f.lead("phone", "converted", day=day, seller=second),
                f.lead("fair", "discarded", day=day, seller=second),
            ]  # fmt: skip
            for record in records:
                put_record(conn, record, activity_bucket(record.seller_login))
    finally:
        engine.dispose()


def _open_dashboard(page: Page) -> None:
    navigate(page, "Figures")
    wait_text(page, "dash-title", "Pre-invoice metrics")
    wait_text(page, "dash-as-of", "As of", timeout=60_000)


def test_a_manager_filters_the_dashboard_to_one_seller_and_drills_down(office, office_tablet, demo_export):
    manager, sellers = _team(demo_export)
    glove = _glove(demo_export)
    _seed_month(office.settings.database_url, sellers, glove)
    page = office_tablet
    open_signed_in(page, page.app_url, manager, DEMO_PASSWORD)  # the first sync brings the snapshot
    _open_dashboard(page)
    for metric in METRICS:  # every tile, each with its "as of"
        wait_text(page, f"dash-tile-{metric}", "As of")
    wait_text(page, "dash-value-quotes", "5")
    wait_text(page, "dash-value-conversion", "40")  # 2 accepted of 5 sent
    wait_text(page, "dash-syncs", "Last sync")
    expect(sid(page, "dash-chart-leads")).to_have_count(1)
    expect(sid(page, "dash-chart-conversion")).to_have_count(1)
    shot(page, "dashboard-team")  # docs/screenshots/dashboard-team.png
    page.mouse.move(640, 500)
    page.mouse.wheel(0, 2000)  # the charts are below the tiles
    expect(sid(page, "dash-title")).not_to_be_in_viewport(timeout=30_000)
    expect(sid(page, "dash-chart-leads")).to_be_in_viewport(timeout=30_000)
    shot(page, "dashboard-charts")
    page.mouse.wheel(0, -2000)
    expect(sid(page, "dash-title")).to_be_in_viewport(timeout=30_000)

    sid(page, "dash-seller").click()
    sid(page, f"dash-seller-{sellers[0]}").click()
    wait_text(page, "dash-value-quotes", "3")
    wait_text(page, "dash-value-conversion", "33")  # 1 of 3
    expect(sid(page, "dash-chart-conversion")).to_have_count(0)  # one seller: no per-seller chart
    shot(page, "dashboard-one-seller")

    sid(page, "dash-tile-conversion").click()
    wait_text(page, "dash-drill", "3 records")
    for number in ("DASH-1", "DASH-2", "DASH-3"):
        wait_text(page, "dash-drill", number)
    wait_text(page, "dash-drill", "Accepted")  # statuses in words
    shot(page, "dashboard-drill-down")
    with page.expect_download(timeout=60_000) as download:
        sid(page, "dash-export").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:2] == ["Quote", "Customer"]
    assert sorted(row[0] for row in rows[1:]) == ["DASH-1", "DASH-2", "DASH-3"]
    assert download.value.suggested_filename == f"terreno-conversion-month-{sellers[0]}.csv"

    # narrowed to the gloves' top-level category (the server's figures): DASH-1 and DASH-3
    page.keyboard.press("Escape")
    expect(sid(page, "dash-drill")).to_have_count(0)
    root = _top_category(office.settings.database_url, glove)
    sid(page, "dash-category").click()
    sid(page, f"dash-category-{root}").click()
    wait_text(page, "dash-narrow-status", "Leads have no segment or category")
    wait_text(page, "dash-value-quotes", "2")
    wait_text(page, "dash-value-conversion", "50")  # DASH-1 accepted, DASH-3 lost
    shot(page, "dashboard-category")  # docs/screenshots/dashboard-category.png
    sid(page, "dash-tile-quotes").click()  # the records behind it, narrowed too, and their CSV
    wait_text(page, "dash-drill", "2 records")
    with page.expect_download(timeout=60_000) as download:
        sid(page, "dash-export").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == ["DASH-1", "DASH-3"]
    assert download.value.suggested_filename == f"terreno-quotes-month-{sellers[0]}-{root}.csv"


def _top_category(database_url: str, sku: str) -> str:
    """The top-level category of a product of the demo data."""
    engine = make_engine(database_url)
    product, category = ENTITY_TABLES["product"].c, ENTITY_TABLES["category"].c
    try:
        with engine.connect() as conn:
            code = conn.execute(sa.select(product.category_code).where(product.sku == sku)).scalar_one()
            parents = dict(conn.execute(sa.select(category.code, category.parent_code)).all())
    finally:
        engine.dispose()
    while parents.get(code):
        code = parents[code]
    return code


def test_a_seller_opens_her_own_figures(office, office_tablet, demo_export):
    _, sellers = _team(demo_export)
    _seed_month(office.settings.database_url, sellers)
    page = office_tablet
    open_signed_in(page, page.app_url, sellers[1], DEMO_PASSWORD)
    _open_dashboard(page)
    wait_text(page, "dash-value-quotes", "2")
    wait_text(page, "dash-value-conversion", "50")
    expect(sid(page, "dash-seller")).to_have_count(0)  # her own figures: nobody to choose
    sid(page, "dash-tile-lost_reasons").click()
    wait_text(page, "dash-drill", "DASH-4")
    wait_text(page, "dash-drill", "Stock")
    shot(page, "dashboard-seller")


def _seed_region(database_url: str, export: Path, manager_team: str) -> None:
    """A regional director, rosa.region, whose region holds the demo manager's team and a
    second team, SUR, with one seller (no work this month)."""
    with open(export / "teams.csv", encoding="utf-8") as fh:
        names = {row["code"]: row["name"] for row in csv.DictReader(fh)}
    with open(export / "warehouses.csv", encoding="utf-8") as fh:
        warehouse = next(csv.DictReader(fh))["code"]
    engine = make_engine(database_url)
    try:
        with write_transaction(engine) as conn:
            put_record(conn, Team(code="REGION", name="Región Centro"), DIRECTORY_BUCKET)
            for code, name in ((manager_team, names[manager_team]), ("SUR", "Equipo Sur")):
                put_record(conn, Team(code=code, name=name, parent_code="REGION"), DIRECTORY_BUCKET)
            for user in (
                User(login="rosa.region", name="Rosa Region", role=Role.MANAGER, team_code="REGION"),
                User(login="omar.sur", name="Omar Sur", role=Role.SELLER, team_code="SUR", home_warehouse=warehouse),
            ):
                put_record(conn, user, DIRECTORY_BUCKET)
                set_password(conn, user.login, DEMO_PASSWORD)
    finally:
        engine.dispose()


def test_a_regional_director_filters_the_dashboard_to_one_team(office, office_tablet, demo_export):
    manager, sellers = _team(demo_export)
    with open(demo_export / "users.csv", encoding="utf-8") as fh:
        team = next(u["team_code"] for u in csv.DictReader(fh) if u["login"] == manager)
    _seed_month(office.settings.database_url, sellers)
    _seed_region(office.settings.database_url, demo_export, team)
    page = office_tablet
    open_signed_in(page, page.app_url, "rosa.region", DEMO_PASSWORD)
    _open_dashboard(page)
    wait_text(page, "dash-value-quotes", "5")  # the whole region
    sid(page, "dash-team").click()
    sid(page, "dash-team-SUR").click()
    wait_text(page, "dash-value-quotes", "0")
    wait_text(page, "dash-syncs", "Omar Sur")
    sid(page, "dash-seller").click()
    expect(sid(page, "dash-seller-omar.sur")).to_have_count(1)
    expect(sid(page, f"dash-seller-{sellers[0]}")).to_have_count(0)  # SUR's sellers only
    page.keyboard.press("Escape")
    sid(page, "dash-team").click()
    sid(page, f"dash-team-{team}").click()
    wait_text(page, "dash-value-quotes", "5")
    wait_text(page, "dash-value-conversion", "40")
    expect(sid(page, "dash-chart-conversion")).to_have_count(1)
    shot(page, "dashboard-team-filter")  # docs/screenshots/dashboard-team-filter.png
