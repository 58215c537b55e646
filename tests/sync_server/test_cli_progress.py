"""The import's progress display: a redrawn line with a bar on a terminal, a line per file otherwise."""

import io

from sync_server.cli_progress import ProgressDisplay
from sync_server.importer.report import ImportProgress
from sync_server.importer.run import SYNCED_FILES
from sync_server.importer.spec import FILES


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _display(stream):
    ticks = iter(range(100))
    return ProgressDisplay(stream, clock=lambda: float(next(ticks)))


def test_on_a_terminal_one_line_is_redrawn_with_a_bar_once_the_total_is_known():
    screen = Terminal()
    show = _display(screen)
    stock = [s.filename for s in FILES].index("stock.csv") + 1
    show(ImportProgress("read", "stock.csv", 10_000, None))
    show(ImportProgress("write", "stock.csv", 500_000, 2_000_000))
    show.end()
    n_read, n_write = len(FILES), len(SYNCED_FILES)
    written = [s.filename for s in SYNCED_FILES].index("stock.csv") + 1
    assert screen.getvalue() == (
        f"\rread  {stock:>2}/{n_read} stock.csv              {'10,000':>21} rows     1.0s\x1b[K"
        f"\rwrite {written:>2}/{n_write} stock.csv              {'500,000/2,000,000':>21} rows"
        f" [#####···············]  25%     2.0s\x1b[K"
        "\n"
    )


def test_in_a_log_only_each_files_end_is_printed():
    log = io.StringIO()
    show = _display(log)
    show(ImportProgress("read", "stock.csv", 10_000, None))
    show(ImportProgress("read", "stock.csv", 12_345, 12_345))
    show(ImportProgress("write", "stock.csv", 10_000, 12_345))
    show(ImportProgress("write", "stock.csv", 12_345, 12_345))
    show.end()  # nothing to close in a log
    lines = log.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("read ") and "12,345/12,345 rows [####################] 100%" in lines[0]
    assert lines[1].startswith("write") and "stock.csv" in lines[1]
