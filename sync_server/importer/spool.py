"""The checked records of one file, kept on disk between the two passes of an import.

The first pass validates every row anyway; it also makes each record of a synced file
`Prepared` (id, bucket, canonical JSON, digest, typed values) and spools it here, pickled
in chunks to an anonymous temporary file. The write pass reads the spool back instead of
parsing the CSV and validating every row a second time, and memory stays one chunk.
"""

import pickle
import tempfile
from collections.abc import Iterator

from sync_server.repository.bulk_records import Prepared

_CHUNK = 5000


class Spool:
    """Prepared records written once, read back once, in order."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # removed by the system when closed
        self._chunk: list[tuple] = []
        self.count = 0

    def add(self, item: Prepared) -> None:
        self._chunk.append(tuple(item))
        self.count += 1
        if len(self._chunk) >= _CHUNK:
            self._dump()

    def finish(self) -> None:
        """The last records added go to the file too: a spool per synced file would otherwise
        each hold up to a chunk in memory until the write pass."""
        self._dump()

    def _dump(self) -> None:
        if self._chunk:
            pickle.dump(self._chunk, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._chunk = []

    def read(self) -> Iterator[Prepared]:
        """Every record added, in order (once)."""
        self._dump()
        self._file.seek(0)
        make = Prepared._make
        while True:
            try:
                chunk = pickle.load(self._file)
            except EOFError:
                break
            for item in chunk:
                yield make(item)
        self.close()

    def close(self) -> None:
        self._chunk = []
        self._file.close()


__all__ = ["Spool"]
