"""PostgreSQL: many rows in one statement of one shape, as one array parameter per column.

A multi-row `INSERT … VALUES (…), (…)` has a different shape for each number of rows, and
SQLAlchemy does not cache such a statement at all: it was compiled anew on every push (about
a fifth of a round's CPU in the server process). `unnest` of one array per column reads the
same rows from a statement that never changes, so it is compiled once per process. The rows
come out in the arrays' order, which a change log whose seqs follow insertion order needs.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, bindparam, column, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.expression import TableValuedAlias


def array_rows(prefix: str, columns: Sequence[Column]) -> TableValuedAlias:
    """Rows with `columns`' names and types, read from the array parameters that
    `array_params(prefix, …)` gives."""
    arrays = [bindparam(f"{prefix}_{c.name}", type_=ARRAY(c.type)) for c in columns]
    return func.unnest(*arrays).table_valued(*[column(c.name, c.type) for c in columns]).render_derived()


def array_params(prefix: str, columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> dict[str, list]:
    """The parameters of `array_rows(prefix, columns)` for `rows` (dicts by column name)."""
    return {f"{prefix}_{c.name}": [row[c.name] for row in rows] for c in columns}


__all__ = ["array_params", "array_rows"]
