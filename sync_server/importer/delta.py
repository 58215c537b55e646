"""`import_delta`: only what changed since the last export, all or nothing (docs/import-format.md).

A delta folder holds any of the export's files, each with the rows that are new or
changed (whole rows, the same columns and checks), and `<name>.deleted.csv` files with the
keys of records to delete. A file left out leaves its records as they are. Everything runs
in one transaction, under the change-log lock, so the stored state the delta is checked
against is the one it is written onto:

    DeltaIndex(conn)            the stored keys, roles, sellers, invoices' and price lists'
                                customers: references are checked against the server
    validate_export(...)        every row and deletion checked as in a full import; then
                                no deletion may leave a stored record referring to nothing
    for each synced file:       its rows and deletions written; an unchanged row is not
        sync_prepared(delta)    written (devices download nothing for it)
    customers moved to another  their records (contacts, invoices and lines, payments,
    seller in portfolio.csv     credit, order statuses, customer price lists and items)
                                follow them to the new portfolio
"""

import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from shared.models import PriceListKind, Record
from sync_server.importer.admin_edits import AdminEdits
from sync_server.importer.buckets import bucket_for
from sync_server.importer.problems import Problems, quote
from sync_server.importer.reader import CsvFile
from sync_server.importer.references import REFERENCED, ExportIndex, identity, key_fields
from sync_server.importer.report import ImportProgress, ImportReport, ProgressCallback
from sync_server.importer.rows import RowParser
from sync_server.importer.run import SYNCED_FILES, desired_records, report_of, spooled_records, write_the_rest
from sync_server.importer.spec import FILES, FILES_BY_NAME, SYNCED_MODELS, FileSpec, PortfolioAssignment
from sync_server.importer.validation import ValidatedExport, validate_export
from sync_server.repository.bulk_records import preparer, sync_prepared
from sync_server.repository.changelog import last_seq, lock_changelog
from sync_server.repository.database import Connection, Engine, write_transaction
from sync_server.repository.import_state import ids_referring, stored_column, stored_ids, stored_records_of
from sync_server.repository.records import SyncSummary

DELETED_SUFFIX = ".deleted.csv"


def deleted_filename(spec: FileSpec) -> str:
    """`stock.csv` -> `stock.deleted.csv`."""
    return spec.filename.removesuffix(".csv") + DELETED_SUFFIX


def _key_model(spec: FileSpec) -> type[BaseModel]:
    """A model of the file's key columns, checked as the file's own rows check them."""
    fields: dict[str, Any] = {
        name: (spec.model.model_fields[name].annotation, spec.model.model_fields[name]) for name in key_fields(spec)
    }
    config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, use_enum_values=True)
    return create_model(f"{spec.model.__name__}Key", __config__=config, **fields)


DELETABLE: dict[str, FileSpec] = {
    deleted_filename(spec): FileSpec(deleted_filename(spec), _key_model(spec), is_optional=True)
    for spec in FILES
    if spec.model in SYNCED_MODELS or spec.model is PortfolioAssignment
}
"""The `<name>.deleted.csv` a delta may hold: the synced files' and portfolio.csv's keys."""


class DeltaIndex(ExportIndex):
    """The export's index over the stored records: a reference may name a stored record the
    delta does not delete, owners come from the server unless the delta changes them."""

    def __init__(self, conn: Connection) -> None:
        super().__init__()
        self.stored: dict[str, set[str]] = {entity: stored_ids(conn, entity) for entity in REFERENCED}
        self.deleted: defaultdict[str, dict[str, int]] = defaultdict(dict)
        """Per entity, the ids the delta deletes, with their line in `<name>.deleted.csv`."""
        self.roles = {login: str(role) for login, role in stored_column(conn, "user", "role").items()}
        self.stored_sellers = {c: s for c, s in stored_column(conn, "customer", "seller_login").items() if s}
        self.sellers = dict(self.stored_sellers)
        self.invoice_customers = stored_column(conn, "invoice", "customer_code")
        self.price_list_customers = stored_column(
            conn, "price_list", "customer_code", kind=PriceListKind.CUSTOMER.value
        )

    def has(self, entity: str, key: str) -> bool:
        if key in self.stored.get(entity, ()) and key not in self.deleted.get(entity, ()):
            return True
        return super().has(entity, key)

    def source(self, entity: str) -> str:
        return f"{super().source(entity)} or on the server"

    def moved_customers(self) -> set[str]:
        """Customers the delta's portfolio.csv gives another seller (or none)."""
        return {c for c in {*self.sellers, *self.stored_sellers} if self.sellers.get(c) != self.stored_sellers.get(c)}


