"""Which SQLite the device's database runs on: SQLCipher where it is installed, else sqlite3.

Chosen once, at import: desktop installs carry `sqlcipher3` (the `sqlcipher3-binary` wheel)
and get a database encrypted with a random key kept in the platform's secret store; a build
without it (Android, iOS: the platform encrypts the app's storage) opens plain SQLite with
the same code. `docs/security.md` says which holds where.

Both drivers are DB-API modules with the same error names but different classes: code that
catches a driver error catches `ProgrammingError` / `IntegrityError` from here.
"""

import secrets
import sqlite3
from pathlib import Path
from types import ModuleType

try:
    import sqlcipher3.dbapi2 as _sqlcipher  # type: ignore[import-untyped]
except ImportError:  # a platform without the SQLCipher wheel: the platform's storage encryption
    _sqlcipher = None

_CIPHER: ModuleType | None = _sqlcipher
HAS_ENCRYPTION = _CIPHER is not None
"""Whether databases can be encrypted here (the sqlcipher3 module is importable)."""

_PLAIN_HEADER = b"SQLite format 3\x00"
CIPHER_PAGE_SIZE = 8192
"""Page size of every encrypted database (the Store's PAGE_SIZE). SQLCipher cannot read it
from the encrypted file: each keyed connection states it, or its first read fails."""
_KEY_HEX_DIGITS = 64

ProgrammingError: tuple[type[Exception], ...] = (sqlite3.ProgrammingError,) + (
    (_CIPHER.ProgrammingError,) if _CIPHER else ()
)
IntegrityError: tuple[type[Exception], ...] = (sqlite3.IntegrityError,) + ((_CIPHER.IntegrityError,) if _CIPHER else ())
DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError,) + ((_CIPHER.DatabaseError,) if _CIPHER else ())


class EncryptionUnavailable(RuntimeError):
    """A key was given but this build has no SQLCipher to use it."""


def new_key() -> str:
    """A random 256-bit database key, as 64 hex digits (a raw key: no slow derivation at open)."""
    return secrets.token_hex(_KEY_HEX_DIGITS // 2)


def connect(path: Path, *, key: str | None, timeout: float) -> sqlite3.Connection:
    """Open `path`: encrypted with `key` (SQLCipher), or plain sqlite3 when `key` is None.

    The connection may be used from several threads (the Store's locks keep it to one at a
    time). A wrong key raises a driver DatabaseError at the first read.
    """
    if key is None:
        return sqlite3.connect(str(path), timeout=timeout, check_same_thread=False)
    if _CIPHER is None:
        raise EncryptionUnavailable("this build has no SQLCipher: the database cannot be encrypted here")
    if len(key) != _KEY_HEX_DIGITS or any(c not in "0123456789abcdef" for c in key):
        raise ValueError("a database key is 64 lower-case hex digits")
    conn = _CIPHER.connect(str(path), timeout=timeout, check_same_thread=False)
    conn.execute(f"PRAGMA key = \"x'{key}'\"")  # must come before anything reads the file
    conn.execute(f"PRAGMA cipher_page_size = {CIPHER_PAGE_SIZE}")
    return conn


def is_plain_file(path: Path) -> bool:
    """Whether `path` is a plain (unencrypted) SQLite database; False if missing or encrypted."""
    try:
        with open(path, "rb") as file:
            return file.read(len(_PLAIN_HEADER)) == _PLAIN_HEADER
    except FileNotFoundError:
        return False


__all__ = [
    "CIPHER_PAGE_SIZE",
    "HAS_ENCRYPTION",
    "DatabaseError",
    "EncryptionUnavailable",
    "IntegrityError",
    "ProgrammingError",
    "connect",
    "is_plain_file",
    "new_key",
]
