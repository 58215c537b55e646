"""Run only as on a tablet (`-p tests.tablet`, by tests/client/test_tablet_paths.py): each
module that has an accelerator chose the path without it, and that path does the work."""

import importlib
from pathlib import Path

import pytest

from client.services import quote_preview
from client.store import driver
from client.sync import SyncApi, content_coding, pull_wire
from shared.errors import DomainError
from shared.protocol import CATALOG_BUCKET, LoginRequest
from shared.rules import fuzzy, request_matching
from sync_server.repository.records import put_record
from tests.client.factories import make_product
from tests.client.servers import seed_north_team, serve_in_process
from tests.tablet import BLOCKED


@pytest.mark.parametrize("name", BLOCKED)
def test_the_accelerator_cannot_be_imported(name):
    with pytest.raises(ImportError):
        importlib.import_module(name)


def test_every_module_chose_its_path_without_the_accelerator():
    assert pull_wire.WIRE_DECODER == "pydantic"
    assert (content_coding.HAS_ZSTD, content_coding.ACCEPT_ENCODING) == (False, "gzip")
    assert fuzzy.BACKEND == "python" and request_matching.ratio is fuzzy.python_ratio
    assert quote_preview.PREVIEW_AVAILABLE is False
    assert driver.HAS_ENCRYPTION is False


def test_the_preview_says_this_build_has_none():
    with pytest.raises(DomainError) as caught:
        quote_preview.pdf_pages_as_png(b"%PDF-1.7")
    assert caught.value.key == "quote.preview_unavailable"


def _seed(conn) -> None:
    seed_north_team(conn)
    for n in range(40):  # pages over the server's 1 KiB compression threshold
        put_record(conn, make_product(f"P{n:03d}"), CATALOG_BUCKET)


def test_a_first_pull_asks_for_gzip_gets_it_and_decodes_it(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'server.db').as_posix()}"
    with serve_in_process(url, tmp_path, _seed) as server:
        seen: list[tuple[str, str]] = []
        server.event_hooks["response"].append(
            lambda r: seen.append((r.request.headers.get("accept-encoding", ""), r.headers.get("content-encoding", "")))
        )
        api = SyncApi("", http_client=server)
        api.token = api.login(LoginRequest(login="ana.garcia", password="secret-pass-1")).token
        page = api.pull(0, 1000)
        streamed = [p.decoded() for p in api.pull_stream(0, 20)]
    assert seen[1:] == [("gzip", "gzip"), ("gzip", "gzip")]
    skus = sorted(c.id for c in page.changes if c.entity == "product")
    assert len(skus) == 40 and [c.seq for p in streamed for c in p.changes] == [c.seq for c in page.changes]
    assert type(page.changes[0]).__module__ == "shared.protocol"  # the pydantic decoder's
