"""The first pass of an import: read and check every file, write nothing.

Every row is validated and every check run, across all files, so that one run reports
every problem (`ImportFailed`). What survives the pass is small: the `ExportIndex` (keys,
owners, roles, password hashes), the row count and a stamp of each file, and each synced
file's records made ready to write (`Prepared`) in a spool on disk, so the write pass
neither parses nor validates again and memory stays flat on an export of millions of
rows. Spooling stops at the first problem: a refused export is only checked. Customers
are not spooled: their seller (and bucket) comes from portfolio.csv, read after them; the
write pass reads customers.csv again.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from shared.models import Customer
from sync_server.importer.buckets import bucket_for
from sync_server.importer.company import ImportedCompany, check_company
from sync_server.importer.problems import Problems
from sync_server.importer.reader import CsvFile
from sync_server.importer.references import ExportIndex, FileChecks
from sync_server.importer.report import PROGRESS_EVERY, ImportProgress, ProgressCallback
from sync_server.importer.rows import RowParser
from sync_server.importer.spec import FILES, SYNCED_MODELS, FileSpec
from sync_server.importer.spool import Spool
from sync_server.repository.bulk_records import preparer


@dataclass
class ValidatedExport:
    """An export folder that passed every check, with what the write pass needs."""

    directory: Path
    index: ExportIndex
    rows: dict[str, int] = field(default_factory=dict)
    """Data rows per file name."""
    stamps: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    """(size, mtime_ns) of each file when it was checked."""
    absent: set[str] = field(default_factory=set)
    """Optional files that are not in the folder: their stored records are kept."""
    company: ImportedCompany | None = None
    """The company profile of `company.csv` with its logo (None: the file is absent)."""
    keys: dict[str, dict[str, int]] | None = None
    """A delta's row keys (identity -> line) per file; None in a full import (not kept)."""
    spools: dict[str, Spool] = field(default_factory=dict)
    """The prepared records of each synced file but customers.csv (see the module's doc)."""

    def close(self) -> None:
        """Drop the spools (their temporary files)."""
        for spool in self.spools.values():
            spool.close()
        self.spools.clear()

    @property
    def rows_read(self) -> int:
        return sum(self.rows.values())


def _valid_rows(directory: Path, spec: FileSpec) -> Iterator[tuple[int, Any]]:
    """The file's valid rows again, (line, record): where a repeated key's first row is."""
    source = CsvFile(directory, spec, Problems())  # its problems are known already
    parser: RowParser | None = None
    for line, cells in source.rows():
        parser = parser or RowParser(spec, source.columns)
        record, _ = parser.parse(cells)
        if record is not None:
            yield line, record


def _expected_rows(path: Path) -> int:
    """About how many rows a file has, from its size (a guess: the table grows if it is short)."""
    try:
        return os.stat(path).st_size // 48
    except OSError:
        return 0


def _check_file(spec: FileSpec, export: ValidatedExport, problems: Problems, progress: ProgressCallback | None) -> None:
    source = CsvFile(export.directory, spec, problems)
    checks = FileChecks(
        spec,
        export.index,
        problems,
        lines=export.keys is not None,
        expected_rows=_expected_rows(source.path),
    )
    parser: RowParser | None = None
    spool: Spool | None = None
    if spec.model in SYNCED_MODELS and spec.model is not Customer and not problems:
        spool = export.spools[spec.filename] = Spool()
        prepare = preparer(spec.entity)
    index = export.index
    count = 0
    for line, cells in source.rows():
        if parser is None:
            parser = RowParser(spec, source.columns)
        record, reasons = parser.parse(cells)
        if record is None:
            for reason in reasons:
                problems.add(spec.filename, line, reason)
            checks.reject(cells)
        else:
            checks.check(line, record, cells)
        if spool is not None:
            if problems:  # the export is refused: check the rest, write nothing
                export.close()
                spool = None
            else:
                spool.add(prepare(record, bucket_for(record, index)))
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(ImportProgress("read", spec.filename, count, None))
    if spool is not None:
        spool.finish()
    checks.finish(source.is_complete, lambda: _valid_rows(export.directory, spec))
    problems.end_file()
    if export.keys is not None:
        export.keys[spec.filename] = checks.seen
    export.rows[spec.filename] = count
    export.stamps[spec.filename] = source.stamp
    if source.is_absent:
        export.absent.add(spec.filename)
    if progress is not None and not (source.is_absent and export.keys is not None):
        # A delta's absent files are most of them, and say nothing: not shown.
        progress(ImportProgress("read", spec.filename, count, count))


class DeltaChecks(Protocol):
    """What a delta import adds to the checks (importer/delta.py)."""

    def before_file(self, spec: FileSpec, export: "ValidatedExport", problems: Problems) -> None:
        """Read the file's deletions (`<name>.deleted.csv`), before its rows."""

    def finish(self, export: "ValidatedExport", problems: Problems) -> None:
        """The checks that need every file read (deletions of records still referred to)."""


def validate_export(
    directory: Path,
    progress: ProgressCallback | None = None,
    *,
    index: ExportIndex | None = None,
    delta: DeltaChecks | None = None,
) -> ValidatedExport:
    """Check every file of the export in `directory`; raise ImportFailed listing every problem.

    A delta (`delta`, with an `index` that knows the stored records) may leave out any file.
    """
    problems = Problems()
    export = ValidatedExport(directory, index if index is not None else ExportIndex())
    if delta is not None:
        export.keys = {}
    export.company = check_company(directory, problems)
    try:
        for spec in FILES:
            if delta is not None:
                delta.before_file(spec, export, problems)
                spec = replace(spec, is_optional=True)
            _check_file(spec, export, problems, progress)
        if delta is not None:
            delta.finish(export, problems)
        problems.raise_if_any()
    except BaseException:
        export.close()
        raise
    return export


__all__ = ["DeltaChecks", "ValidatedExport", "validate_export"]
