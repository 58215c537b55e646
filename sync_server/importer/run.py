"""`import_export`: an ERP export folder into the server, all or nothing.

    validate_export(directory)          pass 1: read and check every file, write nothing;
                                        any problem -> ImportFailed listing all of them
                                        (and spool each synced file's records, prepared)
    write_transaction(engine):          pass 2, one transaction:
        for each synced file in order:  its spool (customers.csv: read again, now that
            sync_prepared(...)          the sellers are known), written in bulk: only
                                        the differences, and their change log
                                        (an optional file that is absent: the stored
                                        records, kept and given their bucket again)
        store_password_hashes(...)

A crash or a file that changed between the passes rolls the transaction back, so the
database holds either the whole export or what it held before.
"""

import os
import time
from collections.abc import Iterator
from pathlib import Path

from shared.errors import ImportFailed
from shared.models import Customer
from sync_server.importer.admin_edits import AdminEdits
from sync_server.importer.buckets import bucket_for
from sync_server.importer.company import write_company
from sync_server.importer.leads import LEADS_FILE, import_leads
from sync_server.importer.problems import Problems
from sync_server.importer.reader import CsvFile
from sync_server.importer.report import (
    PROGRESS_EVERY,
    AdminNote,
    ImportProgress,
    ImportReport,
    ProgressCallback,
)
from sync_server.importer.rows import RowParser
from sync_server.importer.spec import FILES, SYNCED_MODELS, FileSpec
from sync_server.importer.validation import ValidatedExport, validate_export
from sync_server.repository.bulk_records import Prepared, preparer, sync_prepared
from sync_server.repository.changelog import last_seq, lock_changelog
from sync_server.repository.credentials import store_password_hashes
from sync_server.repository.database import Connection, Engine, write_transaction
from sync_server.repository.records import SyncSummary, stored_records

SYNCED_FILES: tuple[FileSpec, ...] = tuple(spec for spec in FILES if spec.model in SYNCED_MODELS)
"""The files whose rows become synced records, in the order they are written."""


def _changed(filename: str) -> ImportFailed:
    return ImportFailed([f"{filename}: changed while it was being imported; nothing was imported, run it again"])


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _progressing(
    items: Iterator[Prepared], spec: FileSpec, total: int, progress: ProgressCallback | None
) -> Iterator[Prepared]:
    for done, item in enumerate(items, start=1):
        yield item
        if progress is not None and done % PROGRESS_EVERY == 0 and done < total:
            # The file's total is reported once it is written, by the caller of sync_prepared.
            progress(ImportProgress("write", spec.filename, done, total))


def spooled_records(
    export: ValidatedExport, spec: FileSpec, progress: ProgressCallback | None = None
) -> Iterator[Prepared]:
    """The prepared records of one checked file, from its spool; the file must not have
    changed since it was checked."""
    if _stamp(export.directory / spec.filename) != export.stamps[spec.filename]:
        raise _changed(spec.filename)
    spool = export.spools.pop(spec.filename)
    if spool.count != export.rows[spec.filename]:  # pragma: no cover - spooled while checked
        raise _changed(spec.filename)
    yield from _progressing(spool.read(), spec, spool.count, progress)


def desired_records(
    export: ValidatedExport, spec: FileSpec, progress: ProgressCallback | None = None
) -> Iterator[Prepared]:
    """The records of one checked file with their buckets, read again from the file
    (customers.csv: each customer's seller is known only after portfolio.csv)."""
    expected_stamp = export.stamps[spec.filename]
    total = export.rows[spec.filename]
    prepare = preparer(spec.entity)
    problems = Problems()
    source = CsvFile(export.directory, spec, problems)
    index = export.index
    is_customer = spec.model is Customer
    home = export.company.profile.country if export.company is not None else None
    parser: RowParser | None = None
    done = 0
    for _line, cells in source.rows():
        if parser is None:
            if source.stamp != expected_stamp:
                raise _changed(spec.filename)
            parser = RowParser(spec, source.columns)
        record, reasons = parser.parse(cells)
        if record is None:
            raise _changed(spec.filename)
        if is_customer:
            update = {"seller_login": index.seller_of_customer(record.code)}
            if home is not None and "country" not in record.model_fields_set:
                update["country"] = home  # an empty cell: the issuer's own country, not the model's ES
            record = record.model_copy(update=update)
        yield prepare(record, bucket_for(record, index))
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0 and done < total:
            # The file's total is reported once it is written, by the caller of sync_entity.
            progress(ImportProgress("write", spec.filename, done, total))
    if problems or done != total or _stamp(source.path) != expected_stamp:
        raise _changed(spec.filename)


