"""Event handlers that call coroutines with arguments."""

from collections.abc import Awaitable, Callable
from typing import Any


def on_event(action: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any) -> Callable[..., Awaitable[None]]:
    """A handler Flet awaits, calling the coroutine `action(*args, **kwargs)` (the event is ignored).

    A lambda that returns a coroutine is not awaited by Flet: the tap would silently do nothing.
    """

    async def handle(_event: object = None) -> None:
        await action(*args, **kwargs)

    return handle


__all__ = ["on_event"]
