"""The platform's secure store (official flet-secure-storage) behind the services' `SecretStore`.

Android Keystore, iOS/macOS Keychain, Windows Credential Manager, libsecret on Linux. The
store speaks to the app's Flutter side asynchronously; the services are synchronous and run
in worker threads (`asyncio.to_thread`), so each call is sent to the page's event loop and
waited for there. Called on the loop's own thread it would wait for itself: a programming
error, refused loudly.
"""

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

import flet as ft
from flet_secure_storage import SecureStorage  # type: ignore[import-untyped]

from client.services.session import SecretStore, default_secret_store
from client.settings import ClientSettings

_PREFIX = "terreno."
_TIMEOUT_SECONDS = 15.0


class PlatformSecretStore:
    """`SecretStore` over a `SecureStorage` service of a running page."""

    def __init__(self, storage: SecureStorage, loop: asyncio.AbstractEventLoop) -> None:
        self._storage = storage
        self._loop = loop
        self._cache: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> str | None:
        """The secret stored under `name`, or None."""
        with self._lock:
            if name in self._cache:
                return self._cache[name]
        value = self._wait(self._storage.get(_PREFIX + name))
        found = value if isinstance(value, str) and value else None
        with self._lock:
            self._cache[name] = found
        return found

    def put(self, name: str, value: str) -> None:
        """Store (or replace) the secret `name`; returns once the platform holds it."""
        self._wait(self._storage.set(_PREFIX + name, value))
        with self._lock:
            self._cache[name] = value

    def delete(self, name: str) -> None:
        """Forget the secret `name`."""
        self._wait(self._storage.remove(_PREFIX + name))
        with self._lock:
            self._cache[name] = None

    def _wait(self, call: Coroutine[Any, Any, Any]) -> Any:
        if _running_loop() is self._loop:
            call.close()
            raise RuntimeError("the secure store is called from a worker thread, never on the page's loop")
        return asyncio.run_coroutine_threadsafe(call, self._loop).result(_TIMEOUT_SECONDS)


def secret_store_for(page: ft.Page, settings: ClientSettings) -> SecretStore:
    """The platform's secure store in the native app; a 0600 file beside the data on the web
    (the data lives on the host that serves the app, not in the browser) or when the
    settings ask for the file (headless runs)."""
    if settings.secret_store == "file" or page.web:
        return default_secret_store(settings)
    return PlatformSecretStore(SecureStorage(), asyncio.get_running_loop())


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


__all__ = ["PlatformSecretStore", "secret_store_for"]
