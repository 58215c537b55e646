"""A first sync by the real client, in a process of its own so its peak memory is its own.

    python -m bench.sync_client --server URL --data-dir DIR --login L [--page-size N] [--no-gzip]
    python -m bench.tablet_client ...   the same with the accelerators blocked, as on a tablet

Signs in (not timed), pulls until caught up with `pull_until_caught_up` (a pull stream,
as the app does) and prints one JSON line: rows, seconds, where the client's time went
and the process's memory high-water mark. Pages are fetched and decoded on a worker thread
while the current one is applied, so the split has two views: the applying thread's wall
time (applying, decoding a streamed page, or standing still waiting for one) and the
fetching thread's time (waiting for bytes, unpacking: decompressing, cutting frames,
reading each page's place), which overlaps the first.
"""

import argparse
import json
import resource
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from client.services.session import sign_in
from client.settings import ClientSettings
from client.store import ENTITY_TABLES
from client.sync import SyncApi, content_coding, pull_until_caught_up
from client.sync.pull_wire import WIRE_DECODER, PulledPage


class TimedTransport(httpx.BaseTransport):
    """HTTP transport that times each exchange up to its last (still compressed) byte.

    The body is timed as it is read, chunk by chunk, so a pull stream still streams: only
    the time spent waiting for bytes counts, not what the reader does between chunks.
    """

    def __init__(self, accept_encoding: str | None = None) -> None:
        self._inner = httpx.HTTPTransport()
        self._accept_encoding = accept_encoding
        self.seconds = 0.0
        self.wire_bytes = 0
        self.requests = 0
        self.content_encodings: set[str] = set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._accept_encoding:  # --no-gzip: over the app's own Accept-Encoding
            request.headers["Accept-Encoding"] = self._accept_encoding
        started = time.perf_counter()
        response = self._inner.handle_request(request)
        self.seconds += time.perf_counter() - started
        self.requests += 1
        self.content_encodings.add(response.headers.get("content-encoding", "identity"))
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_TimedStream(self, response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._inner.close()


class _TimedStream(httpx.SyncByteStream):
    def __init__(self, owner: TimedTransport, inner: httpx.SyncByteStream) -> None:
        self._owner, self._inner = owner, inner

    def __iter__(self):
        chunks = iter(self._inner)
        while True:
            started = time.perf_counter()
            chunk = next(chunks, None)
            self._owner.seconds += time.perf_counter() - started
            if chunk is None:
                return
            self._owner.wire_bytes += len(chunk)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class TimedPullApi:
    """`PullApi` that times the fetching thread's work: each pull, or each page of a stream
    (transport, decompressing, decoding), whatever thread it runs on."""

    def __init__(self, api: SyncApi) -> None:
        self._api = api
        self.seconds = 0.0

    def pull(
        self, cursor: int, limit: int, *, epoch: str | None = None, with_total: bool = False, floor: int | None = None
    ) -> PulledPage:
        started = time.perf_counter()
        try:
            return self._api.pull(cursor, limit, epoch=epoch, with_total=with_total, floor=floor)
        finally:
            self.seconds += time.perf_counter() - started

    def pull_stream(
        self, cursor: int, limit: int, *, epoch: str | None = None, with_total: bool = False, floor: int | None = None
    ) -> Iterator[PulledPage]:
        pages = self._api.pull_stream(cursor, limit, epoch=epoch, with_total=with_total, floor=floor)
        try:
            while True:
                started = time.perf_counter()
                page = next(pages, None)
                self.seconds += time.perf_counter() - started
                if page is None:
                    return
                yield page
        finally:
            pages.close()


def _max_rss_mib() -> float:
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over an exec, so a child
    # started by a big parent would report the parent's size at fork as its own peak.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: KiB


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _table_rows(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ENTITY_TABLES.values()}
    finally:
        conn.close()


def initial_sync(server: str, data_dir: Path, login: str, password: str, page_size: int, gzip: bool) -> dict:
    """Sign in, then pull everything in scope into a fresh store; the figures as a dict."""
    transport = TimedTransport(None if gzip else "identity")
    http = httpx.Client(base_url=server, transport=transport, timeout=httpx.Timeout(300, connect=10))
    api = SyncApi(server, http_client=http)
    # A plain SQLite store, as on a tablet and as the raw baseline: the baseline reads it with
    # sqlite3 (a desktop's SQLCipher store, docs/security.md, is not measured here).
    settings = ClientSettings(data_dir=data_dir, server_url=server, pull_page_size=page_size, encrypt_database=False)
    session = sign_in(settings, login, password, "bench", api=api)
    transport.seconds = transport.wire_bytes = transport.requests = 0
    transport.content_encodings.clear()
    rss_before = _max_rss_mib()
    cpu_before = _cpu_seconds()
    timed = TimedPullApi(api)
    started = time.perf_counter()
    result = pull_until_caught_up(session.store, timed, page_size=page_size)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    peak = _max_rss_mib()
    path = session.store.path
    session.store.close()
    http.close()
    rows = _table_rows(path)
    return {
        "rows": sum(rows.values()),
        "changes": result.changes,
        "pages": result.pages,
        "page_size": page_size,
        "gzip": gzip,
        "wire_decoder": WIRE_DECODER,
        "accept_encoding": content_coding.ACCEPT_ENCODING if gzip else "identity",
        "content_encodings": sorted(transport.content_encodings),
        "seconds": round(seconds, 3),
        "rows_per_s": round(result.changes / seconds),
        "split_seconds": {
            "applying": round(seconds - result.waited_seconds - result.decoding_seconds, 3),
            "decoding": round(result.decoding_seconds, 3),
            "waiting_for_pages": round(result.waited_seconds, 3),
        },
        "fetch_thread_seconds": {
            "server_and_wire": round(transport.seconds, 3),
            "unpacking": round(timed.seconds - transport.seconds, 3),
        },
        "wire_mib": round(transport.wire_bytes / 2**20, 1),
        "client_cpu_seconds": round(cpu, 2),
        "client_rss_before_pull_mib": round(rss_before),
        "client_peak_rss_mib": round(peak),
        "client_pull_rss_growth_mib": round(peak - rss_before),
        "database_mib": round(path.stat().st_size / 2**20, 1),
        "table_rows": {t: n for t, n in rows.items() if n},
        "store_path": str(path),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--login", required=True)
    parser.add_argument("--password", default="terreno-demo")
    parser.add_argument("--page-size", type=int, default=ClientSettings.model_fields["pull_page_size"].default)
    parser.add_argument("--no-gzip", action="store_true")
    args = parser.parse_args(argv)
    figures = initial_sync(args.server, args.data_dir, args.login, args.password, args.page_size, not args.no_gzip)
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
