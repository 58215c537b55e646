"""What an import tells its caller: progress while it runs, a report when it is done."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from sync_server.repository.records import SyncSummary

PROGRESS_EVERY = 10_000
"""Rows between two progress calls within a file (each file's end is reported too)."""


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Where an import is: reading (validating) or writing a file, and how far into it."""

    phase: Literal["read", "write"]
    file: str
    rows_done: int
    rows_total: int | None
    """Rows of the file; None while reading, until the file's last row was read."""


ProgressCallback = Callable[[ImportProgress], None]


@dataclass(frozen=True, slots=True)
class AdminNote:
    """A user or team an administrator changed: what the import kept of hers, or replaced."""

    file: str
    key: str
    """The row's key (a login, a team code)."""
    text: str
    kept: bool
    """True: her value stays; False: the ERP's new value replaced hers."""

    def line(self) -> str:
        return f"{self.file}: {self.key}: {self.text}"


@dataclass(frozen=True)
class ImportReport:
    """The outcome of a successful import."""

    entities: dict[str, SyncSummary] = field(default_factory=dict)
    """Per entity, in the order written: inserted, updated, deleted, unchanged."""
    rows_read: int = 0
    elapsed_seconds: float = 0.0
    first_seq: int | None = None
    """First change-log seq written by the import; None when nothing changed."""
    last_seq: int | None = None
    passwords_set: int = 0
    """Password hashes that were new or different."""
    admin_notes: tuple[AdminNote, ...] = ()
    """Users and teams an administrator changed: each field kept or replaced (importer/admin_edits.py)."""

    @property
    def inserted(self) -> int:
        return sum(s.inserted for s in self.entities.values())

    @property
    def updated(self) -> int:
        return sum(s.updated for s in self.entities.values())

    @property
    def deleted(self) -> int:
        return sum(s.deleted for s in self.entities.values())

    @property
    def unchanged(self) -> int:
        return sum(s.unchanged for s in self.entities.values())

    @property
    def changes(self) -> int:
        """Records inserted, updated or deleted."""
        return self.inserted + self.updated + self.deleted

    def summary(self) -> str:
        """A few lines for a person: the totals, then a table of the counts per entity."""
        rate = self.rows_read / self.elapsed_seconds if self.elapsed_seconds else 0.0
        seqs = f"change log seq {self.first_seq}–{self.last_seq}" if self.first_seq else "no change-log entries"
        lines = [
            f"Imported {self.rows_read:,} rows in {self.elapsed_seconds:.1f}s ({rate:,.0f} rows/s): "
            f"{self.inserted:,} inserted, {self.updated:,} updated, {self.deleted:,} deleted, "
            f"{self.unchanged:,} unchanged; {seqs}; {self.passwords_set} password(s) set.",
        ]
        if self.entities:
            lines.append(f"  {'entity':16} {'inserted':>10} {'updated':>10} {'deleted':>10} {'unchanged':>10}")
        for s in self.entities.values():
            lines.append(f"  {s.entity:16} {s.inserted:>10,} {s.updated:>10,} {s.deleted:>10,} {s.unchanged:>10,}")
        kept = [n.line() for n in self.admin_notes if n.kept]
        replaced = [n.line() for n in self.admin_notes if not n.kept]
        if kept:
            lines.append(f"Kept {len(kept)} administrator's change(s):")
            lines.extend(f"  {line}" for line in kept)
        if replaced:
            lines.append(f"Replaced {len(replaced)} administrator's change(s) with the ERP's new values:")
            lines.extend(f"  {line}" for line in replaced)
        return "\n".join(lines)


__all__ = ["PROGRESS_EVERY", "AdminNote", "ImportProgress", "ImportReport", "ProgressCallback"]
