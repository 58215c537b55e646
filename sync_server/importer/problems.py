"""The problems found in an export, collected so that one run reports all of them.

Every message reads `<file>:<line>: <reason>` (`line` is the 1-based physical line, the
header being line 1) or `<file>: <reason>` for a problem with the whole file. Messages of
one file are sorted by line, so a check that can only run at the end of a file (a category
cycle, say) still lands next to the rows it concerns.

Every problem is counted, in total and per file; the messages shown are capped at `limit`
and shared out across the files that have problems (a file with 2,000 bad rows does not
hide the one bad row of the next file), each file's shown messages followed by a line
saying how many more it has.
"""

from dataclasses import dataclass

from shared.errors import ImportFailed

MAX_MESSAGES = 200
_HELD = "(held)"
_DROPPED = "(dropped)"


@dataclass(frozen=True, slots=True)
class Held:
    """A problem counted, its message to come (`Problems.hold`)."""

    filename: str
    line: int
    slot: int | None
    """Its place among the file's kept messages (None: not kept, only counted)."""


def quote(value: str, limit: int = 60) -> str:
    """A cell value as an error message shows it: quoted, shortened when very long."""
    if len(value) > limit:
        value = value[: limit - 3] + "..."
    return repr(value)


def share_out(sizes: list[int], slots: int) -> list[int]:
    """How many of each file's messages to show: `slots` dealt out one at a time in turn to
    every file that still has some, so a small file shows all of its own."""
    shown = [0] * len(sizes)
    while slots > 0:
        dealt = False
        for i, size in enumerate(sizes):
            if slots and shown[i] < size:
                shown[i] += 1
                slots -= 1
                dealt = True
        if not dealt:
            break
    return shown


class Problems:
    """Every problem of an export: counted in full, the first `limit` messages of each file kept."""

    def __init__(self, limit: int = MAX_MESSAGES) -> None:
        self.limit = limit
        self.count = 0
        """Every problem recorded (also those whose message is not kept)."""
        self.counts: dict[str, int] = {}
        """Problems per file, in the order the files were checked."""
        self._kept: dict[str, list[tuple[int, str]]] = {}
        self._held = 0

    def hold(self, filename: str, line: int) -> "Held":
        """Count a problem found now whose message is known only later (a repeated key's first
        line, looked up at the end of the file): its place among the kept messages is taken
        now, as if it had been added, and `settle` says it or takes it back."""
        self.count += 1
        self.counts[filename] = self.counts.get(filename, 0) + 1
        kept = self._kept.setdefault(filename, [])
        if len(kept) >= self.limit:
            return Held(filename, line, None)
        self._held += 1
        kept.append((line, _HELD))
        return Held(filename, line, len(kept) - 1)

    def settle(self, held: "Held", reason: str | None) -> None:
        """Say a held problem (`reason`), or take it back (None: it was no problem)."""
        if reason is None:
            self.count -= 1
            self.counts[held.filename] -= 1
            if not self.counts[held.filename]:
                del self.counts[held.filename]
        if held.slot is None:
            return
        self._held -= 1
        kept = self._kept[held.filename]
        kept[held.slot] = (held.line, _DROPPED if reason is None else f"{held.filename}:{held.line}: {reason}")

    def add(self, filename: str, line: int | None, reason: str) -> None:
        """Record one problem; `line` None means the whole file."""
        self.count += 1
        self.counts[filename] = self.counts.get(filename, 0) + 1
        kept = self._kept.setdefault(filename, [])
        if len(kept) < self.limit:  # no file needs more than all the slots
            where = filename if line is None else f"{filename}:{line}"
            kept.append((line or 0, f"{where}: {reason}"))

    def end_file(self) -> None:
        """Close the current file's messages (sorted by line; kept for the compatibility of callers)."""
        assert not self._held, "a held problem was not settled before the end of its file"
        for name, kept in list(self._kept.items()):
            kept[:] = [item for item in kept if item[1] is not _DROPPED]
            kept.sort(key=lambda item: item[0])
            if not kept and not self.counts.get(name):
                del self._kept[name]

    def messages(self) -> list[str]:
        """The shown messages, file by file, each file's followed by `... and N more` when some
        of its problems are not shown."""
        self.end_file()
        files = list(self._kept)
        shown = share_out([len(self._kept[name]) for name in files], self.limit)
        lines: list[str] = []
        for name, n in zip(files, shown, strict=True):
            lines.extend(message for _, message in self._kept[name][:n])
            rest = self.counts[name] - n
            if rest:
                lines.append(f"{name}: ... and {rest:,} more {'problem' if rest == 1 else 'problems'} in this file")
        return lines

    def raise_if_any(self) -> None:
        """Raise `ImportFailed` (every problem counted, the shown messages) if any was recorded."""
        if self.count:
            raise ImportFailed(self.messages(), self.count, dict(self.counts))

    def __bool__(self) -> bool:
        return self.count > 0


__all__ = ["MAX_MESSAGES", "Held", "Problems", "quote", "share_out"]