class DeltaChecks:
    """Reads each file's deletions before its rows; at the end, refuses a deletion that would
    leave a stored record referring to nothing."""

    def __init__(self, conn: Connection, index: DeltaIndex) -> None:
        self.conn = conn
        self.index = index
        self.deletions: dict[str, dict[str, tuple[int, str]]] = {}
        """Per file, the deleted rows: identity -> (line, record id)."""

    def before_file(self, spec: FileSpec, export: ValidatedExport, problems: Problems) -> None:
        name = deleted_filename(spec)
        key_spec = DELETABLE.get(name)
        if key_spec is None:
            return
        source = CsvFile(export.directory, key_spec, problems)
        parser: RowParser | None = None
        fields = key_fields(spec)
        found: dict[str, tuple[int, str]] = {}
        for line, cells in source.rows():
            parser = parser or RowParser(key_spec, source.columns)
            key, reasons = parser.parse(cells)
            for reason in reasons:
                problems.add(name, line, reason)
            if key is None:
                continue
            record_id = "|".join(str(getattr(key, f)) for f in fields)
            first = found.setdefault(identity(key, fields), (line, record_id))
            if first[0] != line:
                problems.add(
                    name, line, f"{', '.join(fields)}: duplicate {quote(record_id)} (first on line {first[0]})"
                )
        problems.end_file()
        if source.is_absent:
            return
        export.stamps[name] = source.stamp
        self.deletions[spec.filename] = found
        if spec.model is PortfolioAssignment:
            for _key, (_line, code) in found.items():
                self.index.sellers.pop(code, None)  # unassigned (a row of portfolio.csv may assign it again)
        else:
            self.index.deleted[spec.entity].update({rid: line for line, rid in found.values()})

    def finish(self, export: ValidatedExport, problems: Problems) -> None:
        keys = export.keys or {}
        for filename, found in self.deletions.items():
            rows = keys.get(filename, {})
            for key, (line, record_id) in found.items():
                if key in rows:
                    problems.add(
                        deleted_filename(FILES_BY_NAME[filename]),
                        line,
                        f"{quote(record_id)} is also a row of {filename} (line {rows[key]}); "
                        "a record is either changed or deleted",
                    )
        self._still_referred(export, problems)
        problems.end_file()

    def _still_referred(self, export: ValidatedExport, problems: Problems) -> None:
        """A stored record that refers to a deleted one must be deleted or changed too."""
        keys = export.keys or {}
        for target in FILES:
            deleted = self.index.deleted.get(target.entity)
            if not target.entity or not deleted:
                continue
            users: dict[str, list[str]] = defaultdict(list)
            for spec in FILES:
                for ref in spec.references:
                    if ref.entity != target.entity or spec.model not in SYNCED_MODELS:
                        continue
                    for value, rid in ids_referring(self.conn, spec.entity, ref.column, deleted):
                        if rid not in self.index.deleted.get(spec.entity, ()) and rid not in keys.get(
                            spec.filename, ()
                        ):
                            users[value].append(f"{spec.filename} {quote(rid)}")
                if spec.filename == "portfolio.csv" and target.entity == "user":
                    # Assignments are stored on the customers: one that keeps the seller.
                    for value, code in ids_referring(self.conn, "customer", "seller_login", deleted):
                        if self.index.sellers.get(code) == value:
                            users[value].append(f"portfolio.csv {quote(code)}")
                if spec.filename == "price_floors.csv" and target.entity in ("product", "category"):
                    for value, rid in ids_referring(self.conn, "price_floor", "code", deleted):
                        if (
                            rid.startswith(target.entity + "|")
                            and rid not in self.index.deleted.get("price_floor", ())
                            and rid not in keys.get("price_floors.csv", ())
                        ):
                            users[value].append(f"price_floors.csv {quote(rid)}")
            name = deleted_filename(target)
            for value, where in users.items():
                more = f" and {len(where) - 1:,} more" if len(where) > 1 else ""
                problems.add(
                    name,
                    deleted[value],
                    f"{', '.join(key_fields(target))}: {quote(value)} is still used by {where[0]}{more}; "
                    "delete or change those rows in the same delta",
                )


