"""Signing out asks first when changes are still waiting to be sent."""

import asyncio
from collections.abc import Awaitable, Callable

import flet as ft

from client.i18n import Translator
from client.services.session import Session, unsynced_count


async def ask_sign_out(page: ft.Page, t: Translator, session: Session, sign_out: Callable[[], Awaitable[None]]) -> None:
    """Sign out at once when everything is sent; otherwise say how much waits and let the seller choose."""
    pending = await asyncio.to_thread(unsynced_count, session)
    if pending == 0:
        await sign_out()
        return

    async def confirm(_event=None) -> None:
        page.pop_dialog()
        await sign_out()

    dialog = ft.AlertDialog(
        title=ft.Text(t("sign_out.title")),
        content=ft.Text(t.plural("sign_out.body", pending)),
        actions=[
            ft.TextButton(t("sign_out.stay"), on_click=lambda _e: page.pop_dialog()),
            ft.TextButton(t("sign_out.confirm"), on_click=confirm),
        ],
    )
    page.show_dialog(dialog)


__all__ = ["ask_sign_out"]
