"""A fault-injecting TCP proxy on loopback, run on its own asyncio loop in a thread.

Every accepted connection gets a `Fault` from a plan, chosen by the connection's index, so a
run is deterministic for a seed whatever the timing: cut after N bytes client→server
(`up_cut`) or server→client (`down_cut`), drop the connection at once, or delay each chunk.
A cut aborts both sides, as a dead network or a dying NAT would.
"""

import asyncio
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    up_cut: int | None = None
    """Forward at most this many client→server bytes, then cut the connection."""
    down_cut: int | None = None
    """Forward at most this many server→client bytes, then cut (0: cut as soon as the server answers)."""
    delay: float = 0.0
    """Seconds to wait before forwarding each chunk, in both directions."""
    drop: bool = False
    """Close the client's connection at once, without connecting upstream."""


NO_FAULT = Fault()


def random_plan(seed: int, cut_rate: float = 0.6, max_up: int = 1500, max_down: int = 1500) -> Callable[[int], Fault]:
    """A seeded plan: connection i gets its fault from Random((seed, i)), independent of timing."""

    def plan(index: int) -> Fault:
        rng = random.Random(f"{seed}:{index}")
        roll = rng.random()
        if roll >= cut_rate:
            return NO_FAULT if rng.random() < 0.8 else Fault(delay=rng.uniform(0.001, 0.02))
        kind = rng.choice(["up", "down", "down", "drop"])
        if kind == "up":
            return Fault(up_cut=rng.randrange(0, max_up))
        if kind == "down":
            return Fault(down_cut=rng.randrange(0, max_down))
        return Fault(drop=True)

    return plan


class FaultProxy:
    """`with FaultProxy(upstream_port, plan) as proxy:` then talk to `proxy.url`."""

    def __init__(
        self, upstream_port: int, plan: Callable[[int], Fault] | None = None, upstream_host: str = "127.0.0.1"
    ):
        self.upstream = (upstream_host, upstream_port)
        self.plan = plan or (lambda _index: NO_FAULT)
        self.faults: list[Fault] = []
        """The fault each connection got, in accept order."""
        self.cuts = 0
        """How many connections a cut or a drop actually ended."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="fault-proxy")
        self._server: asyncio.AbstractServer | None = None
        self.port = 0
        self._open: set[asyncio.BaseTransport] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FaultProxy":
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", 0), self._loop
        ).result(5)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        async def close():
            self._server.close()
            for transport in list(self._open):
                transport.abort()  # handlers then finish on their own (cancelling them logs errors)
            pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            if pending:
                await asyncio.wait(pending, timeout=2)

        if self._server is not None:
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        fault = self.plan(len(self.faults))
        self.faults.append(fault)
        if fault.drop:
            self.cuts += 1
            client_w.transport.abort()
            return
        try:
            server_r, server_w = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_w.transport.abort()
            return
        cut = asyncio.Event()
        self._open.update((client_w.transport, server_w.transport))

        async def pump(reader, writer, limit):
            sent = 0
            try:
                while not cut.is_set():
                    chunk = await reader.read(65536)
                    if not chunk:
                        break
                    if fault.delay:
                        await asyncio.sleep(fault.delay)
                    if limit is not None and sent + len(chunk) >= limit:
                        if limit > sent:
                            writer.write(chunk[: limit - sent])
                            await writer.drain()
                        self.cuts += 1
                        cut.set()
                        break
                    writer.write(chunk)
                    await writer.drain()
                    sent += len(chunk)
                else:
                    return
                if not cut.is_set() and writer.can_write_eof():
                    writer.write_eof()  # a clean half-close is passed on
            except (ConnectionError, OSError):
                cut.set()

        up = asyncio.ensure_future(pump(client_r, server_w, fault.up_cut))
        down = asyncio.ensure_future(pump(server_r, client_w, fault.down_cut))
        try:
            while not (up.done() and down.done()):
                done, _ = await asyncio.wait(
                    {up, down} - {t for t in (up, down) if t.done()}, return_when=asyncio.FIRST_COMPLETED
                )
                if cut.is_set():
                    break
        finally:
            for task in (up, down):
                task.cancel()
            self._open.difference_update((client_w.transport, server_w.transport))
            if cut.is_set():
                client_w.transport.abort()
                server_w.transport.abort()
            else:
                client_w.close()
                server_w.close()


__all__ = ["NO_FAULT", "Fault", "FaultProxy", "random_plan"]
