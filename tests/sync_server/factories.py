"""Factories for server tests: users and customers in a database, sign-in through the API."""

from starlette.testclient import TestClient

from shared.models import Customer, Role, Team, User, Warehouse
from shared.protocol import CATALOG_BUCKET, DIRECTORY_BUCKET, portfolio_bucket
from sync_server.repository.records import put_record
from sync_server.services.auth import set_password


def make_user(
    conn, login: str, role: Role = Role.SELLER, team: str = "NORTE", password: str = "secret-1", warehouse: str = "MAD"
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


def sign_in(client: TestClient, login: str, password: str = "secret-1", **extra) -> dict:
    """Sign in through the API and return the LoginResponse JSON."""
    response = client.post("/v1/auth/login", json={"login": login, "password": password, **extra})
    assert response.status_code == 200, response.text
    return response.json()
