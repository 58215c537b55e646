"""The company profile over the API: devices read it, an administrator edits it (audited)."""

import hashlib
import io

import sqlalchemy as sa
from PIL import Image

from sync_server.importer.demo.company import DEMO_COMPANY
from sync_server.repository.tables import audit_log
from tests.sync_server.factories import Device
from tests.sync_server.quotes.helpers import ADMIN, SELLER, seed_quoting


def _png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 10), color).save(buffer, format="PNG")
    return buffer.getvalue()


def _audit(app) -> list[tuple[str, str | None, str | None, str | None]]:
    with app.state.engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log).where(audit_log.c.kind == "company_changed").order_by(audit_log.c.id))
        return [(r.kind, r.login, r.subject, r.detail) for r in rows]


def test_a_server_without_a_profile_answers_null_and_no_logo(client, seed):
    seed(seed_quoting)
    seller = Device(client, SELLER)
    assert client.get("/v1/company", headers=seller.headers).json()["profile"] is None
    missing = client.get("/v1/company/logo", headers=seller.headers)
    assert missing.status_code == 404 and missing.json()["key"] == "problem.company.no_logo"


def test_an_admin_sets_the_profile_and_logo_every_device_reads_them_and_the_audit_log_says_so(client, seed, app):
    seed(seed_quoting)
    admin, seller = Device(client, ADMIN), Device(client, SELLER)
    profile = DEMO_COMPANY | {"delivery_days": 3}
    saved = client.put("/v1/admin/company", json=profile, headers=admin.headers)
    assert saved.status_code == 200, saved.text
    logo = _png("green")
    put = client.put("/v1/admin/company/logo", content=logo, headers=admin.headers | {"Content-Type": "image/png"})
    assert put.status_code == 200, put.text
    shown = client.get("/v1/company", headers=seller.headers).json()
    assert shown["profile"]["legal_name"] == "Suministros Terreno S.L." and shown["profile"]["delivery_days"] == 3
    assert shown["logo_sha256"] == hashlib.sha256(logo).hexdigest()
    fetched = client.get("/v1/company/logo", headers=seller.headers)
    assert fetched.content == logo and fetched.headers["content-type"] == "image/png"

    changed = client.put("/v1/admin/company", json=profile | {"phone": "+34 911 111 111"}, headers=admin.headers)
    assert changed.json()["logo_sha256"] == hashlib.sha256(logo).hexdigest()  # the logo stays
    events = _audit(app)
    assert events[1] == ("company_changed", ADMIN, "logo", f"image/png, {len(logo)} bytes")
    assert events[2] == ("company_changed", ADMIN, "profile", "phone")
    assert len(events) == 3 and "legal_name" in (events[0][3] or "")


def test_a_seller_may_not_edit_and_bad_values_and_images_are_refused(client, seed):
    seed(seed_quoting)
    admin, seller = Device(client, ADMIN), Device(client, SELLER)
    assert client.put("/v1/admin/company", json=DEMO_COMPANY, headers=seller.headers).status_code == 403
    no_profile = client.put("/v1/admin/company/logo", content=_png("red"), headers=admin.headers)
    assert no_profile.status_code == 404 and no_profile.json()["key"] == "problem.company.none"
    bad = client.put("/v1/admin/company", json=DEMO_COMPANY | {"base_currency": "XXY"}, headers=admin.headers)
    assert bad.status_code == 422
    assert client.put("/v1/admin/company", json=DEMO_COMPANY, headers=admin.headers).status_code == 200
    not_image = client.put("/v1/admin/company/logo", content=b"GIF89a....", headers=admin.headers)
    assert not_image.status_code == 422 and not_image.json()["key"] == "problem.company.logo_type"
    huge = client.put("/v1/admin/company/logo", content=b"\x89PNG\r\n\x1a\n" + b"\0" * 600_000, headers=admin.headers)
    assert huge.status_code == 413
