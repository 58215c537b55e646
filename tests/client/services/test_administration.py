"""The administrator's services against the real sync server in-process (SQLite and PostgreSQL):
forms checked on the device first, each change made on the server, offline said as such."""

from collections.abc import Iterator

import httpx
import pytest

from client.services import administration as admin_services
from client.services.administration import FieldKind, PolicyField, policy_fields
from client.services.session import Session, sign_in, sign_out
from client.settings import ClientSettings
from client.sync import Offline, SyncApi
from shared.errors import ValidationFailed
from shared.models import Role
from tests.client.servers import seed_north_team, serve_in_process
from tests.sync_server.factories import make_user


def _seed(conn) -> None:
    seed_north_team(conn)
    make_user(conn, "root.admin", role=Role.ADMIN, team="HQ")


@pytest.fixture
def admin(database_url, tmp_path) -> Iterator[Session]:
    with serve_in_process(database_url, tmp_path, _seed) as server:
        http = httpx.Client(base_url="http://testserver", transport=server._transport)
        session = sign_in(
            ClientSettings(data_dir=tmp_path / "device"),
            "root.admin",
            "secret-pass-1",
            api=SyncApi("", http_client=http),
        )
        yield session
        sign_out(session)


def test_a_seller_is_created_then_deactivated_and_her_password_reset(admin):
    with pytest.raises(ValidationFailed) as short_name:
        admin_services.create_user(admin, login="bea.nueva", name="", role="seller", password="first-pass-2026")
    assert short_name.value.extra["field"] == "name"
    created = admin_services.create_user(
        admin,
        login=" Bea.Nueva ",
        name="Bea Nueva",
        role="seller",
        team_code="NORTE",
        home_warehouse="MAD",
        password="first-pass-2026",
    )
    assert (created.login, created.team_code, created.is_active) == ("bea.nueva", "NORTE", True)
    assert admin_services.deactivate_user(admin, "bea.nueva").is_active is False
    assert admin_services.reactivate_user(admin, "bea.nueva").is_active is True
    admin_services.reset_password(admin, "bea.nueva", "another-pass-77")
    assert "bea.nueva" in [u.login for u in admin_services.list_users(admin)]


def test_teams_and_devices(admin):
    team = admin_services.change_team(admin, "NORTE", name="Norte y Galicia")
    assert (team.name, team.managers) == ("Norte y Galicia", ["marta.jefa"])
    with pytest.raises(ValidationFailed) as not_manager:
        admin_services.change_team(admin, "NORTE", manager_login="ana.garcia")
    assert not_manager.value.key == "problem.admin.not_a_manager"
    assert admin_services.change_team(admin, "NORTE", parent_code="HQ").parent_code == "HQ"
    with pytest.raises(ValidationFailed) as loop:
        admin_services.change_team(admin, "HQ", parent_code="NORTE")
    assert (loop.value.key, loop.value.extra["field"]) == ("problem.admin.team_loop", "parent_code")
    with pytest.raises(ValidationFailed) as bad_code:
        admin_services.change_team(admin, "NORTE", parent_code="no code")
    assert bad_code.value.extra["field"] == "parent_code"
    assert admin_services.change_team(admin, "NORTE", parent_code="").parent_code is None
    [mine] = [d for d in admin_services.list_devices(admin) if d.login == "root.admin"]
    assert mine.revoked_at is None
    overview = admin_services.admin_overview(admin)
    assert overview.stale_devices == [] and overview.locked_logins == []


def test_the_policy_form_round_trips_and_names_the_field_to_correct(admin):
    forms = admin_services.read_policies(admin)
    assert set(forms) >= {"approval", "credit", "email", "retention"}
    bands = next(f for f in forms["approval"] if f.name == "discount_bands")
    assert bands.kind == FieldKind.PAIRS and "standard = 10" in bands.text
    edited = [
        PolicyField(f.name, f.kind, bands.text.replace("standard = 10", "standard = 12")) if f is bands else f
        for f in forms["approval"]
    ]
    saved = admin_services.save_policy(admin, "approval", edited)
    assert "standard = 12" in next(f for f in saved if f.name == "discount_bands").text
    broken = [PolicyField(f.name, f.kind, "standard: 12") if f.name == "discount_bands" else f for f in saved]
    with pytest.raises(ValidationFailed) as pair:
        admin_services.save_policy(admin, "approval", broken)
    assert (pair.value.key, pair.value.extra["field"]) == ("problem.policy.pair_line", "discount_bands")
    retention = [PolicyField(f.name, f.kind, "3") if f.name == "deletes_days" else f for f in forms["retention"]]
    with pytest.raises(ValidationFailed) as too_short:
        admin_services.save_policy(admin, "retention", retention)
    assert (too_short.value.key, too_short.value.extra["field"]) == ("problem.field.too_small", "deletes_days")


@pytest.mark.parametrize(
    ("data", "kinds"),
    [
        ({"on": True, "bands": {"a": "5"}, "terms": ["NET30"], "days": 7}, ["switch", "pairs", "list", "text"]),
        ({"escalation_hours": 24}, ["text"]),  # a field a newer server adds shows up as text
    ],
)
def test_policy_fields_follow_the_values_kinds(data, kinds):
    assert [f.kind.value for f in policy_fields(data)] == kinds


def test_without_the_server_the_calls_say_offline(tmp_path, admin):
    def refuse(request):
        raise httpx.ConnectError("no route to host", request=request)

    admin.api = SyncApi("http://terreno.test", token="t", transport=httpx.MockTransport(refuse))
    with pytest.raises(Offline):
        admin_services.list_users(admin)
