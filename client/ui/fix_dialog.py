"""The dialog that fixes a refused change: a record's own form, filled with what the server
refused, and "Save and send". A refused field is marked and the dialog stays open with
everything typed; a fix that was kept closes it."""

from collections.abc import Awaitable, Callable, Mapping

import flet as ft

from client.ui.context import AppContext
from client.ui.field_errors import FormField, show_field_error
from client.ui.widgets import TOUCH, tagged


def open_fix_dialog(
    ctx: AppContext,
    title: str,
    controls: list[ft.Control],
    fields: Mapping[str, FormField],
    send: Callable[[], Awaitable[object]],
    on_fixed: Callable[[], Awaitable[None]],
) -> None:
    """Show the form; `send` keeps the fix (raising names a field), then `on_fixed` runs."""
    t = ctx.t
    error = ft.Text("", color=ft.Colors.RED_700)

    async def save(_event=None) -> None:
        try:
            await send()
        except Exception as exc:  # said in words in the dialog; nothing typed is lost
            error.value = show_field_error(t, fields, exc)
            ctx.refresh()
            return
        ctx.page.pop_dialog()
        await on_fixed()

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(title),
            content=ft.Column([*controls, tagged("fix-error", error)], tight=True, width=440),
            actions=[
                ft.TextButton(t("common.cancel"), height=TOUCH, on_click=lambda _e: ctx.page.pop_dialog()),
                tagged("fix-save", ft.FilledButton(t("fix.save"), height=TOUCH, on_click=save)),
            ],
        )
    )


__all__ = ["open_fix_dialog"]
