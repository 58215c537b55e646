"""Frames of a pull stream: many pull pages in one response, each a whole PullResponse.

    GET /v1/sync/pull/stream?cursor=&limit=   ->   frame, frame, ...

A frame is the page's JSON byte length in ASCII digits, a newline, the JSON, a newline:

    1234\\n{"changes":[...],"cursor":...}\\n

The length says where a page ends without trusting anything inside it, so a device can
apply each page as it arrives, and a stream cut anywhere leaves whole pages and at most
one partial frame, which is dropped. The trailing newline keeps a stream readable by eye.
"""

from collections.abc import Iterator

MEDIA_TYPE = "application/vnd.terreno.pull-stream"
MAX_FRAME_BYTES = 256 * 2**20
"""A length above this is a broken stream, not a page (a full page is a few MiB)."""

_MAX_DIGITS = len(str(MAX_FRAME_BYTES))


class BrokenFrame(ValueError):
    """The bytes are not frames of a pull stream."""


def frame(body: bytes) -> bytes:
    """One page's JSON as a frame."""
    return b"%d\n%b\n" % (len(body), body)


class FrameReader:
    """Cuts a pull stream, fed in chunks of any size, into the JSON of its pages."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._need: int | None = None  # body length of the frame being read, once its header is in

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        """The pages completed by `chunk`, in order; raises BrokenFrame on bytes that are not frames."""
        self._buffer += chunk
        while True:
            if self._need is None:
                end = self._buffer.find(b"\n", 0, _MAX_DIGITS + 1)
                if end < 0:
                    if len(self._buffer) > _MAX_DIGITS:
                        raise BrokenFrame(f"no frame length in {bytes(self._buffer[:16])!r}")
                    return
                digits = bytes(self._buffer[:end])
                if not digits.isdigit() or int(digits) > MAX_FRAME_BYTES:
                    raise BrokenFrame(f"not a frame length: {digits[:16]!r}")
                self._need = int(digits)
                del self._buffer[: end + 1]
            if len(self._buffer) < self._need + 1:
                return
            if self._buffer[self._need] != ord("\n"):
                raise BrokenFrame(f"a frame of {self._need} bytes does not end with a newline")
            body = bytes(self._buffer[: self._need])
            del self._buffer[: self._need + 1]
            self._need = None
            yield body

    @property
    def has_partial_frame(self) -> bool:
        """Whether bytes of an unfinished frame are waiting (a stream cut mid-page)."""
        return bool(self._buffer) or self._need is not None


__all__ = ["MAX_FRAME_BYTES", "MEDIA_TYPE", "BrokenFrame", "FrameReader", "frame"]
