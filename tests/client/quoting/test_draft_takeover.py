"""A customer moved to a colleague: the old seller's draft stays readable on her device, and
the new seller takes it over from hers (the real server in-process)."""

from decimal import Decimal

import pytest

from client.services.draft_takeover import colleague_drafts, take_over_draft
from client.services.quote_reading import get_quote, quote_trail
from client.services.quoting import save_quote
from client.services.synchronization import sync_now
from client.sync.errors import Offline
from shared.errors import OutOfScope
from shared.models import Customer
from shared.protocol import portfolio_bucket
from sync_server.repository.database import write_transaction
from sync_server.repository.records import put_record
from sync_server.services.mutations.base import current_data
from tests.client.quoting.world import Wire, quote_draft, seller_session

CARLA = "carla.sur"


def _move_c1_to_carla(server) -> None:
    with write_transaction(server.app.state.engine) as conn:
        _version, data = current_data(conn, "customer", "C1")
        put_record(conn, Customer.model_validate({**data, "seller_login": CARLA}), portfolio_bucket(CARLA))


def test_the_new_seller_takes_over_the_old_sellers_draft_as_her_own_quote(server, ana, tmp_path):
    left = save_quote(ana, quote_draft(ana, ("GUA-NIT-09", 40, 5), ("TAL-18V-BL", 1, 0)))
    sync_now(ana)
    _move_c1_to_carla(server)
    sync_now(ana)
    assert quote_trail(ana, left.id).customer_moved  # Ana's copy: readable, says why
    with pytest.raises(OutOfScope):
        colleague_drafts(ana, "C1")
    wire = Wire(server)
    carla = seller_session(server, tmp_path, wire, login=CARLA)
    [offered] = colleague_drafts(carla, "C1")
    assert (offered.id, offered.seller_login, offered.number) == (left.id, "ana.garcia", left.number)
    mine = take_over_draft(carla, offered)
    assert mine.seller_login == CARLA and mine.version == 1 and mine.status == "draft"
    assert mine.number.startswith(carla.quote_prefix) and mine.number != left.number
    assert [(line.sku, line.quantity, line.discount_percent) for line in mine.lines] == [
        ("GUA-NIT-09", Decimal(40), Decimal(5)),
        ("TAL-18V-BL", Decimal(1), Decimal(0)),
    ]
    sync_now(carla)
    assert get_quote(carla, mine.id).status == "draft"
    assert colleague_drafts(carla, "C1") == []  # taken over once
    with write_transaction(server.app.state.engine) as conn:
        assert current_data(conn, "quote", str(mine.id))[1]["seller_login"] == CARLA
    wire.down = True
    with pytest.raises(Offline):
        colleague_drafts(carla, "C1")