def kept_records(conn: Connection, export: ValidatedExport, spec: FileSpec) -> Iterator[Prepared]:
    """The stored records of an optional file the export left out, in their bucket of this export.

    An absent file says nothing new, so its records stay; but they follow their customer:
    a customer moved to another seller takes them along, and one no longer in the export
    takes them away (they would belong to no portfolio).
    """
    customers = export.index.keys.get("customer", {})
    index = export.index
    prepare = preparer(spec.entity)
    for record in stored_records(conn, spec.entity):
        code = getattr(record, "customer_code", None)
        if code is not None and code not in customers:
            continue
        yield prepare(record, bucket_for(record, index))


def import_export(engine: Engine, directory: Path, progress: ProgressCallback | None = None) -> ImportReport:
    """Import the ERP export in `directory`: every file checked, then all written or nothing.

    Raises `ImportFailed` with every problem (`<file>:<line>: <reason>`) and writes nothing
    when the export has any. Otherwise makes the stored reference data equal the export,
    writing only the differences to the change log, and reports what changed.
    """
    started = time.perf_counter()
    export = validate_export(Path(directory), progress)
    summaries: dict[str, SyncSummary] = {}
    try:
        with write_transaction(engine) as conn:
            before, after, passwords, notes = _write(conn, export, summaries, progress)
    finally:
        export.close()
    return report_of(export, summaries, started, (before, after), passwords, notes)


def report_of(
    export: ValidatedExport,
    summaries: dict[str, SyncSummary],
    started: float,
    seqs: tuple[int, int],
    passwords_set: int,
    notes: tuple[AdminNote, ...],
) -> ImportReport:
    """A full or a delta import's report: `seqs` is the change log's last seq before and after."""
    before, after = seqs
    return ImportReport(
        entities=summaries,
        rows_read=export.rows_read,
        elapsed_seconds=time.perf_counter() - started,
        first_seq=before + 1 if after > before else None,
        last_seq=after if after > before else None,
        passwords_set=passwords_set,
        admin_notes=notes,
    )


def _write(
    conn: Connection, export: ValidatedExport, summaries: dict[str, SyncSummary], progress: ProgressCallback | None
) -> tuple[int, int, int, tuple[AdminNote, ...]]:
    """The write pass, in the caller's transaction: (last seq before, last seq after,
    passwords set, what it kept of the administrators' changes)."""
    # Take the change-log lock before reading the stored state: a second import (another
    # server process) waits here instead of diffing against rows that are changing.
    lock_changelog(conn)
    before = last_seq(conn)
    kept = AdminEdits(conn, export)  # users and teams: an administrator's changes stay
    for spec in SYNCED_FILES:
        if spec.filename in export.absent:
            summaries[spec.entity] = sync_prepared(conn, spec.entity, kept_records(conn, export, spec))
            continue
        if spec.filename in export.spools:
            items = spooled_records(export, spec, progress)
        else:
            items = desired_records(export, spec, progress)
        summaries[spec.entity] = sync_prepared(conn, spec.entity, kept.merge_prepared(spec, items))
        if progress is not None:
            rows = export.rows[spec.filename]
            progress(ImportProgress("write", spec.filename, rows, rows))
    passwords_set = write_the_rest(conn, export, kept, summaries)
    after = last_seq(conn)
    return before, after, passwords_set, tuple(kept.notes)


def write_the_rest(
    conn: Connection, export: ValidatedExport, kept: AdminEdits, summaries: dict[str, SyncSummary]
) -> int:
    """What follows the synced files, in a full or a delta import: the leads, the password
    hashes (an administrator's passwords kept) and the company profile. Returns the number of
    passwords set."""
    if LEADS_FILE not in export.absent:
        summaries["lead"] = import_leads(conn, export.directory)
    passwords = store_password_hashes(conn, export.index.password_hashes)
    kept.note_passwords(passwords.kept)
    if export.company is not None:
        write_company(conn, export.company)
    return passwords.set


__all__ = [
    "SYNCED_FILES",
    "desired_records",
    "import_export",
    "kept_records",
    "report_of",
    "spooled_records",
    "write_the_rest",
]
