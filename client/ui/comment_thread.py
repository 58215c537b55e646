"""A visit's thread as both sides read it: who wrote each line and when the server took it,
the lines this user has not read yet, and a box to write the next one."""

from collections.abc import Awaitable, Callable

import flet as ft

from client.i18n import Translator
from client.services.visit_comments import MAX_COMMENT, ThreadLine
from client.ui.frame import section_title
from client.ui.widgets import GREEN, TOUCH, chip, tagged


def thread_lines(t: Translator, lines: tuple[ThreadLine, ...], login: str) -> list[ft.Control]:
    """Each comment under its author and time; "new" on the unread, "waiting to send" on the unsynced."""
    shown: list[ft.Control] = []
    for index, line in enumerate(lines, start=1):
        who = t("visit.you") if line.comment.author_login == login else line.author_name
        posted = line.comment.posted_at
        when = t.datetime(posted) if posted else t("thread.waiting")
        head: list[ft.Control] = [ft.Text(f"{who} · {when}", size=13, color=ft.Colors.GREY_700)]
        if line.unread:
            head.append(chip(t("thread.new"), ft.Colors.BLUE_50, ft.Colors.BLUE_900))
        shown.append(
            tagged(
                f"thread-line-{index}",
                ft.Column(
                    [ft.Row(head, spacing=8), ft.Text(line.comment.text, size=14)],
                    spacing=2,
                ),
            )
        )
    return shown


class ThreadDraft:
    """A thread's box as last drawn. The thread is drawn anew when a sync round brings a
    comment; what is typed in the box and not sent yet is carried into the new box."""

    def __init__(self) -> None:
        self.box: ft.TextField | None = None
        self.sending: str | None = None
        """The text being written just now (not carried: it is sent)."""

    def next_box(self, label: str) -> ft.TextField:
        """A box labelled `label`, holding what was typed in the last one and not sent."""
        typed = (self.box.value or "") if self.box is not None else ""
        if typed == self.sending:
            typed = ""
        self.box = ft.TextField(
            label=label, value=typed, multiline=True, min_lines=1, max_lines=5, max_length=MAX_COMMENT
        )
        return self.box


def thread_panel(
    t: Translator,
    lines: tuple[ThreadLine, ...],
    login: str,
    *,
    box_label: str | None,
    button_label: str = "",
    on_write: Callable[[str], Awaitable[bool]] | None = None,
    box_id: str = "thread-box",
    send_id: str = "thread-send",
    draft: ThreadDraft | None = None,
) -> ft.Control:
    """The thread, then (when `box_label` is given) a box and a button that hand the text to
    `on_write`; the box empties once it answers True (written). `draft`: the box drawn last
    time, whose unsent text the new box takes over."""
    rows: list[ft.Control] = [section_title(t("visit.comments"))]
    rows += thread_lines(t, lines, login) or [ft.Text(t("visit.no_comments"), color=ft.Colors.GREY_700)]
    if box_label and on_write is not None:
        holder = draft or ThreadDraft()
        box = holder.next_box(box_label)

        async def write(_event=None) -> None:
            text = box.value or ""
            holder.sending = text  # `on_write` draws the thread again: the new box starts empty
            try:
                written = await on_write(text)
            finally:
                holder.sending = None
            if written:
                box.value = ""

        rows.append(tagged(box_id, box))
        rows.append(
            tagged(
                send_id,
                ft.FilledButton(button_label, icon=ft.Icons.SEND, height=TOUCH, on_click=write, bgcolor=GREEN),
            )
        )
    return ft.Column(rows, spacing=6)


__all__ = ["ThreadDraft", "thread_lines", "thread_panel"]
