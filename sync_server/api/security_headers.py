"""Headers every answer carries: `nosniff` everywhere, `no-store` on API data.

API data (a customer's credit, prices, margins) must not stay in a shared or disk cache: every
/v1 answer is `Cache-Control: no-store` unless the route chose its own (an attachment, named by
its SHA-256, is `private, immutable`). `X-Content-Type-Options: nosniff` keeps a browser from
reading any answer as something other than its declared type. `Allow` on a 405 comes with
Starlette's own refusal (rendered in `api.errors`).
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = scope["path"].startswith("/v1/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if is_api:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


__all__ = ["SecurityHeaders"]
