"""`terreno-server check`: a change log a company cannot sync from is found and set aside."""

import json
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from shared.models import Role
from shared.protocol import combine_checksums, record_checksum
from sync_server.cli import main
from sync_server.repository.database import write_transaction
from sync_server.repository.tables import ENTITY_TABLES, changes, quarantined_changes, records
from sync_server.services.change_check import unreadable_reason
from tests.sync_server.factories import make_customer, make_user, sign_in


def _seed(conn):
    make_user(conn, "ana.garcia")
    make_user(conn, "marta.jefa", role=Role.MANAGER)
    make_customer(conn, "C1", "ana.garcia")


def _push_visits(client, device, count: int) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    mutations = [
        {
            "id": n + 1,
            "name": "record_visit",
            "args": {
                "visit": {
                    "id": vid,
                    "customer_code": "C1",
                    "seller_login": "ana.garcia",
                    "checked_in_at": datetime.now(UTC).isoformat(),
                    "notes": f"visita {n}",
                }
            },
        }
        for n, vid in enumerate(ids)
    ]
    body = {"client_id": device["client_id"], "protocol_version": 3, "schema_version": 1, "mutations": mutations}
    response = client.post("/v1/sync/push", json=body, headers={"Authorization": f"Bearer {device['token']}"})
    assert all(r["status"] == "applied" for r in response.json()["results"]), response.text
    return ids


def _corrupt(app, visit_id: str, spoil) -> str:
    """What a server before bounded values could store, written straight into the log."""
    with write_transaction(app.state.engine) as conn:
        stored = conn.execute(sa.select(changes.c.data).where(changes.c.entity_id == visit_id)).scalar_one()
        data = spoil(stored)
        conn.execute(sa.update(changes).where(changes.c.entity_id == visit_id).values(data=data))
    return data


def _strict_pull(client, device) -> tuple[int, dict]:
    response = client.get(
        "/v1/sync/pull",
        params={"limit": 10000, "protocol_version": 3},
        headers={"Authorization": f"Bearer {device['token']}"},
    )

    def refuse(word):
        raise ValueError(word)

    try:
        return response.status_code, json.loads(response.content, parse_constant=refuse)
    except ValueError:
        return response.status_code, {}


def _a_tablet_takes_the_pull(client, device, folder) -> bool:
    """Whether the app decodes and stores the device's whole first pull."""
    from client.store import apply_pull_page, open_user_store
    from client.sync.pull_wire import decode_pull_page

    response = client.get(
        "/v1/sync/pull",
        params={"limit": 10000, "protocol_version": 3},
        headers={"Authorization": f"Bearer {device['token']}", "Accept-Encoding": "identity"},
    )
    store = open_user_store(folder, "device")
    try:
        apply_pull_page(store, decode_pull_page(response.content))
        return True
    except Exception:  # whatever the app meets: the point is that it cannot go on
        return False
    finally:
        store.close()


BAD_DATA = {
    "Infinity": lambda data: data.replace(
        '"location":null', '"location":{"latitude":1,"longitude":2,"accuracy_m":Infinity}'
    ),
    "NaN": lambda data: data.replace('"location":null', '"location":{"latitude":NaN,"longitude":2}'),
    "a list": lambda data: "[]",
    "a huge integer": lambda data: data.replace('"notes":"visita 0"', '"notes":' + "9" * 30),
    "cut short": lambda data: data[:25],
    "1e999": lambda data: data.replace('"location":null', '"location":{"latitude":1e999,"longitude":2}'),
    "a lone surrogate": lambda data: data.replace('"notes":"visita 0"', '"notes":"\\ud800"'),
}


@pytest.mark.parametrize("case", list(BAD_DATA), ids=list(BAD_DATA))
def test_an_unreadable_change_is_found_set_aside_and_the_team_syncs_again(
    client, seed, app, database_url, tmp_path, capsys, case
):
    seed(_seed)
    ana, marta = sign_in(client, "ana.garcia"), sign_in(client, "marta.jefa")
    bad, good = _push_visits(client, ana, 2)
    spoiled = _corrupt(app, bad, BAD_DATA[case])
    # The lock-out: neither the seller's tablet nor the manager's can take the page.
    for n, device in enumerate((ana, marta)):
        assert not _a_tablet_takes_the_pull(client, device, tmp_path / f"before-{n}")

    args = ["--database-url", database_url, "--data-dir", str(tmp_path)]
    assert main([*args, "check"]) == 1
    out = capsys.readouterr().out
    assert f"visit {bad} in activity:ana.garcia" in out and "1 change(s) no device can read" in out

    assert main([*args, "check", "--repair"]) == 0
    assert "Set aside 1 unreadable change(s)" in capsys.readouterr().out
    for n, device in enumerate((ana, marta)):
        assert _a_tablet_takes_the_pull(client, device, tmp_path / f"after-{n}")
        status, page = _strict_pull(client, device)
        assert status == 200 and page
        live = {c["id"] for c in page["changes"] if c["entity"] == "visit" and c["op"] == "put"}
        assert good in live and bad not in live
        with app.state.engine.connect() as conn:
            stored = conn.execute(
                sa.select(records.c.entity, records.c.entity_id, records.c.version, records.c.bucket)
            ).all()
        for bucket in page["checkpoint"]["buckets"]:
            mine = [r for r in stored if r.bucket == bucket["bucket"]]
            assert bucket["count"] == len(mine)
            assert bucket["checksum"] == combine_checksums(
                record_checksum(r.entity, r.entity_id, r.version) for r in mine
            )
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.select(ENTITY_TABLES["visit"].c.id)).scalars().all() == [good]
        kept = conn.execute(sa.select(quarantined_changes.c.entity_id, quarantined_changes.c.data)).all()
    assert [(k.entity_id, k.data) for k in kept] == [(bad, spoiled)]
    assert main([*args, "check"]) == 0
    assert "The change log is readable" in capsys.readouterr().out


def test_a_clean_change_log_is_reported_clean(client, seed, database_url, tmp_path, capsys):
    seed(_seed)
    _push_visits(client, sign_in(client, "ana.garcia"), 3)
    assert main(["--database-url", database_url, "--data-dir", str(tmp_path), "check"]) == 0
    assert "readable" in capsys.readouterr().out


@pytest.mark.parametrize(
    "op, data, unreadable",
    [
        ("put", '{"a":1}', False),
        ("put", '{"a":-9223372036854775808,"b":9223372036854775807}', False),
        ("put", '{"a":9223372036854775808}', True),
        ("put", '{"a":[1,{"b":-Infinity}]}', True),
        ("put", None, True),
        ("put", '"text"', True),
        ("put", '{"a":"\\u0000"}', False),  # a device stores it (SQLite keeps NUL in text)
        ("put", '{"a":1e999}', True),  # Python's json reads it as infinity; the app's decoder refuses it
        ("put", '{"a":"\\ud800"}', True),  # a lone surrogate
        ("put", '{"a":NaN}', True),
        ("delete", None, False),
        ("delete", '{"a":NaN}', True),  # a delete's data travels in the page too
        ("upsert", '{"a":1}', True),
    ],
)
def test_what_a_device_cannot_read(op, data, unreadable):
    assert (unreadable_reason(op, data) is not None) == unreadable
