"""The quoting world for device tests: the server's quoting seed plus stock, a product out of
stock with a declared substitute, a seller's signed-in device and a manager's decision."""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import httpx
from starlette.testclient import TestClient

from client.services.quote_terms import set_terms
from client.services.quoting import add_line, start_quote
from client.services.session import Session, sign_in
from client.services.synchronization import sync_now
from client.settings import ClientSettings
from client.sync import SyncApi
from shared.models import PriceListItem, Product, Stock, Substitute, Warehouse
from shared.protocol import CATALOG_BUCKET
from sync_server.repository.records import put_record
from tests.client.servers import serve_in_process
from tests.sync_server.factories import sign_in as api_sign_in
from tests.sync_server.quotes.helpers import CUSTOMER_EMAIL, MANAGER, SELLER, seed_quoting

NO_STOCK, SUBSTITUTE = "BRO-HSS-10", "BRO-HSS-10B"
PASSWORD = "secret-pass-1"


def seed_quoting_with_stock(conn) -> None:
    """seed_quoting, stock in MAD and BCN, and a drill bit out of stock with a substitute."""
    seed_quoting(conn)
    put_record(conn, Warehouse(code="BCN", name="Almacén Barcelona"), CATALOG_BUCKET)
    for sku, name in ((NO_STOCK, "Broca HSS 10 mm"), (SUBSTITUTE, "Broca HSS 10 mm cobalto")):
        put_record(
            conn,
            Product(
                sku=sku,
                name=name,
                category_code="FERR",
                unit="ud",
                tax_class="IVA21",
                currency="EUR",
                replacement_cost=Decimal("6.1000"),
            ),
            CATALOG_BUCKET,
        )
        put_record(
            conn,
            PriceListItem(price_list_code="BASE", sku=sku, min_quantity=Decimal(0), unit_price=Decimal("12.5000")),
            CATALOG_BUCKET,
        )
    put_record(conn, Substitute(sku=NO_STOCK, substitute_sku=SUBSTITUTE, rank=1), CATALOG_BUCKET)
    for sku, warehouse, on_hand in (
        ("GUA-NIT-09", "MAD", 500),
        ("TAL-18V-BL", "MAD", 3),
        ("TAL-18V-BL", "BCN", 20),
        (NO_STOCK, "MAD", 0),
        (SUBSTITUTE, "MAD", 40),
    ):
        put_record(
            conn,
            Stock(sku=sku, warehouse_code=warehouse, on_hand=Decimal(on_hand), reserved=Decimal(0), damaged=Decimal(0)),
            CATALOG_BUCKET,
        )


@contextmanager
def quoting_server(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The real server, seeded with the quoting world, in-process."""
    with serve_in_process(database_url, tmp_path, seed_quoting_with_stock) as client:
        yield client


class Wire(httpx.BaseTransport):
    """The device's connection to the in-process server; `down` refuses every request."""

    def __init__(self, server: TestClient) -> None:
        self.inner = server._transport
        self.down = False
        self.attempts = 0
        """Requests tried while down (a step that needed the network)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            self.attempts += 1
            raise httpx.ConnectError("connection refused (server stopped)", request=request)
        return self.inner.handle_request(request)


def seller_session(server: TestClient, tmp_path: Path, wire: Wire, login: str = SELLER) -> Session:
    """A signed-in device that has done its first sync."""
    http = httpx.Client(base_url="http://testserver", transport=wire)
    settings = ClientSettings(data_dir=tmp_path / login)
    session = sign_in(settings, login, PASSWORD, api=SyncApi("", http_client=http))
    sync_now(session)
    return session


def decide(server: TestClient, request_id: UUID, decision: str, comment: str = "", manager: str = MANAGER) -> dict:
    """A manager's decision through the approvals API."""
    token = api_sign_in(server, manager)["token"]
    response = server.post(
        f"/v1/approvals/{request_id}/decision",
        json={"decision": decision, "comment": comment},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def quote_draft(session, *lines, header=Decimal(0)):
    """A priced draft for customer C1: lines as (sku, quantity, discount percent)."""
    priced = start_quote(session, "C1")
    for sku, quantity, discount in lines:
        priced = add_line(session, priced, sku, Decimal(quantity), Decimal(discount))
    if header:
        priced = set_terms(session, priced, header_discount_percent=header)
    return priced


__all__ = [
    "CUSTOMER_EMAIL",
    "NO_STOCK",
    "SUBSTITUTE",
    "Wire",
    "decide",
    "quote_draft",
    "quoting_server",
    "seed_quoting_with_stock",
    "seller_session",
]
