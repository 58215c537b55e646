"""What an export contains, and the checks that look beyond a single row.

Files are read in dependency order (spec.FILES), so when a row refers to another file that
file is already known. `ExportIndex` keeps what later rows and the bucket rules ask about:
the keys of every referenced entity, users' roles, each customer's seller, each invoice's
and customer price list's customer, and users' password hashes. `FileChecks` runs the
checks of one file row by row: duplicate keys, references, a price floor's code, a
portfolio's seller, a password hash, and at the end of the file references into the same
file and category and team cycles.

An export with a broken file (missing, bad header, not UTF-8) or bad rows is refused
anyway; to keep the report about causes and not consequences, references into a file that
could not be read completely, or to a key whose own row was refused, are not reported.
"""

import sys
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from decimal import Decimal
from typing import Any

from shared.models import FloorScope, PriceListKind, Role
from shared.rules.teams import cycles
from sync_server.importer.keyset import ExactKeys, KeyPrints
from sync_server.importer.password_hashes import hash_problem
from sync_server.importer.problems import Held, Problems, quote
from sync_server.importer.reader import Cells
from sync_server.importer.spec import FILES, FileSpec, PortfolioAssignment

_FILE_OF = {spec.entity: spec.filename for spec in FILES if spec.entity}
REFERENCED = frozenset({r.entity for spec in FILES for r in spec.references} | {"product", "category"})


def key_fields(spec: FileSpec) -> tuple[str, ...]:
    """The fields that identify a row of `spec` (a portfolio row: its customer)."""
    if spec.model is PortfolioAssignment:
        return ("customer_code",)
    return spec.model.KEY  # type: ignore[attr-defined]


def identity(record: Any, fields: tuple[str, ...]) -> str:
    """The row's key as text; equal decimals ('1', '1.0') give the same text."""
    if len(fields) == 1:
        return str(getattr(record, fields[0]))
    parts = []
    for name in fields:
        value = getattr(record, name)
        parts.append(format(value.normalize(), "f") if isinstance(value, Decimal) else str(value))
    return "|".join(parts)


class ExportIndex:
    """What the export holds that other rows refer to; answers `buckets.Owners` for it."""

    def __init__(self) -> None:
        self.keys: dict[str, Collection[str]] = {}
        """Keys of each referenced entity."""
        self.tolerated: defaultdict[str, set[str]] = defaultdict(set)
        """Keys as written on refused rows: refused once, not again in every reference."""
        self.incomplete: set[str] = set()
        self.roles: dict[str, str] = {}
        self.sellers: dict[str, str] = {}
        self.invoice_customers: dict[str, str] = {}
        self.price_list_customers: dict[str, str] = {}
        self.password_hashes: dict[str, str] = {}

    def has(self, entity: str, key: str) -> bool:
        """Whether a reference to `key` of `entity` is to be accepted."""
        return key in self.keys.get(entity, ()) or key in self.tolerated.get(entity, ()) or entity in self.incomplete

    def source(self, entity: str) -> str:
        """Where a reference to `entity` is looked for, as a message says it."""
        return _FILE_OF[entity]

    def seller_of_customer(self, customer_code: str) -> str | None:
        """Login of the customer's seller in portfolio.csv; None when unassigned."""
        return self.sellers.get(customer_code)

    def customer_of_invoice(self, invoice_number: str) -> str:
        """Code of the invoice's customer."""
        return self.invoice_customers[invoice_number]

    def customer_of_price_list(self, price_list_code: str) -> str | None:
        """The customer of a customer price list; None for base and segment lists."""
        return self.price_list_customers.get(price_list_code)


