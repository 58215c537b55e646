"""The CSV side of the demo export: one writer per file, header from the spec, strict cells."""

import csv
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sync_server.importer.spec import FILES_BY_NAME

Progress = Callable[[str, int], None]


def format_cell(value: Any) -> str:
    """One value as the import format spells it: '' for None, true/false, plain decimals, ISO dates."""
    kind = type(value)  # exact types first: this runs for every cell of a million-row file
    if kind is str:
        return value
    if kind is Decimal:
        # 'f' never switches to exponent notation, which the importer refuses.
        return format(value, "f")
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if kind is int:
        return str(value)
    raise TypeError(f"no CSV form for {kind.__name__}: {value!r}")


class ExportFile:
    """Rows of one file of the export, written as they come, counted."""

    def __init__(self, directory: Path, filename: str, progress: Progress | None) -> None:
        self.filename = filename
        self.columns = FILES_BY_NAME[filename].columns()
        self.rows = 0
        self._progress = progress
        # newline="" lets the csv module choose the line ending; "\n" keeps files byte-stable.
        self._handle = open(directory / filename, "w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        self._csv.writerow(self.columns)

    def write(self, row: dict[str, Any]) -> None:
        """Write one row given as {column: value}; every column must be present, no other."""
        if len(row) != len(self.columns):
            unknown = sorted(set(row) - set(self.columns))
            missing = [c for c in self.columns if c not in row]
            raise ValueError(f"{self.filename}: unknown columns {unknown}, missing {missing}")
        self._csv.writerow([format_cell(row[c]) for c in self.columns])
        self.rows += 1

    def close(self) -> None:
        """Flush and close the file and report its row count."""
        if self._handle.closed:
            return
        self._handle.close()
        if self._progress is not None:
            self._progress(self.filename, self.rows)


class ExportWriter:
    """Opens the export's files on demand and remembers how many rows each received."""

    def __init__(self, directory: Path, progress: Progress | None = None) -> None:
        self.directory = directory
        self._progress = progress
        self._files: dict[str, ExportFile] = {}

    def open(self, filename: str) -> ExportFile:
        """The writer of `filename`, created (with its header) on first use."""
        if filename not in self._files:
            self._files[filename] = ExportFile(self.directory, filename, self._progress)
        return self._files[filename]

    def counts(self) -> dict[str, int]:
        """Rows written per file name, in the order the files were opened."""
        return {name: f.rows for name, f in self._files.items()}

    def close(self) -> None:
        """Close every file still open."""
        for f in self._files.values():
            f.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


__all__ = ["ExportFile", "ExportWriter", "Progress", "format_cell"]
