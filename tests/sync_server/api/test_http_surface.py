"""The HTTP surface: Allow on 405, no-store and nosniff, the OpenAPI document, offline docs."""

import pytest

from sync_server.services.authorization import ROUTES, Caller


def test_a_wrong_method_gets_405_with_allow(client):
    response = client.delete("/v1/sync/push")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST" and response.headers["Terreno-Problem"] == "http_405"


def test_api_answers_are_never_stored_and_never_sniffed(client):
    for response in (client.get("/v1/health"), client.get("/v1/sync/pull"), client.post("/v1/auth/login", json={})):
        assert response.headers["Cache-Control"] == "no-store", response.url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/openapi.json").headers["X-Content-Type-Options"] == "nosniff"


def test_the_openapi_document_declares_every_status_and_the_push_body(client):
    document = client.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            caller = ROUTES[(method.upper(), path)]
            assert {"413", "422", "431", "500"} <= declared, (method, path)
            if caller != Caller.ANYONE:
                assert "401" in declared, (method, path)
            if caller in (Caller.MANAGER, Caller.ADMIN):
                assert "403" in declared, (method, path)
            for status, response in operation["responses"].items():
                if status >= "400":
                    assert "application/problem+json" in response["content"], (method, path, status)
    push = document["paths"]["/v1/sync/push"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert push == {"$ref": "#/components/schemas/PushRequest"}
    schemas = document["components"]["schemas"]
    assert {"PushRequest", "Mutation", "Problem"} <= set(schemas)
    assert schemas["PushRequest"]["properties"]["mutations"]["items"] == {"$ref": "#/components/schemas/Mutation"}


def test_the_docs_load_without_the_internet(client):
    pytest.importorskip("fastapi_offline", reason="fastapi-offline==1.7.7 is the pinned dependency")
    page = client.get("/docs").text
    assert "cdn.jsdelivr.net" not in page and "/static-offline-docs/swagger-ui-bundle.js" in page
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
