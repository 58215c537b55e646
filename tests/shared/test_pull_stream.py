"""Frames of a pull stream: cut into pages whatever the chunk sizes, and broken bytes named."""

import pytest

from shared.pull_stream import MAX_FRAME_BYTES, BrokenFrame, FrameReader, frame

PAGES = [b'{"changes":[],"cursor":1}', b"", b'{"x":"\\n inside, and a newline after"}' * 50, b"{}"]
STREAM = b"".join(frame(p) for p in PAGES)


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 64, len(STREAM) - 1, len(STREAM)])
def test_pages_come_out_whole_whatever_the_chunks(chunk_size):
    reader = FrameReader()
    got = [body for i in range(0, len(STREAM), chunk_size) for body in reader.feed(STREAM[i : i + chunk_size])]
    assert got == PAGES and not reader.has_partial_frame


@pytest.mark.parametrize("cut", [1, 5, len(frame(PAGES[0])) + 1, len(STREAM) - 1])
def test_a_stream_cut_anywhere_keeps_the_whole_pages_and_says_one_is_partial(cut):
    reader = FrameReader()
    got = list(reader.feed(STREAM[:cut]))
    assert got == [p for i, p in enumerate(PAGES) if len(b"".join(frame(q) for q in PAGES[: i + 1])) <= cut]
    assert reader.has_partial_frame


@pytest.mark.parametrize(
    "broken, problem",
    [
        (b"abc\n{}\n", "not a frame length"),
        (b"-2\n{}\n", "not a frame length"),
        (b"2\n{}X", "does not end with a newline"),
        (b"123456789012345678", "no frame length"),
        (b"%d\n" % (MAX_FRAME_BYTES + 1), "not a frame length"),
    ],
)
def test_bytes_that_are_not_frames_are_named(broken, problem):
    with pytest.raises(BrokenFrame, match=problem):
        list(FrameReader().feed(broken))
