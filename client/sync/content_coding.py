"""Which compressed answers the app asks the server for: zstd where it can decode it, else gzip.

Chosen once, at import. The server compresses pull pages and the pull stream as the request's
Accept-Encoding allows (sync_server/api/compression.py: zstd first, then gzip). httpx decodes
zstd only with the `zstandard` wheel, which a tablet build does not list (docs/mobile.md); gzip
is in every Python's standard library. Saying so explicitly, rather than leaving it to httpx's
own default, keeps the choice in one place the tests can see (tests/client/test_tablet_paths.py).
"""

try:
    import zstandard  # noqa: F401  # only whether it imports: httpx decodes zstd with it
except ImportError:  # Android, iOS: no zstandard in the build
    HAS_ZSTD = False
else:
    HAS_ZSTD = True

ACCEPT_ENCODING = "zstd, gzip" if HAS_ZSTD else "gzip"
"""The Accept-Encoding of every request the sync client sends."""

__all__ = ["ACCEPT_ENCODING", "HAS_ZSTD"]
