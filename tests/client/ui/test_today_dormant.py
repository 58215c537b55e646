"""Today's customers to call: a seller's own; a manager with none of her own is pointed to
her team's, not told there are none."""

import dataclasses

from client.ui.today_view import TodayView
from shared.models import Role
from tests.client.screen import find_tagged, loaded_view, screen_words


def _today(session) -> TodayView:
    return loaded_view(TodayView, session)


def test_a_seller_without_lapsed_customers_reads_there_are_none(seller_session):
    view = _today(seller_session)
    assert screen_words(view.dormant) == "No dormant customers."
    assert find_tagged(view.dormant, "today-team-dormant") is None


def test_a_manager_is_pointed_to_her_teams_lapsed_customers(seller_session):
    manager = dataclasses.replace(seller_session, role=Role.MANAGER)
    view = _today(manager)
    words = screen_words(view.dormant)
    assert "None of your own customers has gone quiet." in words
    assert "Your team's customers without recent activity" in words
    assert find_tagged(view.dormant, "today-team-dormant") is not None
