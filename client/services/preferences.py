"""Device preferences the seller chooses in Settings: language and server address.

Kept in `<data_dir>/preferences.json`, outside any user's database: the sign-in screen
already speaks the chosen language and talks to the chosen server.
"""

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from client.settings import ClientSettings
from shared.errors import ValidationFailed
from shared.rules.server_address import check_server_address

_FILE = "preferences.json"
LANGUAGE_CODES = ("en", "es")


@dataclass(frozen=True, slots=True)
class Preferences:
    """What the seller chose on this device; None means "the app's default"."""

    language: str | None = None
    server_url: str | None = None


def load_preferences(data_dir: Path) -> Preferences:
    """The saved preferences, or the defaults when none were saved (or the file is damaged)."""
    try:
        data = json.loads((Path(data_dir) / _FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    language = data.get("language") if data.get("language") in LANGUAGE_CODES else None
    server_url = data.get("server_url") if isinstance(data.get("server_url"), str) else None
    return Preferences(language=language, server_url=server_url)


def save_preferences(data_dir: Path, preferences: Preferences) -> None:
    """Write the preferences atomically (a crash leaves the old file or the new one)."""
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f"{_FILE}.tmp"
    temporary.write_text(json.dumps(asdict(preferences)), encoding="utf-8")
    os.replace(temporary, folder / _FILE)


def choose_language(data_dir: Path, language: str) -> Preferences:
    """Remember the seller's language; ValidationFailed for a language the app does not speak."""
    if language not in LANGUAGE_CODES:
        raise ValidationFailed(
            f"the app speaks {', '.join(LANGUAGE_CODES)}, not {language!r}",
            key="problem.settings.language",
            params={"language": language},
        )
    chosen = replace(load_preferences(data_dir), language=language)
    save_preferences(data_dir, chosen)
    return chosen


def choose_server(data_dir: Path, server_url: str, *, allow_plain_http: bool = False) -> Preferences:
    """Remember the sync server's address: https, or plain http on this machine (or where
    the settings allow it); ValidationFailed says what is wrong with another."""
    url = check_server_address(server_url, allow_plain_http=allow_plain_http)
    chosen = replace(load_preferences(data_dir), server_url=url)
    save_preferences(data_dir, chosen)
    return chosen


def effective_settings(settings: ClientSettings) -> ClientSettings:
    """The settings with the device's chosen server address applied."""
    chosen = load_preferences(settings.data_dir).server_url
    return settings.model_copy(update={"server_url": chosen}) if chosen else settings


__all__ = [
    "LANGUAGE_CODES",
    "Preferences",
    "choose_language",
    "choose_server",
    "effective_settings",
    "load_preferences",
    "save_preferences",
]
