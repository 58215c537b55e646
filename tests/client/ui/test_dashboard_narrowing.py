"""The dashboard's Segment and Category filters: the figures the server narrows, kept for
offline, and what the manager reads when it cannot be reached."""

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from client.i18n import Translator
from client.services.dashboard import Narrowed, kept_snapshot, narrowed_snapshot
from client.ui.dashboard_view import DashboardView
from shared.rules.metric_filters import MetricFilter
from sync_server.repository.database import make_engine, write_transaction
from sync_server.repository.metric_filter_reads import filter_choices
from sync_server.services.metric_filtered import filtered_snapshot
from sync_server.services.metrics import snapshot_for
from tests.client.ui.test_dashboard_view import _value
from tests.servers import new_sqlite_database
from tests.sync_server.metrics_dataset import NOW, TEAM, seed_metrics


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory) -> dict[str, dict]:
    """The hand-built team's whole snapshot (with its choices) and its retail one."""
    path = tmp_path_factory.mktemp("metrics") / "server.db"
    new_sqlite_database(path)
    engine = make_engine(f"sqlite:///{path.as_posix()}")
    with write_transaction(engine) as conn:
        seed_metrics(conn)
    with engine.connect() as conn:
        found = {
            "whole": snapshot_for(conn, TEAM, NOW, "EUR") | {"choices": filter_choices(conn, TEAM)},
            "retail": filtered_snapshot(conn, TEAM, NOW, "EUR", MetricFilter("retail")),
        }
    engine.dispose()
    return found


def _view(whole: dict[str, Any], answer: Narrowed, language: str = "es") -> DashboardView:
    asked: list[tuple] = []

    async def call(service, *args):
        if service is kept_snapshot:
            return whole
        assert service is narrowed_snapshot
        asked.append(args[1:])
        return answer

    ctx = SimpleNamespace(t=Translator(language), session=None, call=call, refresh=lambda: None, asked=asked)
    view = DashboardView(ctx)  # type: ignore[arg-type]
    view.build()
    asyncio.run(view.load())
    return view


def test_a_segment_narrows_the_figures_and_every_segment_brings_them_back(snapshots):
    view = _view(snapshots["whole"], Narrowed(snapshots["retail"], fresh=True), "en")
    assert view.narrow_box.visible
    assert [o.key for o in view.segment.options] == ["all", "oem", "retail"]
    assert [(o.key, o.text) for o in view.category.options] == [
        ("all", "All categories"), ("CABLE", "Cable"), ("GLOVES", "Gloves"),
    ]  # fmt: skip
    assert _value(view, "quotes") == "4"
    view.segment.value = "retail"
    asyncio.run(view._narrow())
    assert view.ctx.asked == [("retail", None)]
    assert _value(view, "quotes") == "1"
    assert view.narrow_note.visible and "Leads have no segment" in view.narrow_status.value
    view.segment.value = "all"
    asyncio.run(view._narrow())
    assert _value(view, "quotes") == "4" and not view.narrow_note.visible
    assert view.ctx.asked == [("retail", None)]  # the whole figures are the device's own


def test_offline_the_kept_narrowed_figures_show_and_say_so(snapshots):
    view = _view(snapshots["whole"], Narrowed(snapshots["retail"], fresh=False))
    view.segment.value = "retail"
    asyncio.run(view._narrow())
    assert _value(view, "quotes") == "1"
    assert view.narrow_status.value.startswith("Sin conexión")


def test_offline_a_filter_never_looked_at_says_it_needs_the_server(snapshots):
    view = _view(snapshots["whole"], Narrowed(None, fresh=False))
    view.category.value = "GLOVES"
    asyncio.run(view._narrow())
    assert view.tiles.controls == [] and view.narrow_box.visible
    assert "conéctate" in view.narrow_status.value
