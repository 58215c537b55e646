"""Reading one CSV file of the export as a stream of rows, with file:line problems.

The file is decoded as UTF-8 (a leading BOM is dropped) and parsed with the `csv` module
in strict mode, so a quoted cell may span lines and line numbers stay physical. Rows are
yielded as `{column: cell}` with the physical line where they start; blank rows (nothing
but empty cells) are skipped. A problem that makes the rest of the file unreadable (no
file, a bad header, bytes that are not UTF-8, broken quoting) is reported once and ends
the file; `is_complete` then tells the caller not to trust what the file did not say.
"""

import csv
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from sync_server.importer.problems import Problems, quote
from sync_server.importer.spec import FileSpec

Cells = dict[str, str]


def _is_blank(row: list[str]) -> bool:
    return not row or not any(cell.strip() for cell in row)


def locate_bad_utf8(path: Path) -> tuple[int, int, int] | None:
    """(line, column, byte) of the first byte sequence in `path` that is not UTF-8."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return number, exc.start + 1, raw[exc.start]
    return None


_SEPARATORS = {";": "';'", "\t": "tabs", "|": "'|'"}
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def other_separator(header: list[str], expected: tuple[str, ...]) -> str | None:
    """The separator a header was written with when it is not a comma, said for a message:
    read with ',' it splits into few cells, and with the other separator into known columns."""
    if len(header) * 2 > len(expected):
        return None
    text = ",".join(header)
    for separator, said in _SEPARATORS.items():
        names = [name.strip().strip('"') for name in text.split(separator)]
        known = sum(1 for name in names if name in expected)
        if len(names) > 1 and known * 2 >= len(names):
            return said
    return None


def encoding_hint(path: Path) -> str:
    """What the bytes of a file that is not UTF-8 seem to be, for its message ('' when unsure)."""
    with open(path, "rb") as handle:
        start = handle.read(2)
    if start in _UTF16_MARKS:
        return "; this file seems to be UTF-16 (a Unicode text export)"
    where = locate_bad_utf8(path)
    if where is None:  # pragma: no cover - only called for a file that is not UTF-8
        return ""
    line, column, _byte = where
    with open(path, "rb") as handle:
        raw = next(raw for number, raw in enumerate(handle, start=1) if number == line)
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return ""
    # One byte per character in Windows-1252: the column is the character's place too.
    at = column - 1
    cell = (text[:at].rsplit(",", 1)[-1] + text[at:].split(",", 1)[0]).strip().strip('"')
    return f"; this file seems to be Windows-1252 / Latin-1, where the cell reads {quote(cell)}"


class CsvFile:
    """One file of the export: its header checked against the spec, then its rows."""

    def __init__(self, directory: Path, spec: FileSpec, problems: Problems) -> None:
        self.spec = spec
        self.path = directory / spec.filename
        self.problems = problems
        self.is_complete = True
        self.is_absent = False
        """An optional file that is not in the folder (no rows, and no problem)."""
        self.columns: tuple[str, ...] = ()
        """The header as found in the file (stripped names, file order)."""
        self.stamp: tuple[int, int] | None = None
        """(size, mtime_ns) when the file was opened; tells whether it changed since."""

    def _fail(self, line: int | None, reason: str) -> None:
        self.problems.add(self.spec.filename, line, reason)
        self.is_complete = False

    def rows(self) -> Iterator[tuple[int, Cells]]:
        """Yield (line, {column: cell}) for every non-blank row with the right field count."""
        if not self.path.is_file():
            if self.spec.is_optional and not self.path.exists():
                self.is_absent = True
            else:
                self._fail(None, "missing from the export folder")
            return
        try:
            handle = open(self.path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            self._fail(None, f"cannot be read ({exc.strerror})")
            return
        with handle:
            stat = os.fstat(handle.fileno())
            self.stamp = (stat.st_size, stat.st_mtime_ns)
            reader = csv.reader(handle, strict=True)
            line = 1
            try:
                header: list[str] | None = None
                row: list[str] | None
                for row in reader:
                    if not _is_blank(row):
                        header = row
                        break
                if header is None:
                    self._fail(None, "is empty (no header row)")
                    return
                if not self._check_header(reader.line_num, header):
                    return
                width = len(self.columns)
                columns = self.columns
                while True:
                    line = reader.line_num + 1
                    row = next(reader, None)
                    if row is None:
                        return
                    if len(row) != width:
                        if not _is_blank(row):
                            self.problems.add(self.spec.filename, line, f"expected {width} fields, found {len(row)}")
                        continue
                    if not row[0].strip() and _is_blank(row):
                        continue
                    yield line, dict(zip(columns, row))
            except UnicodeDecodeError:
                where = locate_bad_utf8(self.path)
                if where is None:  # pragma: no cover - the decoder and the scan agree
                    self._fail(None, "is not valid UTF-8; export the files as UTF-8")
                else:
                    bad_line, column, byte = where
                    self._fail(
                        bad_line,
                        f"not valid UTF-8 (byte 0x{byte:02x} at column {column}){encoding_hint(self.path)}; "
                        "export the files as UTF-8",
                    )
            except csv.Error as exc:
                self._fail(line, f"malformed CSV ({exc})")

    def _check_header(self, line: int, header: list[str]) -> bool:
        """Check the header against the spec; False when the rows cannot be read."""
        names = tuple(name.strip() for name in header)
        self.columns = names
        expected = self.spec.columns()
        separator = other_separator(header, expected)
        if separator is not None:
            # One clear cause instead of every column reported missing and one unknown.
            self._fail(line, f"this file seems to use {separator} as separator; Terreno reads ','")
            return False
        twice = [name for name, count in Counter(names).items() if count > 1]
        missing = [c for c in expected if c not in names and c not in self.spec.optional_columns]
        unknown = [n for n in names if n not in expected]
        filename = self.spec.filename
        if twice:
            self._fail(line, f"column(s) named more than once: {', '.join(map(quote, twice))}")
        if missing:
            self._fail(line, f"missing column(s): {', '.join(missing)}")
        if unknown:
            # The other columns are still read, so their problems are reported in this run too.
            self.problems.add(filename, line, f"unknown column(s): {', '.join(map(quote, unknown))}")
        return not twice and not missing


__all__ = ["Cells", "CsvFile", "encoding_hint", "locate_bad_utf8", "other_separator"]
