"""Administrators manage users, teams, devices and policies through the API; each change is
audited with who, what and old → new (SQLite and PostgreSQL)."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from sync_server.repository.tables import devices
from sync_server.services.audit import list_events
from sync_server.services.device_admin import SYNC_NOTE_MINUTES
from tests.sync_server.factories import Device, sign_in
from tests.sync_server.quotes.helpers import ADMIN, MANAGER, OTHER_MANAGER, OTHER_SELLER, SELLER, seed_quoting

NEW_SELLER = {
    "login": "bea.nueva",
    "name": "Bea Nueva",
    "role": "seller",
    "team_code": "NORTE",
    "home_warehouse": "MAD",
    "password": "first-pass-2026",
}


@pytest.fixture
def admin(client, seed) -> Device:
    seed(seed_quoting)
    return Device(client, ADMIN)


def _events(app, kind: str):
    with app.state.engine.connect() as conn:
        return [e for e in list_events(conn) if e.kind == kind]


def test_an_admin_creates_a_seller_who_can_sign_in_and_it_is_audited(client, app, admin):
    response = client.post("/v1/admin/users", json=NEW_SELLER, headers=admin.headers)
    assert response.status_code == 201, response.text
    assert response.json() | {"last_seen_at": None} == {
        "login": "bea.nueva",
        "name": "Bea Nueva",
        "email": "",
        "role": "seller",
        "team_code": "NORTE",
        "home_warehouse": "MAD",
        "has_password": True,
        "is_active": True,
        "devices": 0,
        "last_seen_at": None,
        "admin_fields": ["created"],
    }
    assert sign_in(client, "bea.nueva", "first-pass-2026")["role"] == "seller"
    [event] = _events(app, "user_created")
    assert (event.login, event.subject, event.detail) == (ADMIN, "bea.nueva", "(none) → seller, team NORTE")
    listed = client.get("/v1/admin/users", headers=admin.headers).json()
    assert "bea.nueva" in [u["login"] for u in listed]


@pytest.mark.parametrize(
    ("change", "key", "field"),
    [
        ({"login": SELLER}, "problem.admin.login_taken", "login"),
        ({"team_code": "ESTE"}, "problem.admin.no_team", "team_code"),
        ({"home_warehouse": "BCN"}, "problem.admin.no_warehouse", "home_warehouse"),
        ({"team_code": None}, "problem.admin.seller_needs_team", "team_code"),
        ({"password": "short"}, "problem.password.too_short", None),
    ],
)
def test_a_user_that_cannot_be_created_is_refused_by_name_and_nothing_is_written(
    client, app, admin, change, key, field
):
    response = client.post("/v1/admin/users", json=NEW_SELLER | change, headers=admin.headers)
    assert response.status_code == 422, response.text
    assert response.json()["key"] == key
    assert response.json().get("field") == field
    assert _events(app, "user_created") == []
    logins = [u["login"] for u in client.get("/v1/admin/users", headers=admin.headers).json()]
    assert "bea.nueva" not in logins


def test_a_deactivated_user_is_signed_out_cannot_sign_in_and_can_come_back(client, app, admin):
    ana = Device(client, SELLER)
    response = client.post(f"/v1/admin/users/{SELLER}/deactivate", headers=admin.headers)
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert client.get("/v1/policies", headers=ana.headers).status_code == 401
    refused = client.post("/v1/auth/login", json={"login": SELLER, "password": "secret-pass-1"})
    assert refused.status_code == 401 and refused.json()["key"] == "problem.sign_in.deactivated"
    assert client.post(f"/v1/admin/users/{ADMIN}/deactivate", headers=admin.headers).status_code == 422
    assert client.post(f"/v1/admin/users/{SELLER}/reactivate", headers=admin.headers).json()["is_active"] is True
    sign_in(client, SELLER)
    kinds = [(e.kind, e.detail) for e in _events(app, "user_deactivated") + _events(app, "user_reactivated")]
    assert kinds == [
        ("user_deactivated", "active → deactivated (1 sessions ended)"),
        ("user_reactivated", "deactivated → active"),
    ]


def test_a_password_reset_ends_the_users_sessions_and_names_the_admin(client, app, admin):
    ana = Device(client, SELLER)
    body = {"password": "brand-new-pass-9"}
    assert client.post(f"/v1/admin/users/{SELLER}/password", json=body, headers=admin.headers).status_code == 200
    assert client.get("/v1/policies", headers=ana.headers).status_code == 401
    sign_in(client, SELLER, "brand-new-pass-9")
    [event] = _events(app, "password_reset")
    assert (event.login, event.subject) == (ADMIN, SELLER)
    missing = client.post("/v1/admin/users/nobody.here/password", json=body, headers=admin.headers)
    assert missing.status_code == 404 and missing.json()["key"] == "problem.admin.no_user"


def test_teams_are_renamed_given_a_manager_and_receive_a_seller(client, app, admin):
    teams = {t["code"]: t for t in client.get("/v1/admin/teams", headers=admin.headers).json()}
    assert teams["NORTE"]["managers"] == [MANAGER] and teams["NORTE"]["members"] == [SELLER]
    renamed = client.patch("/v1/admin/teams/NORTE", json={"name": "Norte y Galicia"}, headers=admin.headers)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Norte y Galicia"
    assert renamed.json()["admin_fields"] == ["name"]  # kept by the next ERP import
    managed = client.patch("/v1/admin/teams/NORTE", json={"manager_login": OTHER_MANAGER}, headers=admin.headers)
    assert managed.json()["managers"] == [OTHER_MANAGER]
    moved = client.post("/v1/admin/teams/NORTE/members", json={"login": OTHER_SELLER}, headers=admin.headers)
    assert moved.json()["members"] == [SELLER, OTHER_SELLER]
    not_manager = client.patch("/v1/admin/teams/SUR", json={"manager_login": SELLER}, headers=admin.headers)
    assert not_manager.status_code == 422 and not_manager.json()["key"] == "problem.admin.not_a_manager"
    not_seller = client.post("/v1/admin/teams/SUR/members", json={"login": MANAGER}, headers=admin.headers)
    assert not_seller.status_code == 422 and not_seller.json()["key"] == "problem.admin.not_a_seller"
    assert client.patch("/v1/admin/teams/ESTE", json={"name": "X"}, headers=admin.headers).status_code == 404
    details = [(e.kind, e.subject, e.detail) for e in _events(app, "team_renamed") + _events(app, "team_manager_set")]
    assert details == [
        ("team_renamed", "NORTE", "Equipo NORTE → Norte y Galicia"),
        ("team_manager_set", "NORTE", f"manager: {MANAGER} → {OTHER_MANAGER}"),
    ]
    [move] = _events(app, "user_moved")
    assert (move.login, move.subject, move.detail) == (ADMIN, OTHER_SELLER, "team: SUR → NORTE")
    # The new manager now reads Carla's portfolio; the old one no longer reads Ana's.
    sergio = Device(client, OTHER_MANAGER)
    buckets = client.get("/v1/sync/bucket", params={"name": f"portfolio:{SELLER}"}, headers=sergio.headers)
    assert buckets.status_code == 200, buckets.text


def test_a_team_is_put_under_another_and_a_loop_is_refused(client, app, admin):
    under = client.patch("/v1/admin/teams/NORTE", json={"parent_code": "HQ"}, headers=admin.headers)
    assert under.status_code == 200 and under.json()["parent_code"] == "HQ"
    for code, parent, key in (
        ("HQ", "NORTE", "problem.admin.team_loop"),
        ("NORTE", "NORTE", "problem.admin.team_loop"),
        ("NORTE", "ESTE", "problem.admin.no_team"),
    ):
        refused = client.patch(f"/v1/admin/teams/{code}", json={"parent_code": parent}, headers=admin.headers)
        assert (refused.status_code, refused.json()["key"]) == (422, key)
    top = client.patch("/v1/admin/teams/NORTE", json={"parent_code": ""}, headers=admin.headers)
    assert top.json()["parent_code"] is None
    teams = {t["code"]: t["parent_code"] for t in client.get("/v1/admin/teams", headers=admin.headers).json()}
    assert teams == {"HQ": None, "NORTE": None, "SUR": None}
    assert [(e.login, e.subject, e.detail) for e in _events(app, "team_parent_set")] == [
        (ADMIN, "NORTE", "parent: (none) → HQ"),
        (ADMIN, "NORTE", "parent: HQ → (none)"),
    ]


def test_the_devices_list_and_revocation(client, app, admin):
    ana = Device(client, SELLER)
    listed = client.get("/v1/admin/devices", headers=admin.headers).json()
    assert {d["login"] for d in listed} >= {ADMIN, SELLER}
    client_id = ana.session["client_id"]
    assert client.post(f"/v1/admin/devices/{client_id}/revoke", headers=admin.headers).status_code == 204
    [row] = [d for d in client.get("/v1/admin/devices", headers=admin.headers).json() if d["client_id"] == client_id]
    assert row["revoked_at"] is not None
    [event] = _events(app, "device_revoked")
    assert (event.login, event.subject, event.client_id) == (ADMIN, SELLER, client_id)
    assert event.detail.endswith("active → revoked")


def test_the_overview_names_silent_devices_and_locked_accounts(client, app, admin, seed):
    ana = Device(client, SELLER)
    with app.state.engine.begin() as conn:
        long_ago = datetime.now(UTC) - timedelta(days=9)
        conn.execute(
            sa.update(devices).where(devices.c.client_id == ana.session["client_id"]).values(last_seen_at=long_ago)
        )
    for _ in range(5):
        client.post("/v1/auth/login", json={"login": MANAGER, "password": "wrong-password-1"})
    overview = client.get("/v1/admin/overview", headers=admin.headers).json()
    assert [d["login"] for d in overview["stale_devices"]] == [SELLER]
    assert overview["locked_logins"] == [MANAGER]
    assert overview["inactive_logins"] == [] and overview["without_password"] == []


def test_a_policy_change_is_audited_field_by_field(client, app, admin):
    body = {"discount_bands": {"junior": "5", "standard": "12", "senior": "15"}}
    assert client.put("/v1/admin/policies/approval", json=body, headers=admin.headers).status_code == 200
    retention = client.put("/v1/admin/policies/retention", json={"deletes_days": 120}, headers=admin.headers)
    assert retention.json() == {"deletes_days": 120, "audit_days": 365}
    too_short = client.put("/v1/admin/policies/retention", json={"deletes_days": 1}, headers=admin.headers)
    assert too_short.status_code == 422 and too_short.json()["key"] == "problem.field.too_small"
    assert too_short.json()["field"] == "deletes_days"
    events = [(e.login, e.subject, e.detail) for e in _events(app, "policy_changed")]
    assert events == [
        (ADMIN, "approval", "discount_bands.standard: 10 → 12"),
        (ADMIN, "retention", "deletes_days: 90 → 120"),
    ]
    assert client.get("/v1/policies", headers=admin.headers).json()["retention"]["deletes_days"] == 120


def test_a_device_that_finishes_a_sync_round_is_no_longer_silent(client, app, admin):
    ana = Device(client, SELLER)
    with app.state.engine.begin() as conn:
        long_ago = datetime.now(UTC) - timedelta(days=9)
        conn.execute(
            sa.update(devices).where(devices.c.client_id == ana.session["client_id"]).values(last_seen_at=long_ago)
        )
    assert [d["login"] for d in client.get("/v1/admin/overview", headers=admin.headers).json()["stale_devices"]] == [
        SELLER
    ]
    assert client.get("/v1/policies", headers=ana.headers).status_code == 200  # the end of every sync round
    assert client.get("/v1/admin/overview", headers=admin.headers).json()["stale_devices"] == []


def test_a_sync_round_moments_after_the_last_one_writes_nothing(client, app, admin):
    ana = Device(client, SELLER)
    a_minute_ago = datetime.now(UTC) - timedelta(minutes=1)
    a_while_ago = datetime.now(UTC) - timedelta(minutes=SYNC_NOTE_MINUTES + 1)

    def seen_at(when):
        with app.state.engine.begin() as conn:
            query = sa.update(devices).where(devices.c.client_id == ana.session["client_id"])
            conn.execute(query.values(last_seen_at=when))

    def last_seen():
        with app.state.engine.connect() as conn:
            query = sa.select(devices.c.last_seen_at).where(devices.c.client_id == ana.session["client_id"])
            return conn.execute(query).scalar_one()

    seen_at(a_minute_ago)
    assert client.get("/v1/policies", headers=ana.headers).status_code == 200
    assert last_seen() == a_minute_ago  # recent enough: the round wrote nothing
    seen_at(a_while_ago)
    before = datetime.now(UTC)
    assert client.get("/v1/policies", headers=ana.headers).status_code == 200
    assert last_seen() >= before
