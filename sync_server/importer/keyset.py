"""The keys a file's rows have shown so far, to tell a repeated key, in little memory.

A file whose keys other files refer to keeps them exactly (`ExactKeys`, a set: later
files ask for them). Any other file needs its keys only to find repeats, and a million
invoice lines' keys cost ~130 MiB as a dict of strings and line numbers; `KeyPrints` keeps
one 8-byte print (the key's hash) a key instead, in an open-addressing table. A print met
again may be a repeated key or, very rarely, two keys with one hash: the caller keeps the
rows whose print was met again and settles them exactly at the end of the file, reading
it once more (`FileChecks.finish`), which only an export with a repeated key ever does.
"""

from array import array

_LOAD = 0.6
"""Most of the table in use before it doubles (linear probing stays short below ~0.7)."""


class ExactKeys(set[str]):
    """Keys kept as they are."""

    def add_new(self, key: str) -> bool:
        """Add `key`; False when it was there already."""
        if key in self:
            return False
        self.add(key)
        return True


class KeyPrints:
    """Hashes of keys in an array: `add_new` is False for a key seen (or one sharing its hash)."""

    def __init__(self, expected: int = 0) -> None:
        size = 1024
        while size * _LOAD < expected:
            size *= 2
        self._table = array("q", bytes(8 * size))
        self._mask = size - 1
        self._used = 0

    def add_new(self, key: str) -> bool:
        """Add the print of `key`; False when the table held it already."""
        return self._put(hash(key) or 1)  # 0 marks an empty slot

    def _put(self, print_: int) -> bool:
        table, mask = self._table, self._mask
        slot = print_ & mask
        while True:
            held = table[slot]
            if held == 0:
                table[slot] = print_
                self._used += 1
                if self._used > _LOAD * mask:
                    self._grow()
                return True
            if held == print_:
                return False
            slot = (slot + 1) & mask

    def _grow(self) -> None:
        old = self._table
        self._table = array("q", bytes(16 * len(old)))
        self._mask = 2 * len(old) - 1
        self._used = 0
        for print_ in old:
            if print_:
                self._put(print_)

    def __len__(self) -> int:
        return self._used


__all__ = ["ExactKeys", "KeyPrints"]
