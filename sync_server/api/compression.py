"""Content coding of large responses: zstd where the client takes it, else gzip.

A first sync moves every row a seller will hold, and compressing the pages is most of
what the server does for it after the query. zstd (RFC 8878) at level 3 is about eight
times cheaper than gzip at level 5 on pull pages and its output about a third smaller
(measured on bench/sync_breakdown.py's reference set): less CPU for the server, fewer
bytes on a mobile network. httpx asks for zstd when the `zstandard` package is
installed; a client without it gets gzip, and one that takes neither gets plain JSON.

Routes that build their body themselves (the pull) use `encoded_response`, and the pull
stream a `StreamEncoder`, flushed after each page so the device can decode it at once;
every other response is left to the app's GZipMiddleware, which does not touch a response
that already carries a Content-Encoding.
"""

import zlib
from typing import Any

import zstandard
from fastapi import Response

MIN_SIZE = 1024
"""Below this many bytes a body goes as it is: the frame would cost more than it saves."""

ZSTD_LEVEL = 3
GZIP_LEVEL = 5

_PREFERENCE = ("zstd", "gzip")


def choose_encoding(accept_encoding: str | None) -> str:
    """The content coding to answer with for this Accept-Encoding: zstd, gzip or identity.

    Codings with q=0 are refused (RFC 9110 §12.5.3); among the rest zstd goes first, then
    gzip, whatever order or weights the client gave: both decode everywhere it matters,
    and zstd is cheaper on both ends.
    """
    accepted: dict[str, float] = {}
    for item in (accept_encoding or "").split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0  # a weight nobody can read accepts nothing
        accepted[name] = weight
    for coding in _PREFERENCE:
        weight = accepted[coding] if coding in accepted else accepted.get("*", 0.0)
        if weight > 0:
            return coding
    return "identity"


def encode(body: bytes, coding: str) -> bytes:
    """`body` in `coding` (zstd, gzip or identity)."""
    if coding == "zstd":
        # A compressor per call: they are not safe to share between the threadpool's threads.
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(body)
    if coding == "gzip":
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # wbits 31: a gzip member
        return packer.compress(body) + packer.flush()
    if coding == "identity":
        return body
    raise ValueError(f"unknown content coding: {coding!r}")


class StreamEncoder:
    """Compresses a response written in pieces; each `piece` comes out whole-decodable.

    One compressor for the whole stream, so later pages are compressed against the
    earlier ones (pages of one table repeat their field names and codes).
    """

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._packer: Any = None  # a zstd or a zlib compressor: both compress and flush
        if coding == "zstd":
            self._packer = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()
        elif coding == "gzip":
            self._packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
        elif coding != "identity":
            raise ValueError(f"unknown content coding: {coding!r}")

    def piece(self, data: bytes) -> bytes:
        """`data` compressed and flushed: the bytes so far decode to everything written so far."""
        if self.coding == "zstd":
            return self._packer.compress(data) + self._packer.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
        if self.coding == "gzip":
            return self._packer.compress(data) + self._packer.flush(zlib.Z_SYNC_FLUSH)
        return data

    def end(self) -> bytes:
        """The bytes that close the stream's compressed frame."""
        return b"" if self.coding == "identity" else self._packer.flush()


def encoded_response(body: bytes, accept_encoding: str | None, media_type: str = "application/json") -> Response:
    """A response carrying `body` compressed as the client accepts (small bodies as they are)."""
    coding = choose_encoding(accept_encoding) if len(body) >= MIN_SIZE else "identity"
    headers = {"Vary": "Accept-Encoding"}
    if coding != "identity":
        headers["Content-Encoding"] = coding
    return Response(encode(body, coding), media_type=media_type, headers=headers)


__all__ = ["GZIP_LEVEL", "MIN_SIZE", "ZSTD_LEVEL", "StreamEncoder", "choose_encoding", "encode", "encoded_response"]
