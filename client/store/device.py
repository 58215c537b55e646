"""Device-wide memory outside any user's database: who signed in last, and where files live.

Kept in `<data_dir>/device.json` so the app can reopen the last session at start without
knowing which of the users' databases to look in.
"""

import json
import os
from pathlib import Path

_FILE = "device.json"


def files_dir(data_dir: Path, login: str) -> Path:
    """Where a user's kept files (photos, quote PDFs) live on this device."""
    return Path(data_dir) / "files" / login


def forget_device_record(data_dir: Path) -> None:
    """Delete `device.json` (a wiped device remembers no one)."""
    (Path(data_dir) / _FILE).unlink(missing_ok=True)
    (Path(data_dir) / f"{_FILE}.tmp").unlink(missing_ok=True)


def read_last_login(data_dir: Path) -> str | None:
    """Login of the user signed in on this device, if any."""
    try:
        data = json.loads((Path(data_dir) / _FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    login = data.get("last_login") if isinstance(data, dict) else None
    return login if isinstance(login, str) and login else None


def write_last_login(data_dir: Path, login: str | None) -> None:
    """Remember (or, with None, forget) the signed-in user; replaced atomically."""
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f"{_FILE}.tmp"
    temporary.write_text(json.dumps({"last_login": login}), encoding="utf-8")
    # os.replace is atomic: a crash leaves the old file or the new one, never half of one.
    os.replace(temporary, folder / _FILE)


__all__ = ["files_dir", "forget_device_record", "read_last_login", "write_last_login"]
