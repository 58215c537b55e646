"""The bulk write path: the same bytes as the ordinary one, in less time."""

import json

import pytest

from shared.models import Stock
from sync_server.repository.bulk_records import _ENCODER, preparer
from sync_server.repository.changelog import canonical_json
from sync_server.repository.records import digest, typed_row


def test_the_fast_canonical_json_is_canonical_json_for_every_code_point():
    for start in range(0, 0x110000, 4096):
        text = "".join(chr(c) for c in range(start, start + 4096) if not 0xD800 <= c < 0xE000)
        data = {"b": text, "a": None, "c": True, "d": -12, "e": "1.50", "z": {"y": [1, "x"], "x": False}}
        assert _ENCODER.encode(data) == canonical_json(data).encode()


@pytest.mark.parametrize("on_hand", ["7.5", "0", "1234.567", "0.125"])
def test_a_prepared_record_is_what_the_ordinary_path_stores(on_hand):
    record = Stock(sku="P-001", warehouse_code="MAD", on_hand=on_hand, reserved="0", damaged="1")
    prepared = preparer("stock")(record, "stock:MAD")

    assert prepared.record_id == "P-001|MAD"
    assert prepared.bucket == "stock:MAD"
    assert json.loads(prepared.text) == record.to_data()
    assert prepared.text == canonical_json(record.to_data())
    assert prepared.digest == digest(record.to_data())
    row = typed_row(record)
    assert prepared.typed == tuple(str(v) if not isinstance(v, str) else v for v in row.values())
