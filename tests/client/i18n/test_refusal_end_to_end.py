"""A change the real server refuses reaches the seller in Spanish: push → sync_issues → words.

Runs on both server backends (the shared `database_url` fixture: SQLite and PostgreSQL).
"""

import json
from pathlib import Path

import httpx
import sqlalchemy as sa

from client.i18n import Translator
from client.services.field_work import record_visit
from client.services.session import sign_in, sign_out
from client.services.synchronization import sync_now
from client.services.today import AlertKind, today_agenda
from client.settings import ClientSettings
from client.store.issues import list_issues
from client.sync import SyncApi
from client.ui.wording import describe_refusal
from sync_server.repository.tables import mutations
from tests.client.factories import make_visit
from tests.client.servers import seed_north_team, serve_in_process


def test_an_out_of_scope_visit_is_refused_in_the_sellers_language(database_url, tmp_path: Path):
    with serve_in_process(database_url, tmp_path, seed_north_team) as server:
        http = httpx.Client(base_url="http://testserver", transport=server._transport)
        ana = sign_in(
            ClientSettings(data_dir=tmp_path / "ana"), "ana.garcia", "secret-pass-1", api=SyncApi("", http_client=http)
        )
        sync_now(ana)
        record_visit(ana, make_visit("C2"))  # Bruno's customer: out of Ana's portfolio
        assert sync_now(ana).pushed.rejected == 1

        with ana.store.read() as db:
            [issue] = list_issues(db)
        assert (issue.code, issue.key, issue.params) == (
            "out_of_scope",
            "problem.customer.out_of_scope",
            {"customer": "C2"},
        )
        assert describe_refusal(Translator("es"), issue.code, issue.key, issue.params, issue.detail) == (
            "El cliente C2 no está (ya) en tu cartera."
        )
        assert describe_refusal(Translator("en"), issue.code, issue.key, issue.params, issue.detail) == (
            "Customer C2 is not in your portfolio (any more)."
        )
        assert issue.detail == "customer C2 is not in your portfolio"  # the server's English stays for support
        [alert] = [a for a in today_agenda(ana).alerts if a.kind == AlertKind.SYNC_REJECTED]  # Today says it too
        assert describe_refusal(Translator("es"), alert.code, alert.key, alert.params, alert.detail) == (
            "El cliente C2 no está (ya) en tu cartera."
        )

        # A re-push after a lost answer gets the stored result: it keeps the words' key too.
        with server.app.state.engine.connect() as conn:
            stored = json.loads(conn.execute(sa.select(mutations.c.result)).scalar_one())
        assert (stored["key"], stored["params"]) == ("problem.customer.out_of_scope", {"customer": "C2"})
        sign_out(ana)
