"""Content coding of pull pages: which coding an Accept-Encoding gets, and that it decodes."""

import gzip

import pytest
import zstandard

from sync_server.api.compression import MIN_SIZE, choose_encoding, encode, encoded_response


@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, "identity"),
        ("", "identity"),
        ("identity", "identity"),
        ("gzip", "gzip"),
        ("gzip, deflate", "gzip"),
        ("gzip, deflate, zstd", "zstd"),  # what httpx sends with zstandard installed
        ("zstd", "zstd"),
        ("ZSTD", "zstd"),
        ("br, gzip;q=0.5, zstd;q=0.1", "zstd"),  # any weight above 0 accepts; zstd is cheaper on both ends
        ("zstd;q=0, gzip", "gzip"),
        ("zstd;q=0.0, gzip;q=0", "identity"),
        ("*", "zstd"),
        ("*;q=0", "identity"),
        ("*, zstd;q=0", "gzip"),
        ("gzip;q=oops", "identity"),  # an unreadable weight accepts nothing
        ("deflate, br", "identity"),
        (" gzip ; q=1 ", "gzip"),
    ],
)
def test_the_coding_chosen_for_an_accept_encoding(accept, expected):
    assert choose_encoding(accept) == expected


@pytest.mark.parametrize(
    "coding, decode",
    [
        ("zstd", lambda b: zstandard.ZstdDecompressor().decompress(b)),
        ("gzip", gzip.decompress),
        ("identity", lambda b: b),
    ],
)
def test_each_coding_decodes_to_the_same_body(coding, decode):
    body = ('{"changes":[' + ",".join(f'{{"seq":{i},"id":"Ñandú"}}' for i in range(500)) + "]}").encode()
    packed = encode(body, coding)
    assert decode(packed) == body
    if coding != "identity":
        assert len(packed) < len(body) / 4


def test_an_unknown_coding_is_refused():
    with pytest.raises(ValueError, match="br"):
        encode(b"{}", "br")


def test_a_small_body_goes_as_it_is():
    small = encoded_response(b"x" * (MIN_SIZE - 1), "zstd")
    large = encoded_response(b"x" * MIN_SIZE, "zstd")
    assert "content-encoding" not in small.headers and small.body == b"x" * (MIN_SIZE - 1)
    assert large.headers["content-encoding"] == "zstd" and large.headers["vary"] == "Accept-Encoding"
