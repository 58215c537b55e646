"""The dashboard's Team filter: shown only when several teams are in view, it narrows the
figures, the sellers to pick from and the records behind a number, from the kept snapshot."""

import asyncio
import copy
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from client.i18n import Translator
from client.services.dashboard import kept_snapshot
from client.ui.dashboard_view import DashboardView
from tests.client.services.test_dashboard import _snapshot_of
from tests.sync_server.metrics_dataset import REGION, TEAM


def _view(snapshot: dict[str, Any], language: str = "es") -> DashboardView:
    async def call(service, *_args):
        assert service is kept_snapshot  # the only thing the view reads: the kept snapshot
        return snapshot

    dialogs: list[Any] = []
    ctx = SimpleNamespace(
        t=Translator(language), session=None, call=call, refresh=lambda: None,
        page=SimpleNamespace(show_dialog=dialogs.append, dialogs=dialogs),
    )  # fmt: skip
    view = DashboardView(ctx)  # type: ignore[arg-type]
    view.build()
    asyncio.run(view.load())
    return view


def _value(view: DashboardView, metric: str) -> str:
    tile = next(c for c in view.tiles.controls if c.identifier == f"dash-tile-{metric}")
    return tile.content.content.controls[1].content.value


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> dict:
    return _snapshot_of(tmp_path_factory, REGION, region=True)


@pytest.fixture(scope="module")
def one_team(tmp_path_factory) -> dict:
    return _snapshot_of(tmp_path_factory, TEAM)


def test_one_team_in_view_shows_no_team_filter(one_team):
    view = _view(one_team)
    assert not view.team_box.visible and view.seller_box.visible
    assert view._scope() == "all"


@pytest.mark.parametrize(("language", "label", "everyone"), [("es", "Equipo", "Todos los equipos"),
                                                             ("en", "Team", "All teams")])  # fmt: skip
def test_a_team_narrows_figures_sellers_and_records(region, language, label, everyone):
    view = _view(region, language)
    assert view.team_box.visible and view.team.label == label
    assert [(o.key, o.text) for o in view.team.options] == [
        ("all", everyone), ("team:NORTE", "Equipo NORTE"), ("team:REGION", "Equipo REGION"),
        ("team:SUR", "Equipo SUR"),
    ]  # fmt: skip
    assert _value(view, "quotes") == "5"  # NORTE's four and SUR's one
    assert [o.key for o in view.seller.options] == ["all", *REGION]

    view.seller.value = "ana"
    view.team.value = "team:SUR"
    cards = list(view.tiles.controls)
    asyncio.run(view._pick_team())
    # the seller picked is let go: SUR's figures, SUR's sellers to pick from
    assert view._scope() == "team:SUR" and view.seller.value == "all"
    # in the same cards: a tap on one as the figures changed is not lost to a new card
    assert all(now is then for now, then in zip(view.tiles.controls, cards, strict=True))
    assert [o.key for o in view.seller.options] == ["all", "omar"]
    assert _value(view, "quotes") == "1"
    assert "Omar" in view.syncs.value and "Ana" not in view.syncs.value

    asyncio.run(view._open("quotes"))
    drill = view.ctx.page.dialogs[-1].content.content.controls[1].controls[0]
    assert [row.cells[0].content.value for row in drill.rows] == ["S-1"]

    view.team.value = "team:NORTE"
    asyncio.run(view._pick_team())
    view.seller.value = "bea"
    asyncio.run(view._apply())
    assert view._scope() == "bea" and _value(view, "quotes") == "1"


def test_new_figures_a_round_brings_show_with_the_team_and_seller_picked(region):
    kept = [region]

    async def call(service, *_args):
        assert service is kept_snapshot
        return kept[0]

    drawn: list[int] = []
    ctx = SimpleNamespace(t=Translator("en"), session=None, call=call, refresh=lambda: drawn.append(1), page=None)
    view = DashboardView(ctx)  # type: ignore[arg-type]
    view.build()
    asyncio.run(view.load())
    view.team.value = "team:NORTE"
    asyncio.run(view._pick_team())
    view.seller.value = "bea"
    asyncio.run(view._apply())
    cards, said = list(view.tiles.controls), view.as_of.value

    before = len(drawn)
    asyncio.run(view.after_round())  # the same figures: nothing drawn again
    assert len(drawn) == before
    assert all(now is then for now, then in zip(view.tiles.controls, cards, strict=True))

    later = copy.deepcopy(region)
    later["as_of"] = (datetime.fromisoformat(region["as_of"]) + timedelta(hours=3)).isoformat()
    kept[0] = later
    asyncio.run(view.after_round())
    assert view.base is later and view.as_of.value != said
    assert (view.team.value, view.seller.value, view._scope()) == ("team:NORTE", "bea", "bea")
    assert _value(view, "quotes") == "1"


def test_figures_narrowed_to_a_segment_stay_until_let_go(region):
    kept = [region]

    async def call(service, *_args):
        assert service is kept_snapshot
        return kept[0]

    ctx = SimpleNamespace(t=Translator("en"), session=None, call=call, refresh=lambda: None, page=None)
    view = DashboardView(ctx)  # type: ignore[arg-type]
    view.build()
    asyncio.run(view.load())
    narrowed = copy.deepcopy(region)
    view.snapshot = narrowed  # as `_narrow` leaves it: the figures of a segment
    said = view.as_of.value

    later = copy.deepcopy(region)
    later["as_of"] = (datetime.fromisoformat(region["as_of"]) + timedelta(hours=3)).isoformat()
    kept[0] = later
    asyncio.run(view.after_round())
    assert view.snapshot is narrowed and view.as_of.value == said
    assert view.base is later  # what shows once she lets go of the segment
