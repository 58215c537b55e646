"""One simulated device's HTTP/1.1 connection for the load test: keep-alive, gzip, JSON.

The devices part of the sync bench runs hundreds of devices in one Python process on the
same two cores as the server and its database. With an httpx.AsyncClient each, the
devices spent 2.2-3.0 ms of CPU a round (a fifth of everything the machine did), which
the server then could not use, and the figures for two workers measured the load generator
as much as the server. This connection asks exactly what httpx asked (the same requests,
gzip accepted and decoded, one connection per device, idle connections dropped before the
server's keep-alive ends) with little more than a socket write and read per request.

It speaks only what the sync server answers: a body with Content-Length, or chunked.
"""

import asyncio
import gzip
import json
from typing import Any
from urllib.parse import urlencode, urlsplit


class DeviceHTTPError(Exception):
    """The connection failed or the answer could not be read: the request is sent again."""


class Answer:
    """What the server answered: the status and the body, decoded."""

    def __init__(self, status_code: int, body: bytes) -> None:
        self.status_code = status_code
        self.body = body

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


class DeviceConnection:
    """A keep-alive connection to `base_url`, opened again when it was idle `keepalive`
    seconds or the server closed it."""

    def __init__(self, base_url: str, keepalive: float, timeout: float = 120.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname is None or parts.port is None:
            raise ValueError(f"a device connection needs http://host:port, not {base_url!r}")
        self.host, self.port = parts.hostname, parts.port
        self.keepalive = keepalive
        self.timeout = timeout
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._last_used = 0.0

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,  # the keyword httpx uses, so callers work with both
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """Send one request and read its answer; DeviceHTTPError if either fails."""
        target = f"{path}?{urlencode(params)}" if params else path
        body = b"" if json is None else _json_bytes(json)
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}", "Accept-Encoding: gzip"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if json is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        try:
            return await asyncio.wait_for(self._exchange(raw), self.timeout)
        except (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError) as exc:
            await self.aclose()
            raise DeviceHTTPError(f"{method} {path}: {type(exc).__name__}") from exc

    async def _exchange(self, raw: bytes) -> Answer:
        loop = asyncio.get_running_loop()
        if self._streams is not None and loop.time() - self._last_used > self.keepalive:
            await self.aclose()  # the server may be closing it just now: never race it
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        writer.write(raw)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        fields = {}
        for line in header_lines:
            if line:
                name, _, value = line.partition(":")
                fields[name.strip().lower()] = value.strip()
        if "content-length" in fields:
            body = await reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            body = await _chunked(reader)
        else:
            raise EOFError("an answer without Content-Length or chunks")
        if fields.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        if fields.get("connection", "").lower() == "close":
            await self.aclose()
        else:
            self._last_used = loop.time()
        return Answer(status, body)

    async def aclose(self) -> None:
        """Close the connection (the next request opens a new one)."""
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            writer.close()
            try:
                await writer.wait_closed()
            except OSError:
                pass  # already reset by the server: closed either way


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers from this server
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


__all__ = ["Answer", "DeviceConnection", "DeviceHTTPError"]
