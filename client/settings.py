"""Typed client settings (prefix TERRENO_), built once in the composition root."""

import os
import sys
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.protocol import MAX_PULL_LIMIT

APP_NAME = "terreno"
BUNDLED_ENV_FILE = Path(__file__).resolve().parent.parent / "terreno.env"
"""`TERRENO_<NAME>=value` lines written beside main.py before `flet build` (docs/mobile.md):
a packaged app has no environment to set, so its server address comes with the bundle.
The environment, where there is one, wins over the file."""
FLET_STORAGE_ENV = "FLET_APP_STORAGE_DATA"


def default_data_dir() -> Path:
    """The platform's app-data folder for Terreno (Flet's folder when the app is packaged)."""
    # A packaged (mobile) app may only write where Flet says; the bundle itself is read-only.
    flet_dir = os.environ.get(FLET_STORAGE_ENV)
    if flet_dir:
        return Path(flet_dir)
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA")
        return Path(base) / "Terreno" if base else home / "AppData" / "Local" / "Terreno"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Terreno"
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else home / ".local" / "share") / APP_NAME


class ClientSettings(BaseSettings):
    """Settings of the tablet/desktop app; every one can be set as TERRENO_<NAME>."""

    model_config = SettingsConfigDict(
        env_prefix="TERRENO_",
        extra="ignore",
        populate_by_name=True,
        env_file=BUNDLED_ENV_FILE,
        env_file_encoding="utf-8",
    )

    server_url: str = "http://127.0.0.1:8470"
    """Base URL of the sync server."""
    data_dir: Path = Field(
        default_factory=default_data_dir,
        # TERRENO_CLIENT_DATA_DIR wins over TERRENO_DATA_DIR, which is also the server's
        # setting: a shell that runs both can point them at different folders.
        validation_alias=AliasChoices("TERRENO_CLIENT_DATA_DIR", "TERRENO_DATA_DIR", "data_dir"),
    )
    """Folder holding `users/<login>.db` (one database per signed-in user)."""
    pull_page_size: int = Field(default=MAX_PULL_LIMIT, ge=1, le=MAX_PULL_LIMIT)
    """Changes asked for per pull request: the most the server gives. Each request costs the
    server about 1.7 ms besides its rows (sign-in scope, cursor checks, HTTP), so a first
    sync of a demo seller's 650k rows takes 66 requests instead of 326 and goes about a
    third faster; a page stays a few MiB."""
    sync_interval_minutes: float = Field(default=5.0, gt=0)
    """Minutes between background sync rounds (a local change also starts one soon after)."""
    encrypt_database: bool = True
    """Encrypt each user's new database with SQLCipher, keyed from the secret store, where
    the `sqlcipher3` module is installed (desktop); elsewhere the platform encrypts storage.
    The test suite runs with it off (tests/conftest.py) unless TERRENO_ENCRYPT_DATABASE=1."""
    secret_store: Literal["platform", "file"] = "platform"
    """Where the token and the database key are kept: "platform" is the system's secure
    store (flet-secure-storage) in the native app and a 0600 file beside the data in the
    web build; "file" forces the file (headless runs, tests)."""
    app_lock: bool = True
    """Lock the app with the seller's PIN (or the device's unlock) on open and after idling,
    and refuse to open offline past the device policy's grace. Off only for tests and demos
    (tests/conftest.py turns it off unless TERRENO_APP_LOCK=1)."""
    allow_plain_http: bool = False
    """Allow a plain http:// server address for a server that is not on this machine
    (https is required otherwise; loopback and localhost are always allowed)."""
    connect_timeout_seconds: float = Field(default=10.0, gt=0)
    request_timeout_seconds: float = Field(default=60.0, gt=0)
    """Read/write timeout of one request (a pull page of a first sync can be large)."""


__all__ = ["ClientSettings", "default_data_dir"]
