"""PostgreSQL: many rows in one statement of one shape, as one JSON parameter.

A multi-row `INSERT … VALUES (…), (…)` has a different shape for each number of rows, and
SQLAlchemy does not cache such a statement at all: it was compiled anew on every push (about
a fifth of a round's CPU in the server process). `json_to_recordset` of one JSON array reads
the same rows from a statement that never changes, so it is compiled once per process; the
rows come out in the array's order, which a change log whose seqs follow insertion order
needs. JSON rather than one array per column: the driver escapes an array's text elements in
Python, character class by character class, and a change's data is JSON full of quotes;
`json.dumps` does it in C.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, bindparam, column, func
from sqlalchemy.dialects.postgresql import JSON
from sqlalchemy.sql.expression import TableValuedAlias


def json_rows(name: str, columns: Sequence[Column]) -> TableValuedAlias:
    """Rows with `columns`' names and types, read from the parameter `name` that
    `json_params(name, …)` gives."""
    rows = func.json_to_recordset(bindparam(name, type_=JSON))
    return rows.table_valued(*[column(c.name, c.type) for c in columns]).render_derived(with_types=True)


def json_params(name: str, columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> dict[str, list]:
    """The parameter of `json_rows(name, columns)` for `rows` (dicts by column name)."""
    names = [c.name for c in columns]
    return {name: [{n: row[n] for n in names} for row in rows]}


__all__ = ["json_params", "json_rows"]
