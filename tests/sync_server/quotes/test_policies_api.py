"""Approval and credit policies: defaults, administrators set them, devices read them, and the
server's quote check applies them (SQLite and PostgreSQL)."""

from tests.sync_server.quotes.helpers import ADMIN, MANAGER, SELLER, make_quote


def test_every_signed_in_user_reads_the_default_policies(client, device):
    ana = device(SELLER)
    response = client.get("/v1/policies", headers=ana.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["approval"]["default_band"] == "standard"
    assert body["approval"]["discount_bands"] == {"junior": "5", "senior": "15", "standard": "10"}
    assert body["approval"]["standard_payment_terms"] == ["NET30", "NET60", "PREPAID"]
    assert body["credit"]["block_overdue_days"] == 60
    assert client.get("/v1/policies").status_code == 401


def test_only_an_administrator_sets_a_policy(client, device):
    marta, admin = device(MANAGER), device(ADMIN)
    policy = {"seller_bands": {SELLER: "senior"}}
    assert client.put("/v1/admin/policies/approval", json=policy, headers=marta.headers).status_code == 403
    response = client.put("/v1/admin/policies/approval", json=policy, headers=admin.headers)
    assert response.status_code == 200, response.text
    assert response.json()["seller_bands"] == {SELLER: "senior"}
    assert client.get("/v1/admin/policies/approval", headers=admin.headers).json() == response.json()
    assert client.get("/v1/policies", headers=marta.headers).json()["approval"] == response.json()


def test_the_device_policy_reaches_the_tablets(client, device):
    ana, admin = device(SELLER), device(ADMIN)
    defaults = client.get("/v1/policies", headers=ana.headers).json()["device"]
    assert defaults == {
        "lock_after_idle_minutes": 5,
        "offline_grace_days": 7,
        "min_pin_length": 6,
        "max_pin_attempts": 5,
    }
    stricter = {"lock_after_idle_minutes": 2, "offline_grace_days": 3}
    assert client.put("/v1/admin/policies/device", json=stricter, headers=admin.headers).status_code == 200
    assert client.get("/v1/policies", headers=ana.headers).json()["device"] == {**defaults, **stricter}
    refused = client.put("/v1/admin/policies/device", json={"offline_grace_days": 0}, headers=admin.headers)
    assert refused.status_code == 422


def test_an_invalid_or_unknown_policy_is_refused(client, device):
    admin = device(ADMIN)
    bad = client.put("/v1/admin/policies/approval", json={"seller_bands": {SELLER: "platinum"}}, headers=admin.headers)
    assert bad.status_code == 422 and "platinum" in bad.json()["detail"]
    typo = client.put("/v1/admin/policies/credit", json={"block_overdue_dayz": 30}, headers=admin.headers)
    assert typo.status_code == 422 and "block_overdue_dayz" in typo.json()["detail"]
    assert client.put("/v1/admin/policies/pricing", json={}, headers=admin.headers).status_code == 404


def test_the_server_checks_quotes_with_the_policy_in_force(client, device):
    ana, admin = device(SELLER), device(ADMIN)
    before = make_quote(lines=[("GUA-NIT-09", "100", "12")])
    assert ana.push("save_quote", quote=before)["conflicts"] == ["fired_rules"]  # 12 % > standard 10 %
    client.put("/v1/admin/policies/approval", json={"seller_bands": {SELLER: "senior"}}, headers=admin.headers)
    after = make_quote(lines=[("GUA-NIT-09", "100", "12")])
    result = ana.push("save_quote", quote=after)  # 12 % ≤ senior 15 %
    assert result["status"] == "applied" and result["conflicts"] == []
    assert ana.latest("quote", after["id"])["fired_rules"] == []
