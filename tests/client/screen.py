"""The app's controls on a real Flet page, without a browser.

Flet works out what to send by diffing each control against what it last serialised, and
routes a tap to a control by the id Flutter saw. `Screen` keeps both real: a `Session` whose
connection encodes every message as Flet's socket server does, and taps dispatched by id,
as Flutter sends them. So a test can redraw a screen and then tap what the seller's finger
was already on."""

import asyncio
from types import SimpleNamespace

import flet as ft
import msgpack
from flet.controls.base_control import BaseControl
from flet.messaging.connection import Connection
from flet.messaging.protocol import configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from client.i18n import Translator

_ENCODE = configure_encode_object_for_msgpack(BaseControl)


def _encode(message: object) -> bytes:
    """What Flet's socket server does with each message (and what marks it as sent)."""
    return msgpack.packb(message, default=_ENCODE)


class _Wire(Connection):
    """A connection that encodes what the session sends, and keeps it."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.pubsubhub = PubSubHub()
        self.sent: list[bytes] = []

    def send_message(self, message) -> None:
        self.sent.append(_encode([message.action, message.body]))


class Screen:
    """One Flet page, its first drawing already sent. Build it inside a running event loop."""

    def __init__(self) -> None:
        self.wire = _Wire(asyncio.get_running_loop())
        self.session = Session(self.wire)
        self.page = self.session.page
        _encode(self.session.get_page_patch())

    def show(self, control: ft.Control) -> None:
        """Put `control` on the page and send it."""
        self.page.views[0].controls.append(control)
        self.page.update()

    def refresh(self) -> None:
        """Send what changed (the app's `ctx.refresh`)."""
        self.page.update()

    def sent_since(self, mark: int) -> bytes:
        """Every message sent after the first `mark` (`len(screen.wire.sent)` taken before)."""
        return b"".join(self.wire.sent[mark:])

    async def tap(self, control_id: int) -> None:
        """A tap Flutter sends for the control it knows as `control_id`."""
        await self.session.dispatch_event(control_id, "click", None)


def button_in(control: ft.Control, identifier: str) -> ft.Control:
    """The button inside the control tagged `identifier` (a `Semantics` wrapper)."""
    found = find_tagged(control, identifier)
    assert found is not None, f"nothing tagged {identifier!r} on the screen"
    return found.content


def find_tagged(control: object, identifier: str) -> ft.Semantics | None:
    """The first control tagged `identifier` under `control`, depth first."""
    if isinstance(control, ft.Semantics) and control.identifier == identifier:
        return control
    for name in ("content", "controls", "leading", "title", "subtitle", "trailing"):
        child = getattr(control, name, None)
        for item in child if isinstance(child, list) else [child]:
            if isinstance(item, ft.Control) and (found := find_tagged(item, identifier)) is not None:
                return found
    return None


def screen_context(session, screen: Screen, language: str = "en") -> SimpleNamespace:
    """The app's context for a view on `screen`: services run in line, toasts and routes dropped."""

    async def call(service, *args, **kwargs):
        return service(*args, **kwargs)

    async def go(_route: str) -> None:
        return None

    return SimpleNamespace(
        t=Translator(language), session=session, call=call, refresh=screen.refresh,
        toast=lambda _text, error=False: None, go=go, page=screen.page,
    )  # fmt: skip


def screen_words(root: object) -> str:
    """Every text under `root` (a control, or a view: its controls), buttons' words included,
    one per line."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, ft.Text) and node.value:
            found.append(node.value)
        if isinstance(getattr(node, "content", None), str):  # a button's words
            found.append(node.content)  # type: ignore[attr-defined]
        for name in ("content", "controls", "title", "subtitle", "leading", "trailing"):
            child = getattr(node, name, None)
            for item in child if isinstance(child, list) else [child]:
                if isinstance(item, ft.Control):
                    walk(item)

    for control in [root] if isinstance(root, ft.Control) else list(vars(root).values()):
        if isinstance(control, ft.Control):
            walk(control)
    return "\n".join(found)


def loaded_view(make_view, session, language: str = "en"):
    """`make_view(ctx)` drawn on a screen of its own and loaded, as the shell opens a screen."""

    async def run():
        screen = Screen()
        view = make_view(screen_context(session, screen, language))
        screen.show(view.build())
        await view.load()
        return view

    return asyncio.run(run())
