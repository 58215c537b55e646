"""Where a first sync's time goes, per row: each stage of a pull page timed in one process.

The same functions the server and the client run, called directly, page after page, with
nothing else in between (no HTTP, no event loop, no second process):

    server  read_changes (the SQL)  ·  the rest of `pull` (stored JSON decoded, Change
            models built, checkpoint)  ·  PullResponse to JSON (as FastAPI does it)  ·
            gzip (level 5, as the GZipMiddleware)
    client  gunzip  ·  decode_pull_page (msgspec)  ·  apply_pull_page

Stage sums are CPU-bound and single-threaded, so µs/row is comparable across runs far
better than the end-to-end wall time on a busy machine.
"""

import gc
import shutil
import time
import zlib
from pathlib import Path

from sqlalchemy import select

from client.store import apply_pull_page, open_user_store
from client.sync.pull_wire import decode_pull_page
from shared.models import Role
from sync_server.repository.changelog import read_changes
from sync_server.repository.database import make_engine, migrate
from sync_server.repository.tables import ENTITY_TABLES
from sync_server.services.auth import Principal
from sync_server.services.pull import read_page
from sync_server.services.scope import buckets_for

STAGES = ("server_sql", "server_pull_rest", "server_to_json", "server_gzip", "client_gunzip", "client_parse",
          "client_apply")


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
    rows = json_bytes = gzip_bytes = 0
    cursor = 0
    gc.freeze()  # as `pull_until_caught_up` does: full collections skip the objects made before
    try:
        while True:
            with engine.connect() as conn, conn.begin():
                buckets = buckets_for(conn, principal)
                started = time.perf_counter()
                read_changes(conn, buckets, cursor, page_size + 1)
                seconds["server_sql"] += time.perf_counter() - started
                started = time.perf_counter()
                page = read_page(conn, principal, cursor, page_size)
                # `read_page` runs the same query again: its time is taken out of the rest below.
                seconds["server_pull_rest"] += time.perf_counter() - started
            started = time.perf_counter()
            body = page.to_json()  # what the route sends: stored JSON spliced in
            seconds["server_to_json"] += time.perf_counter() - started
            started = time.perf_counter()
            packer = zlib.compressobj(5, zlib.DEFLATED, 31)
            packed = packer.compress(body) + packer.flush()
            seconds["server_gzip"] += time.perf_counter() - started
            started = time.perf_counter()
            unpacked = zlib.decompress(packed, 47)
            seconds["client_gunzip"] += time.perf_counter() - started
            started = time.perf_counter()
            received = decode_pull_page(unpacked)
            seconds["client_parse"] += time.perf_counter() - started
            started = time.perf_counter()
            apply_pull_page(store, received)
            seconds["client_apply"] += time.perf_counter() - started
            rows += len(page.rows)
            json_bytes += len(body)
            gzip_bytes += len(packed)
            cursor = page.cursor
            if not page.has_more or (max_rows and rows >= max_rows):
                break
    finally:
        gc.unfreeze()
        store.close()
        engine.dispose()
        shutil.rmtree(work, ignore_errors=True)
    seconds["server_pull_rest"] -= seconds["server_sql"]
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
        "gzip_bytes_per_row": round(gzip_bytes / rows, 1),
    }


__all__ = ["STAGES", "page_breakdown"]
