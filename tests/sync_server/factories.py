"""Factories for server tests: users and customers in a database, sign-in through the API."""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from starlette.testclient import TestClient

from shared.models import Customer, Role, Team, User, Warehouse
from shared.protocol import CATALOG_BUCKET, DIRECTORY_BUCKET, portfolio_bucket
from sync_server.repository.records import put_record
from sync_server.services.auth import set_password


def make_user(
    conn,
    login: str,
    role: Role = Role.SELLER,
    team: str = "NORTE",
    password: str = "secret-pass-1",
    warehouse: str = "MAD",
) -> User:
    """Store a user (with its team and warehouse) and its password."""
    put_record(conn, Team(code=team, name=f"Equipo {team}"), DIRECTORY_BUCKET)
    put_record(conn, Warehouse(code=warehouse, name=f"Almacén {warehouse}"), CATALOG_BUCKET)
    user = User(
        login=login,
        name=login.replace(".", " ").title(),
        role=role,
        team_code=team,
        home_warehouse=warehouse if role == Role.SELLER else None,
    )
    put_record(conn, user, DIRECTORY_BUCKET)
    set_password(conn, login, password)
    return user


def make_customer(conn, code: str, seller: str | None, **kw) -> Customer:
    """Store a customer in its seller's portfolio."""
    fields = dict(
        code=code,
        legal_name=f"Suministros Peñalara {code} S.L.",
        tax_id=f"B{code}",
        segment="oem",
        payment_terms="NET30",
        currency="EUR",
        seller_login=seller,
    )
    customer = Customer(**{**fields, **kw})
    put_record(conn, customer, portfolio_bucket(seller))
    return customer


def sign_in(client: TestClient, login: str, password: str = "secret-pass-1", **extra) -> dict:
    """Sign in through the API and return the LoginResponse JSON."""
    response = client.post("/v1/auth/login", json={"login": login, "password": password, **extra})
    assert response.status_code == 200, response.text
    return response.json()


@dataclass
class Device:
    """A signed-in device that pushes mutations with increasing ids, as the outbox does."""

    client: Any
    login: str
    session: dict[str, Any] = field(default_factory=dict)
    next_id: int = 1
    protocol_version: int = 1
    """1 answers a refusal with its English detail only; 3 adds the message key and values."""

    def __post_init__(self) -> None:
        self.session = sign_in(self.client, self.login)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.session['token']}"}

    def push(self, name: str, **args: Any) -> dict[str, Any]:
        """Push one mutation; returns its MutationResult JSON."""
        body = {
            "client_id": self.session["client_id"],
            "protocol_version": self.protocol_version,
            "schema_version": 1,
            "mutations": [{"id": self.next_id, "name": name, "args": args}],
        }
        response = self.client.post("/v1/sync/push", json=body, headers=self.headers)
        assert response.status_code == 200, response.text
        self.next_id += 1
        return response.json()["results"][0]

    def upload(self, data: bytes, content_type: str = "application/pdf") -> str:
        """Upload an attachment in one chunk through the API; returns its SHA-256."""
        sha = hashlib.sha256(data).hexdigest()
        response = self.client.put(
            f"/v1/attachments/{sha}",
            content=data,
            headers={
                **self.headers,
                "Content-Type": content_type,
                "Upload-Length": str(len(data)),
                "Upload-Offset": "0",
            },
        )
        assert response.status_code == 200, response.text
        return sha

    def pull_all(self) -> list[dict[str, Any]]:
        """Every change in the device's scope, from cursor 0."""
        changes, cursor = [], 0
        while True:
            page = self.client.get(
                "/v1/sync/pull", params={"cursor": cursor, "limit": 500}, headers=self.headers
            ).json()
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["has_more"]:
                return changes

    def latest(self, entity: str, record_id: str) -> dict[str, Any] | None:
        """The record's data as the device holds it after a full pull."""
        data = None
        for change in self.pull_all():
            if change["entity"] == entity and change["id"] == record_id:
                data = change["data"] if change["op"] == "put" else None
        return data
