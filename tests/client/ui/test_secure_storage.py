"""The platform's secure store behind `SecretStore`: calls from worker threads reach the
page's event loop and wait for it; a call on the loop itself is refused, never deadlocked."""

import asyncio
import threading

import pytest

from client.ui.secure_storage import PlatformSecretStore


class FakeSecureStorage:
    """What flet_secure_storage.SecureStorage offers the store: async get, set, remove."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.calls: list[tuple[str, str]] = []
        self.loop_thread: set[int] = set()

    async def get(self, key: str) -> str | None:
        self.calls.append(("get", key))
        self.loop_thread.add(threading.get_ident())
        return self.values.get(key)

    async def set(self, key: str, value: str) -> None:
        self.calls.append(("set", key))
        self.loop_thread.add(threading.get_ident())
        self.values[key] = value

    async def remove(self, key: str) -> None:
        self.calls.append(("remove", key))
        self.values.pop(key, None)


@pytest.fixture
def running_loop():
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop, thread
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def test_secrets_go_through_the_pages_loop_under_a_prefix(running_loop):
    loop, thread = running_loop
    storage = FakeSecureStorage()
    store = PlatformSecretStore(storage, loop)  # type: ignore[arg-type]

    assert store.get("token.ana.garcia") is None
    store.put("token.ana.garcia", "tok-1")
    assert storage.values == {"terreno.token.ana.garcia": "tok-1"}
    assert store.get("token.ana.garcia") == "tok-1"
    store.delete("token.ana.garcia")
    assert storage.values == {} and store.get("token.ana.garcia") is None
    assert storage.loop_thread == {thread.ident}  # the platform is only spoken to on its loop
    # Read once, then answered from memory: the platform is asked again only after a write.
    assert storage.calls.count(("get", "terreno.token.ana.garcia")) == 1


def test_a_call_on_the_loop_itself_is_refused(running_loop):
    loop, _thread = running_loop
    store = PlatformSecretStore(FakeSecureStorage(), loop)  # type: ignore[arg-type]

    async def on_the_loop():
        return store.get("token.ana.garcia")

    with pytest.raises(RuntimeError, match="worker thread"):
        asyncio.run_coroutine_threadsafe(on_the_loop(), loop).result(5)
