"""The problems found in an export, collected so that one run reports all of them.

Every message reads `<file>:<line>: <reason>` (`line` is the 1-based physical line, the
header being line 1) or `<file>: <reason>` for a problem with the whole file. Messages of
one file are sorted by line when the file is done, so a check that can only run at the end
of a file (a category cycle, say) still lands next to the rows it concerns.
"""

from shared.errors import ImportFailed

MAX_MESSAGES = 200


def quote(value: str, limit: int = 60) -> str:
    """A cell value as an error message shows it: quoted, shortened when very long."""
    if len(value) > limit:
        value = value[: limit - 3] + "..."
    return repr(value)


class Problems:
    """Every problem of an export; keeps the first `limit` messages and counts the rest."""

    def __init__(self, limit: int = MAX_MESSAGES) -> None:
        self.limit = limit
        self.count = 0
        self._messages: list[str] = []
        self._pending: list[tuple[int, str]] = []

    def add(self, filename: str, line: int | None, reason: str) -> None:
        """Record one problem; `line` None means the whole file."""
        self.count += 1
        if len(self._messages) + len(self._pending) < self.limit:
            where = filename if line is None else f"{filename}:{line}"
            self._pending.append((line or 0, f"{where}: {reason}"))

    def end_file(self) -> None:
        """Close the current file's messages: sorted by line, after the earlier files'."""
        self._pending.sort(key=lambda item: item[0])
        self._messages.extend(message for _, message in self._pending)
        self._pending.clear()

    def messages(self) -> list[str]:
        """The kept messages, plus a last `... and N more` line when some were left out."""
        self.end_file()
        kept = list(self._messages)
        if self.count > len(kept):
            kept.append(f"... and {self.count - len(kept)} more")
        return kept

    def raise_if_any(self) -> None:
        """Raise `ImportFailed` with every message if any problem was recorded."""
        if self.count:
            raise ImportFailed(self.messages())

    def __bool__(self) -> bool:
        return self.count > 0


__all__ = ["MAX_MESSAGES", "Problems", "quote"]
