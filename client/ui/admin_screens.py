"""The administrator's screens by route (`/today`, `/users`, `/teams`, `/devices`, `/policies`),
so the shell needs one line for all of them."""

from client.ui.admin_devices_view import DevicesView
from client.ui.admin_policies_view import PoliciesView
from client.ui.admin_teams_view import TeamsView
from client.ui.admin_today_view import AdminTodayView
from client.ui.admin_users_view import UsersView
from client.ui.context import AppContext
from shared.models import Role

SCREENS = {
    "today": AdminTodayView,
    "users": UsersView,
    "teams": TeamsView,
    "devices": DevicesView,
    "policies": PoliciesView,
}


def admin_screen(ctx: AppContext, segments: list[str]):
    """The administrator's screen for the route's segments, or None (not hers, or not one of these)."""
    if ctx.session.role != Role.ADMIN or len(segments) != 1:
        return None
    screen = SCREENS.get(segments[0])
    return screen(ctx) if screen is not None else None


__all__ = ["SCREENS", "admin_screen"]
