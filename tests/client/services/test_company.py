"""The company profile on the device: fetched at the end of a sync round, logo only when it
changed; before it arrives, quotes carry a neutral letterhead and are never tax-free by guess."""

import hashlib
import io

import httpx
from PIL import Image

from client.services.company import company_of, refresh_company
from client.services.synchronization import sync_now
from sync_server.importer.demo.company import DEMO_COMPANY
from sync_server.repository.database import write_transaction
from sync_server.services.company import save_company, save_company_logo


def _png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 10), color).save(buffer, format="PNG")
    return buffer.getvalue()


def _set_company(server, logo: bytes | None = None, **changes) -> None:
    from datetime import UTC, datetime

    with write_transaction(server.app.state.engine) as conn:
        save_company(conn, DEMO_COMPANY | changes, login="admin", now=datetime.now(UTC))
        if logo is not None:
            save_company_logo(conn, logo, login="admin", now=datetime.now(UTC))


def test_the_profile_and_logo_arrive_with_a_sync_round(server, ana):
    assert company_of(ana) is None  # the server had none at the first sync
    logo = _png("green")
    _set_company(server, logo)
    sync_now(ana)
    company = company_of(ana)
    assert company is not None and company.logo == logo
    assert company.info.name == "Suministros Terreno" and company.info.tax_id == "B86543210"
    assert company.info.bank == "Banco Ejemplo · ES91 2100 0418 4502 0005 1332 · CAIXESBBXXX"
    assert company.terms("es")[0].startswith("Precios en la moneda de la oferta")
    with ana.store.read() as db:
        stored = list(db.query("SELECT logo_sha256 FROM company_profile"))
    assert stored == [{"logo_sha256": hashlib.sha256(logo).hexdigest()}]


def test_the_logo_is_fetched_again_only_when_it_changed(server, ana):
    _set_company(server, _png("green"))
    asked: list[str] = []
    real = ana.api._http

    def counting(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        response = real.send(request)
        response.read()
        return response

    ana.api._http = httpx.Client(base_url="http://testserver", transport=httpx.MockTransport(counting))
    refresh_company(ana)
    _set_company(server, trade_name="Terreno Norte")
    refresh_company(ana)
    new_logo = _png("blue")
    _set_company(server, new_logo)
    refresh_company(ana)
    assert asked.count("/v1/company/logo") == 2 and asked.count("/v1/company") == 3
    company = company_of(ana)
    assert company is not None and company.logo == new_logo and company.info.name == "Suministros Terreno"
