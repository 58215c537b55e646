"""Where a first sync's time goes, per row: each stage of a pull page timed in one process.

The same functions the server and the client run, called directly, page after page, with
nothing else in between (no HTTP, no event loop, no second process):

    server  read_page (the SQL of read_change_lines, which writes each change's JSON, with
            scope, cursor checks and checkpoint)  ·  the page's JSON  ·  zstd (as the pull
            stream sends it, one compressor for the stream)
    client  unzstd  ·  the page's place (StreamedPage.of)  ·  decode_pull_page (msgspec)
            ·  apply_pull_page

Stage sums are CPU-bound and single-threaded, so µs/row is comparable across runs far
better than the end-to-end wall time on a busy machine.
"""

import gc
import shutil
import time
from pathlib import Path

import zstandard
from sqlalchemy import select

from client.store import apply_pull_page, open_user_store
from client.sync.pull_wire import StreamedPage
from shared.models import Role
from shared.pull_stream import FrameReader, frame
from sync_server.api.compression import StreamEncoder
from sync_server.repository.database import make_engine, migrate
from sync_server.repository.tables import ENTITY_TABLES
from sync_server.services.auth import Principal
from sync_server.services.pull import read_page

STAGES = ("server_page", "server_json", "server_zstd", "client_unzstd", "client_place", "client_decode", "client_apply")


def page_breakdown(server_db: Path, login: str, work: Path, page_size: int, max_rows: int | None = None) -> dict:
    """Pull `login`'s scope from `server_db` page by page, timing each stage; µs per row."""
    engine = make_engine(f"sqlite:///{Path(server_db).resolve()}")
    migrate(engine)  # a cached database may predate the latest migration
    users = ENTITY_TABLES["user"]
    with engine.connect() as conn:
        user = conn.execute(select(users.c.role, users.c.team_code).where(users.c.login == login)).one()
    principal = Principal(login=login, role=Role(user.role), client_id="bench-breakdown", team_code=user.team_code)
    shutil.rmtree(work, ignore_errors=True)
    store = open_user_store(work, "breakdown")
    seconds = dict.fromkeys(STAGES, 0.0)
    rows = json_bytes = wire_bytes = 0
    cursor = 0
    encoder = StreamEncoder("zstd")
    unpacker = zstandard.ZstdDecompressor().decompressobj()
    reader = FrameReader()
    gc.freeze()  # as `pull_until_caught_up` does: full collections skip the objects made before
    try:
        while True:
            started = time.perf_counter()
            with engine.connect() as conn, conn.begin():
                page = read_page(conn, principal, cursor, page_size)
            seconds["server_page"] += time.perf_counter() - started
            started = time.perf_counter()
            body = page.to_json()
            seconds["server_json"] += time.perf_counter() - started
            started = time.perf_counter()
            packed = encoder.piece(frame(body))
            seconds["server_zstd"] += time.perf_counter() - started
            started = time.perf_counter()
            unpacked = unpacker.decompress(packed)
            seconds["client_unzstd"] += time.perf_counter() - started
            started = time.perf_counter()
            [streamed] = [StreamedPage.of(b) for b in reader.feed(unpacked)]
            seconds["client_place"] += time.perf_counter() - started
            started = time.perf_counter()
            received = streamed.decoded()
            seconds["client_decode"] += time.perf_counter() - started
            started = time.perf_counter()
            apply_pull_page(store, received)
            seconds["client_apply"] += time.perf_counter() - started
            rows += len(page.lines)
            json_bytes += len(body)
            wire_bytes += len(packed)
            cursor = page.cursor
            if not page.has_more or (max_rows and rows >= max_rows):
                break
    finally:
        gc.unfreeze()
        store.close()
        engine.dispose()
        shutil.rmtree(work, ignore_errors=True)
    per_row = {k: round(v / rows * 1e6, 1) for k, v in seconds.items()}
    server = sum(v for k, v in per_row.items() if k.startswith("server"))
    client = sum(v for k, v in per_row.items() if k.startswith("client"))
    return {
        "rows": rows,
        "page_size": page_size,
        "us_per_row": per_row,
        "server_us_per_row": round(server, 1),
        "client_us_per_row": round(client, 1),
        "rows_per_s_if_nothing_else": round(1e6 / (server + client)),
        "json_bytes_per_row": round(json_bytes / rows),
        "zstd_bytes_per_row": round(wire_bytes / rows, 1),
    }


__all__ = ["STAGES", "page_breakdown"]
