"""A store of named secrets (the session token, the database key, the app-lock PIN's hash).

The services only know `SecretStore`; the app gives them the platform's secure store
(`client/ui/secure_storage.py`, over the official flet-secure-storage: Android Keystore, iOS
and macOS Keychain, Windows Credential Manager, libsecret on Linux). Tests, the web build
and headless runs use `FileSecretStore`, a file readable only by its owner beside the data
(see docs/security.md for what each protects against).
"""

import json
import os
import threading
from pathlib import Path
from typing import Protocol


class SecretStore(Protocol):
    """Named string secrets. Implementations are safe to call from worker threads."""

    def get(self, name: str) -> str | None:
        """The secret stored under `name`, or None."""
        ...

    def put(self, name: str, value: str) -> None:
        """Store (or replace) the secret `name`; durable when it returns."""
        ...

    def delete(self, name: str) -> None:
        """Forget the secret `name` (nothing happens if there is none)."""
        ...


def token_name(login: str) -> str:
    """Name of the bearer token of `login` on this device."""
    return f"token.{login}"


def database_key_name(login: str) -> str:
    """Name of the key that encrypts `login`'s database."""
    return f"database_key.{login}"


def pin_name(login: str) -> str:
    """Name of the app-lock PIN's hash of `login`."""
    return f"pin.{login}"


def forget_user_secrets(secrets: SecretStore, login: str) -> None:
    """Delete every secret of `login` (a revoked device keeps none)."""
    for name in (token_name(login), database_key_name(login), pin_name(login)):
        secrets.delete(name)


class FileSecretStore:
    """Secrets in `<folder>/secrets.json`, mode 0600, replaced atomically.

    No stronger than the folder's file permissions and the disk's encryption: for tests,
    the web build (whose data lives on the host that serves it) and headless runs.
    """

    FILE = "secrets.json"

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / self.FILE
        self._lock = threading.Lock()

    def get(self, name: str) -> str | None:
        """The secret stored under `name`, or None."""
        with self._lock:
            value = self._read().get(name)
        return value if isinstance(value, str) else None

    def put(self, name: str, value: str) -> None:
        """Store (or replace) the secret `name`."""
        with self._lock:
            data = self._read()
            data[name] = value
            self._write(data)

    def delete(self, name: str) -> None:
        """Forget the secret `name`."""
        with self._lock:
            data = self._read()
            if data.pop(name, None) is not None:
                self._write(data)

    def _read(self) -> dict[str, object]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, object]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        # Created 0600 from the start: the token is never readable by others, even briefly.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(data, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)


class MemorySecretStore:
    """Secrets held in memory only (a test's, or a kiosk that must never write them down)."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        """The secret stored under `name`, or None."""
        return self._values.get(name)

    def put(self, name: str, value: str) -> None:
        """Store (or replace) the secret `name`."""
        self._values[name] = value

    def delete(self, name: str) -> None:
        """Forget the secret `name`."""
        self._values.pop(name, None)


__all__ = [
    "FileSecretStore",
    "MemorySecretStore",
    "SecretStore",
    "database_key_name",
    "forget_user_secrets",
    "pin_name",
    "token_name",
]