def _moved_records(conn: Connection, index: DeltaIndex, moved: set[str]) -> dict[str, list[Record]]:
    """The stored records of customers that moved to another seller, per entity."""
    found: dict[str, list[Record]] = {}
    customers = stored_records_of(conn, "customer", "code", moved)
    found["customer"] = [c.model_copy(update={"seller_login": index.sellers.get(c.record_id())}) for c in customers]
    for entity in ("contact", "credit", "invoice", "payment", "order_status", "price_list"):
        found[entity] = stored_records_of(conn, entity, "customer_code", moved)
    invoices = [n for n, c in index.invoice_customers.items() if c in moved]
    found["invoice_line"] = stored_records_of(conn, "invoice_line", "invoice_number", invoices)
    lists = [code for code, c in index.price_list_customers.items() if c in moved]
    found["price_list_item"] = stored_records_of(conn, "price_list_item", "price_list_code", lists)
    return found


def _write(
    conn: Connection,
    export: ValidatedExport,
    checks: DeltaChecks,
    kept: AdminEdits,
    progress: ProgressCallback | None,
) -> dict[str, SyncSummary]:
    index = export.index
    assert isinstance(index, DeltaIndex)
    summaries: dict[str, SyncSummary] = {}
    for spec in SYNCED_FILES:
        deleted = [rid for _line, rid in checks.deletions.get(spec.filename, {}).values()]
        if spec.filename in export.absent and not deleted:
            continue
        if spec.filename in export.absent:
            items: Any = ()
        elif spec.filename in export.spools:
            items = spooled_records(export, spec, progress)
        else:
            items = desired_records(export, spec, progress)
        items = kept.merge_prepared(spec, items)
        summaries[spec.entity] = sync_prepared(conn, spec.entity, items, delta=True, deleted=deleted)
        if progress is not None and spec.filename not in export.absent:
            rows = export.rows[spec.filename]
            progress(ImportProgress("write", spec.filename, rows, rows))
    moved = index.moved_customers()
    if moved:
        for entity, stored in _moved_records(conn, index, moved).items():
            prepare = preparer(entity)
            moving = sync_prepared(conn, entity, (prepare(r, bucket_for(r, index)) for r in stored), delta=True)
            before = summaries.get(entity, SyncSummary(entity, 0, 0, 0, 0))
            summaries[entity] = SyncSummary(
                entity, before.inserted, before.updated + moving.updated, before.deleted, before.unchanged
            )
    return summaries


def import_delta(engine: Engine, directory: Path, progress: ProgressCallback | None = None) -> ImportReport:
    """Import a delta folder: its rows added or changed, its deletions applied, all or nothing.

    Raises `ImportFailed` with every problem and writes nothing when the delta has any.
    """
    started = time.perf_counter()
    with write_transaction(engine) as conn:
        # Checked under the lock: the state the delta is checked against is the one it changes.
        lock_changelog(conn)
        before = last_seq(conn)
        index = DeltaIndex(conn)
        checks = DeltaChecks(conn, index)
        export = validate_export(Path(directory), progress, index=index, delta=checks)
        try:
            kept = AdminEdits(conn, export, delta=True)  # users and teams: an administrator's changes stay
            summaries = _write(conn, export, checks, kept, progress)
            passwords_set = write_the_rest(conn, export, kept, summaries)
        finally:
            export.close()
        after = last_seq(conn)
    return report_of(export, summaries, started, (before, after), passwords_set, tuple(kept.notes))


__all__ = ["DELETABLE", "DeltaChecks", "DeltaIndex", "deleted_filename", "import_delta"]
