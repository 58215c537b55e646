"""A 1 % delta of a demo export, for `make bench-import` (see docs/import-format.md, Delta imports).

Deterministic, from the full export's own rows: one row in a hundred of every synced file
is in the delta — stock with `on_hand` one more (changed), payments half as new payments
(a copy under a new id) and half sent again unchanged, the other files sent again
unchanged (an ERP that exports "touched" rows sends many that did not change) — and one
stock row and one invoice line in a thousand are deleted.
"""

import csv
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from sync_server.importer.run import SYNCED_FILES

EVERY = 100
DELETE_EVERY = 1000


def _rows(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    fh = open(path, encoding="utf-8", newline="")
    reader = csv.reader(fh)
    header = next(reader)

    def rows() -> Iterator[list[str]]:
        with fh:
            yield from reader

    return header, rows()


def write_delta(export: Path, out: Path) -> Path:
    """Write the delta of `export` into `out` (replaced); return `out`."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for spec in SYNCED_FILES:
        if spec.filename == "customers.csv" or not (export / spec.filename).exists():
            continue  # customers: their seller comes with portfolio.csv; a full export is the place for both
        header, stream = _rows(export / spec.filename)
        picked: list[list[str]] = []
        doomed: list[list[str]] = []
        for n, row in enumerate(stream):  # streamed: the bench's own memory stays small
            if n % EVERY == 7:
                picked.append(row)
            elif n % DELETE_EVERY == 57:
                doomed.append(row)
        if spec.filename == "stock.csv":
            on_hand = header.index("on_hand")
            for row in picked:
                row[on_hand] = str(Decimal(row[on_hand]) + 1)
        if spec.filename == "payments.csv":
            for n, row in enumerate(picked[::2]):
                row[0] = f"PD{n:07d}"
        if spec.filename in ("stock.csv", "invoice_lines.csv"):
            keys = ("sku", "warehouse_code") if spec.filename == "stock.csv" else ("invoice_number", "line_no")
            where = [header.index(k) for k in keys]
            with open(out / spec.filename.replace(".csv", ".deleted.csv"), "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(keys)
                writer.writerows([row[i] for i in where] for row in doomed)
        with open(out / spec.filename, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(picked)
    return out


__all__ = ["write_delta"]
