"""A push's read of a customer's seller and a record's stored state, in one statement, agrees
with the two reads it replaces, for every combination of what exists."""

import pytest

from shared.models import Visit
from shared.protocol import activity_bucket
from sync_server.repository.database import read_transaction, write_transaction
from sync_server.repository.directory import customer_seller
from sync_server.repository.push_reads import customer_and_state
from sync_server.repository.records import put_record, stored_state
from tests.sync_server.factories import make_customer, make_user

VISIT_ID = "6a1d2c4e-0000-4000-8000-000000000001"


@pytest.fixture
def stored(engine):
    with write_transaction(engine) as conn:
        make_user(conn, "ana.ruiz")
        make_customer(conn, "C1", "ana.ruiz")
        make_customer(conn, "C2", None)
        visit = Visit(id=VISIT_ID, customer_code="C1", seller_login="ana.ruiz", notes="Pedido de juntas")
        put_record(conn, visit, activity_bucket("ana.ruiz"))
    return engine


@pytest.mark.parametrize(
    ("customer", "record_id", "expected_customer", "record_stored"),
    [
        ("C1", VISIT_ID, (True, "ana.ruiz"), True),
        ("C1", "6a1d2c4e-0000-4000-8000-0000000000ff", (True, "ana.ruiz"), False),
        ("C2", VISIT_ID, (True, None), True),  # a customer without a seller
        ("NOPE", VISIT_ID, (False, None), True),
        ("NOPE", "6a1d2c4e-0000-4000-8000-0000000000ff", (False, None), False),
    ],
)
def test_one_read_agrees_with_the_two_it_replaces(stored, customer, record_id, expected_customer, record_stored):
    with read_transaction(stored) as conn:
        read = customer_and_state(conn, customer, Visit.ENTITY, record_id)
        assert (read.customer_exists, read.seller_login) == customer_seller(conn, customer) == expected_customer
        assert read.state == stored_state(conn, Visit.ENTITY, record_id)
        assert (read.state is not None) == record_stored
