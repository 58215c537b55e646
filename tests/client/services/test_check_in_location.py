"""A check-in keeps where the seller stood, and the server gets it with the next sync."""

import sqlalchemy as sa

from client.services.synchronization import sync_now
from client.services.visits import check_in
from shared.models import Location
from sync_server.repository.tables import ENTITY_TABLES
from tests.client.factories import table_rows


def _server_visits(server) -> list:
    with server.app.state.engine.connect() as conn:
        return list(conn.execute(sa.select(ENTITY_TABLES["visit"])))


def test_a_check_in_with_a_location_reaches_the_server(server, ana):
    here = Location(latitude=40.4168, longitude=-3.7038, accuracy_m=12.5)
    visit = check_in(ana, "C1", location=here)
    [local] = table_rows(ana.store, "visits")
    assert local["location"] is not None and visit.location == here

    assert sync_now(ana).pushed.rejected == 0
    [stored] = _server_visits(server)
    assert str(stored.id) == str(visit.id)
    assert Location.model_validate(stored.location) == here


def test_a_check_in_without_a_location_is_kept_without_one(server, ana):
    visit = check_in(ana, "C1", location=None)
    sync_now(ana)
    [stored] = _server_visits(server)
    assert (str(stored.id), stored.location) == (str(visit.id), None)
