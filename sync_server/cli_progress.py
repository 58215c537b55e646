"""Import progress for a person at the terminal (`terreno-server import`), on stderr.

On a terminal one line is redrawn in place: the phase, which file of how many, its rows,
a bar once the file's total is known (always while writing), and the time so far. Piped or
in a log, one line per file when it is done, so a nightly run's log stays short.

    write  9/20 stock.csv          1,204,000/2,350,000 rows [##########··········]  51%   84.2s
"""

import sys
import time
from collections.abc import Callable
from typing import TextIO

from sync_server.importer.report import ImportProgress
from sync_server.importer.run import SYNCED_FILES
from sync_server.importer.spec import FILES

_BAR = 20


class ProgressDisplay:
    """A `ProgressCallback` that shows where an import is."""

    def __init__(self, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.clock = clock
        self.started = clock()
        self._order = {
            "read": [spec.filename for spec in FILES],
            "write": [spec.filename for spec in SYNCED_FILES],
        }
        self._drawn = False

    def __call__(self, p: ImportProgress) -> None:
        is_done = p.rows_total is not None and p.rows_done == p.rows_total
        if not self.tty and not is_done:
            return
        line = self.line(p)
        if self.tty:
            print("\r" + line + "\x1b[K", end="", file=self.stream, flush=True)
            self._drawn = True
        else:
            print(line, file=self.stream, flush=True)

    def line(self, p: ImportProgress) -> str:
        """One line for a progress report."""
        order = self._order[p.phase]
        place = f"{order.index(p.file) + 1:>2}/{len(order)}" if p.file in order else "     "
        rows = f"{p.rows_done:,}" + (f"/{p.rows_total:,}" if p.rows_total is not None else "")
        bar = ""
        if p.rows_total:
            done = p.rows_done / p.rows_total
            filled = round(done * _BAR)
            bar = f" [{'#' * filled}{'·' * (_BAR - filled)}] {done:4.0%}"
        return f"{p.phase:5} {place} {p.file:22} {rows:>21} rows{bar} {self.clock() - self.started:7.1f}s"

    def end(self) -> None:
        """Leave the redrawn line, so what is printed next starts on a line of its own."""
        if self._drawn:
            print(file=self.stream, flush=True)
            self._drawn = False


__all__ = ["ProgressDisplay"]
