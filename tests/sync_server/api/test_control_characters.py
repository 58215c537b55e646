"""A control character in a request's text is the request's problem (4xx), never a 500 or a
503 that a device would retry forever (PostgreSQL refuses NUL in text)."""

import pytest

from tests.sync_server.factories import make_customer, make_user, sign_in


def _seed(conn):
    make_user(conn, "ana.garcia")
    make_customer(conn, "C1", "ana.garcia")


@pytest.mark.parametrize("device_name", ["Tablet\x00 7", "Tablet\x1b"])
def test_a_device_name_with_a_control_character_is_refused_at_sign_in(client, seed, device_name):
    seed(_seed)
    response = client.post(
        "/v1/auth/login", json={"login": "ana.garcia", "password": "secret-pass-1", "device_name": device_name}
    )
    assert response.status_code == 422 and "device_name" in response.json()["detail"], response.text


@pytest.mark.parametrize(
    "query", ["name=portfolio:ana.garcia&after=%00", "name=%00", "name=catalog&after=customer%7C%1F"]
)
def test_a_bucket_page_asked_with_a_control_character_is_refused(client, seed, query):
    seed(_seed)
    token = sign_in(client, "ana.garcia")["token"]
    response = client.get(f"/v1/sync/bucket?{query}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422 and response.json()["code"] == "validation_failed", response.text


def test_a_path_with_a_control_character_is_refused(client, seed):
    seed(_seed)
    token = sign_in(client, "ana.garcia")["token"]
    response = client.get("/v1/attachments/ab%00cd", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422, response.text


def test_ordinary_text_in_a_query_still_passes(client, seed):
    seed(_seed)
    token = sign_in(client, "ana.garcia")["token"]
    response = client.get(
        "/v1/sync/bucket?name=portfolio:ana.garcia&after=customer%7CC%C3%B1",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
