"""Text as the infix search indexes hold it, and as a search for them must be typed: accents folded.

FTS5's trigram tokenizer folds case but, in the SQLite this app ships with (3.40), not
accents (`remove_diacritics` came to trigram in 3.45). So the indexed values and the
searched words both go through `fold_accents` ("Peñalara" → "Penalara"); the indexes'
triggers and content views call it as `terreno_fold`, registered on every connection.
"""

import sqlite3
import unicodedata

FOLD_FUNCTION = "terreno_fold"
"""SQL name of `fold_accents`, which the m0013 triggers and views call."""


def fold_accents(text: str | None) -> str | None:
    """`text` without its accents and other combining marks; case is kept (trigram folds it)."""
    if text is None or text.isascii():  # codes and most names: nothing to fold, no copy
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def register_fold_function(conn: sqlite3.Connection) -> None:
    """Make `terreno_fold(text)` callable from this connection's SQL.

    Every connection that writes customers or products needs it: the infix indexes'
    triggers call it.
    """
    conn.create_function(FOLD_FUNCTION, 1, fold_accents, deterministic=True)


__all__ = ["FOLD_FUNCTION", "fold_accents", "register_fold_function"]
