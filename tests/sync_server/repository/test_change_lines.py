"""Change lines: the JSON the database writes for a pull page says what the change log holds."""

import json

import pytest

from shared.protocol import Change
from sync_server.repository.changelog import ChangeRow, append_changes, read_change_lines, read_changes

AWKWARD = [
    'C"9',
    "back\\slash",
    "Ñandú Güell",
    "tab\tnew\nline",
    "bell\x07 and \x1f",
    "emoji 🛠",
    "slash/ and <b>",
    "ünï\u2028code",
]


def _change_of(row) -> Change:
    return Change(
        seq=row.seq,
        bucket=row.bucket,
        entity=row.entity,
        id=row.entity_id,
        op=row.op,
        version=row.version,
        data=None if row.data is None else json.loads(row.data),
    )


@pytest.mark.parametrize("awkward", AWKWARD)
def test_a_line_parses_to_the_change_the_log_holds(engine, awkward):
    with engine.begin() as conn:
        append_changes(
            conn,
            [
                ChangeRow(
                    f"portfolio:{awkward}",
                    "customer",
                    awkward,
                    "put",
                    3,
                    {"legal_name": awkward, "lines": [{"sku": awkward, "qty": "1.50"}], "blocked": True, "n": 7},
                ),
                ChangeRow(f"portfolio:{awkward}", "customer", awkward, "delete", 4, None),
            ],
        )
    with engine.connect() as conn:
        expected = [_change_of(r) for r in read_changes(conn, [f"portfolio:{awkward}"], 0, 10)]
        lines = read_change_lines(conn, [f"portfolio:{awkward}"], 0, 10)
    assert [seq for seq, _ in lines] == [c.seq for c in expected]
    assert [Change.model_validate_json(line) for _, line in lines] == expected
    assert expected[1].data is None and b'"data":null' in lines[1][1]


def test_lines_follow_the_cursor_the_buckets_and_the_limit(engine):
    with engine.begin() as conn:
        append_changes(
            conn,
            [
                ChangeRow(bucket, "stock", f"{i}|{bucket}", "put", 1, {"on_hand": str(i)})
                for i in range(5)
                for bucket in ("stock:MAD", "stock:BCN", "stock:VLC")
            ],
        )
    with engine.connect() as conn:
        for after, limit in [(0, 100), (0, 4), (5, 3), (14, 10), (15, 10)]:
            expected = read_changes(conn, ["stock:MAD", "stock:VLC"], after, limit)
            lines = read_change_lines(conn, ["stock:MAD", "stock:VLC"], after, limit)
            assert [seq for seq, _ in lines] == [r.seq for r in expected]
            assert [json.loads(line)["id"] for _, line in lines] == [r.entity_id for r in expected]
