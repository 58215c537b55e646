"""Regressions for what schemathesis found (tests/sync_server/api/test_schemathesis.py):
each was a failing test first, then fixed in the server."""

import re

import jsonschema_rs
import pytest

from shared.models.types import LOGIN_PATTERN, TEXT_PATTERN
from shared.rules.approval_decisions import needs_note
from tests.sync_server.factories import make_user, sign_in


@pytest.mark.parametrize("body", [b"\xff", b'{"login": "\xe9"}', b"\x00\x01"])
@pytest.mark.parametrize("path", ["/v1/auth/login", "/v1/auth/password"])
def test_a_body_that_is_not_utf8_json_is_invalid_data_like_any_other(client, seed, path, body):
    # FastAPI answered a body it could not decode with a bare 400 that no route declares.
    seed(lambda conn: make_user(conn, "ana.garcia"))
    token = sign_in(client, "ana.garcia")["token"]
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_failed" and "JSON" in problem["detail"], problem


@pytest.fixture
def document(client) -> dict:
    return client.get("/openapi.json").json()


def test_the_login_rule_is_in_the_schema(document):
    # pydantic dropped the pattern behind the login's normalising validator: sign-ins the
    # schema called valid were refused with 422.
    login = document["components"]["schemas"]["LoginRequest"]["properties"]["login"]
    assert login["pattern"] == LOGIN_PATTERN


def test_every_free_text_in_a_url_says_what_the_control_character_guard_refuses(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] not in ("path", "query"):
                    continue
                schema = parameter["schema"]
                for each in schema.get("anyOf", [schema]):
                    if each.get("type") == "string":
                        assert {"pattern", "enum", "format"} & set(each), (method, path, parameter["name"])


def test_an_attachment_chunk_declares_its_headers_and_body(document):
    put = document["paths"]["/v1/attachments/{sha256}"]["put"]
    headers = {p["name"]: p for p in put["parameters"] if p["in"] == "header"}
    assert headers["content-type"]["required"] and "application/pdf" in headers["content-type"]["schema"]["enum"]
    assert headers["upload-length"]["schema"]["minimum"] == 1 and headers["upload-offset"]["schema"]["minimum"] == 0
    assert "application/pdf" in put["requestBody"]["content"]
    sha = next(p for p in put["parameters"] if p["name"] == "sha256")
    assert sha["schema"]["pattern"] == "^[0-9a-fA-F]{64}$"


def test_a_policy_is_named_and_shaped_in_the_schema(document):
    put = document["paths"]["/v1/admin/policies/{name}"]["put"]
    assert put["parameters"][0]["schema"]["enum"] == ["approval", "credit", "device", "email", "retention"]
    shapes = put["requestBody"]["content"]["application/json"]["schema"]["anyOf"]
    assert {s["$ref"].rsplit("/", 1)[1] for s in shapes} == {
        "ApprovalPolicy",
        "CreditPolicy",
        "DevicePolicy",
        "EmailPolicy",
        "RetentionPolicy",
    }
    assert {"ApprovalPolicy", "CreditPolicy", "DevicePolicy", "EmailPolicy", "RetentionPolicy"} <= set(
        document["components"]["schemas"]
    )


@pytest.mark.parametrize(
    ("decision", "valid"),
    [
        ({"decision": "approved"}, True),
        ({"decision": "rejected", "comment": "Margen bajo"}, True),
        ({"decision": "rejected"}, False),
        ({"decision": "rejected", "comment": "   "}, False),
    ],
)
def test_a_rejection_needs_a_note_in_the_schema_as_on_the_server(document, decision, valid):
    schema = {**document["components"]["schemas"]["DecisionCreate"], "components": document["components"]}
    errors = list(jsonschema_rs.Draft202012Validator(schema).iter_errors(decision))
    assert (not errors) == valid, errors
    assert needs_note(decision["decision"], decision.get("comment", "")) == (not valid)


def test_text_fields_say_which_characters_they_refuse(document):
    # A decision's note with a control character passed the route's model and was refused
    # deeper down, with a pydantic dump as its detail; the schema said any text would do.
    comment = document["components"]["schemas"]["DecisionCreate"]["properties"]["comment"]
    assert comment["pattern"] == TEXT_PATTERN
    quote_line = document["components"]["schemas"]["QuoteLine"]["properties"]
    assert any(p.get("pattern") == TEXT_PATTERN for p in quote_line.values()), quote_line


def test_a_code_in_a_url_says_it_holds_no_control_character(document, client, seed):
    # GET /v1/customers/{code}/drafts declared any code without blanks; the guard refused one
    # with a control character that the schema allowed.
    [parameter] = document["paths"]["/v1/customers/{customer_code}/drafts"]["get"]["parameters"]
    pattern = re.compile(parameter["schema"]["pattern"])
    assert pattern.fullmatch("C-0042") and not pattern.fullmatch("C\x01") and not pattern.fullmatch("C\u202e1")
