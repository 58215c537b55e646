"""stream_pages: pages until caught up, until the time is up, or until a domain error."""

import pytest

from shared.errors import StaleCursor
from sync_server.services.pull import PullPage, stream_pages


def _page(cursor: int, has_more: bool = True) -> PullPage:
    return PullPage(
        lines=[], cursor=cursor, has_more=has_more, last_mutation_id=0, epoch="e1", total_changes=None, checkpoint=None
    )


class Log:
    """A change log of `pages` pages of 10; reading page n moves a fake clock on by one second."""

    def __init__(self, pages: int, fail_at: int | None = None) -> None:
        self.pages, self.fail_at, self.now, self.asked = pages, fail_at, 0.0, []

    def read_next(self, before: PullPage) -> PullPage:
        cursor, epoch = before.cursor, before.epoch
        self.asked.append((cursor, epoch))
        self.now += 1
        if cursor == self.fail_at:
            raise StaleCursor("compacted meanwhile", epoch=epoch)
        return _page(cursor + 10, has_more=cursor + 10 < self.pages * 10)


@pytest.mark.parametrize(
    "pages, seconds, fail_at, cursors",
    [
        (4, 60, None, [10, 20, 30, 40]),  # until caught up
        (1, 60, None, [10]),  # the first page was the last one
        (9, 2.5, None, [10, 20, 30, 40]),  # out of time after the page read at 3 s
        (9, 60, 30, [10, 20, 30]),  # a domain error on page 4 ends the stream quietly
    ],
)
def test_the_pages_a_stream_carries(pages, seconds, fail_at, cursors):
    log = Log(pages, fail_at)
    got = list(stream_pages(_page(10, has_more=pages > 1), log.read_next, seconds=seconds, clock=lambda: log.now))
    assert [p.cursor for p in got] == cursors
    assert all(epoch == "e1" for _, epoch in log.asked)  # each page asks in the epoch of the one before