class FileChecks:
    """The checks of one file that need more than the row itself, fed row by row.

    A repeated key is found as its row comes (the row is not a first one for the rules of
    single files) and reported at the end of the file, when the line of its first row is
    looked up (`finish`): only a delta keeps every key's line (`lines`), which it needs."""

    def __init__(
        self, spec: FileSpec, index: ExportIndex, problems: Problems, *, lines: bool = False, expected_rows: int = 0
    ) -> None:
        self.spec = spec
        self.index = index
        self.problems = problems
        self.key_fields = key_fields(spec)
        self.seen: dict[str, int] = {}
        """A delta's keys with their lines (`lines`); empty otherwise."""
        self._lines = lines
        self._deferred: list[tuple[int, str, str]] = []
        self._parents: dict[str, tuple[str | None, int]] = {}
        self._extra = {
            "users.csv": self._user,
            "categories.csv": self._category,
            "teams.csv": self._team,
            "portfolio.csv": self._assignment,
            "invoices.csv": self._invoice,
            "price_lists.csv": self._price_list,
            "price_floors.csv": self._price_floor,
            "leads.csv": self._lead,
        }.get(spec.filename)
        # Keys other files ask for, and those the rules of single files need exactly, are
        # kept; any other file's only find repeats: their prints do (see importer/keyset.py).
        exact = lines or spec.entity in REFERENCED or self._extra is not None
        self._keys: ExactKeys | KeyPrints = ExactKeys() if exact else KeyPrints(expected_rows)
        self._references = [
            (ref, () if ref.entity == spec.entity else index.keys.get(ref.entity, ())) for ref in spec.references
        ]
        """Each reference with the keys it is usually found among (the file it names, read before)."""
        self._repeats: list[tuple[Held, str, str]] = []
        """(its problem, key, the key as its message says it) of rows whose key was met before."""

    def _problem(self, line: int, reason: str) -> None:
        self.problems.add(self.spec.filename, line, reason)

    def _reference(self, line: int, column: str, entity: str, value: str) -> None:
        if not self.index.has(entity, value):
            self._problem(line, f"{column}: no {entity} {quote(value)} in {self.index.source(entity)}")

    def check(self, line: int, record: Any, cells: Cells) -> None:
        """Check one valid row and remember what later files will ask about it."""
        key = identity(record, self.key_fields)
        is_first = self._keys.add_new(key)
        if self._lines and is_first:
            self.seen[key] = line
        if not is_first:
            said = key if self.spec.model is PortfolioAssignment else record.record_id()
            self._repeats.append((self.problems.hold(self.spec.filename, line), key, said))
        for ref, known in self._references:
            value = getattr(record, ref.column)
            if value is None or value in known:  # the usual answer, before `has`'s other questions
                continue
            if ref.entity == self.spec.entity:
                self._deferred.append((line, ref.column, value))
            else:
                self._reference(line, ref.column, ref.entity, value)
        if self._extra is not None:
            self._extra(line, record, cells, is_first)

    def reject(self, cells: Cells) -> None:
        """A row that failed validation: keep its key as written, so references to it pass."""
        if self.spec.entity in REFERENCED and len(self.key_fields) == 1:
            raw = cells.get(self.key_fields[0], "").strip()
            if raw:
                self.index.tolerated[self.spec.entity].update((raw, raw.lower()))

    def finish(self, is_complete: bool, again: Callable[[], Iterable[tuple[int, Any]]]) -> None:
        """End of the file: repeated keys, references into the file itself, cycles, and what
        to keep. `again` reads the file's valid rows once more, (line, record), in order."""
        entity = self.spec.entity
        if not is_complete:
            self.index.incomplete.add(entity)
        if self._repeats:
            self._report_repeats(again)
        if self._deferred or entity in REFERENCED:
            keys = self._keys
            assert isinstance(keys, ExactKeys), "a file referring to itself is a referenced one"
            for line, column, value in self._deferred:
                if value not in keys:
                    self._reference(line, column, entity, value)
            if entity in REFERENCED:
                self.index.keys[entity] = keys
        if self._parents:
            self._report_cycles()

    def _report_repeats(self, again: Callable[[], Iterable[tuple[int, Any]]]) -> None:
        """A problem for each row whose key an earlier row has, naming that row's line (a
        print met again by another key is no problem: the keys themselves are compared)."""
        if self._lines:
            first = self.seen
        else:
            wanted = {key for _, key, _ in self._repeats}
            first = {}
            for line, record in again():
                key = identity(record, self.key_fields)
                if key in wanted:
                    first.setdefault(key, line)
        for held, key, said in self._repeats:
            start = first.get(key, held.line)
            if start >= held.line:
                self.problems.settle(held, None)
            elif self.spec.model is PortfolioAssignment:
                self.problems.settle(held, f"customer_code: {quote(said)} is assigned twice (first on line {start})")
            else:
                self.problems.settle(
                    held, f"{', '.join(self.key_fields)}: duplicate {quote(said)} (first on line {start})"
                )
        self._repeats.clear()

    # Rules of single files.

    def _user(self, line: int, user: Any, cells: Cells, is_first: bool) -> None:
        if is_first:
            self.index.roles[user.login] = user.role
        password_hash = cells.get("password_hash", "").strip()
        if not password_hash:
            return
        problem = hash_problem(password_hash)
        if problem is not None:
            self._problem(line, f"password_hash: {problem} (the value is not shown)")
        elif is_first:
            self.index.password_hashes[user.login] = password_hash

    def _category(self, line: int, category: Any, cells: Cells, is_first: bool) -> None:
        if is_first:
            self._parents[category.code] = (category.parent_code, line)

    def _team(self, line: int, team: Any, cells: Cells, is_first: bool) -> None:
        if is_first:
            self._parents[team.code] = (team.parent_code, line)

    def _assignment(self, line: int, assignment: Any, cells: Cells, is_first: bool) -> None:
        role = self.index.roles.get(assignment.seller_login)
        if role is not None and role != Role.SELLER:
            self._problem(line, f"seller_login: {quote(assignment.seller_login)} is a {role}, not a seller")
        if is_first:
            self.index.sellers[assignment.customer_code] = assignment.seller_login

    def _invoice(self, line: int, invoice: Any, cells: Cells, is_first: bool) -> None:
        if is_first:
            # Interned: a few thousand customers' codes, not one string for each of a million invoices.
            self.index.invoice_customers[invoice.number] = sys.intern(invoice.customer_code)

    def _price_list(self, line: int, price_list: Any, cells: Cells, is_first: bool) -> None:
        # Only a customer list is the customer's: a segment list naming one stays in the catalog.
        if is_first and price_list.kind == PriceListKind.CUSTOMER:
            self.index.price_list_customers[price_list.code] = price_list.customer_code

    def _lead(self, line: int, lead: Any, cells: Cells, is_first: bool) -> None:
        role = self.index.roles.get(lead.seller_login)
        if role is not None and role != Role.SELLER:
            self._problem(line, f"seller_login: {quote(lead.seller_login)} is a {role}, not a seller")

    def _price_floor(self, line: int, floor: Any, cells: Cells, is_first: bool) -> None:
        entity = "product" if floor.scope == FloorScope.PRODUCT else "category"
        self._reference(line, "code", entity, floor.code)

    def _report_cycles(self) -> None:
        """One problem per cycle of parent_code, on the cycle's first line."""
        what = {"teams.csv": "teams"}.get(self.spec.filename, "categories")
        for cycle in cycles({code: parent for code, (parent, _) in self._parents.items()}):
            line = min(self._parents[c][1] for c in cycle)
            self._problem(line, f"parent_code: {what} form a cycle ({' → '.join([*cycle, cycle[0]])})")


__all__ = ["REFERENCED", "ExportIndex", "FileChecks", "identity", "key_fields"]
