"""What an ingest remembers about every file for its whole run, kept small at millions of files.

Takes the file names of an ingest in order and the content hashes seen; gives ``NameList`` (the
names, zlib-compressed a block at a time) and ``DigestIndex`` (content hash → a number: the index
of the first file with that content, or -1 for the hashes of a previous database). As Python
objects these took about 280 bytes a file: 131 MB of name strings and 147 MB of a dict of hashes
at 1,000,000 files, about a third of the writing process. Here a file takes about 25 bytes.
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterator

import numpy as np

NAMES_PER_BLOCK = 1024
"""Names compressed together: a block of paths of one folder tree shrinks about tenfold."""
RECENT_LIMIT = 65_536
"""Hashes kept in a dict before they are merged into the sorted arrays."""
FILTER_BITS = 24
"""A 2 MB bit filter before the search: at a million hashes it still tells about 94 % of new ones."""
_FILTER_MASK = (1 << FILTER_BITS) - 1


class NameList:
    """File names in the order appended; ``names[i]`` decompresses the block that holds it."""

    def __init__(self) -> None:
        self._blocks: list[bytes] = []
        self._tail: list[str] = []

    def append(self, name: str) -> None:
        self._tail.append(name)
        if len(self._tail) == NAMES_PER_BLOCK:
            self._blocks.append(_pack(self._tail))
            self._tail = []

    def __len__(self) -> int:
        return len(self._blocks) * NAMES_PER_BLOCK + len(self._tail)

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self):
            raise IndexError(index)
        block, offset = divmod(index, NAMES_PER_BLOCK)
        return self._tail[offset] if block == len(self._blocks) else _unpack(self._blocks[block])[offset]

    def __iter__(self) -> Iterator[str]:
        for packed in self._blocks:
            yield from _unpack(packed)
        yield from list(self._tail)


def _pack(names: list[str]) -> bytes:
    # A path never holds NUL, so it can separate them; surrogateescape keeps undecodable names.
    return zlib.compress("\0".join(names).encode("utf-8", "surrogateescape"), 1)


def _unpack(packed: bytes) -> list[str]:
    return zlib.decompress(packed).decode("utf-8", "surrogateescape").split("\0")


def digest_key(digest: str) -> int:
    """A content hash's first 16 hex digits as a number: what a report id is, as a key."""
    return int(digest[:16], 16)


class DigestIndex:
    """Content hashes (by ``digest_key``) → a number, in sorted arrays of 16 bytes a hash.

    New hashes wait in a dict of at most ``RECENT_LIMIT`` and are then merged into the arrays, so a
    lookup is a dict lookup and a binary search. The arrays are ``array.array``: ``bisect`` reads
    them as Python ints, several times faster than a NumPy search of one value; NumPy sorts a merge.
    """

    def __init__(self, keys: np.ndarray | None = None) -> None:
        """``keys`` (``digest_key`` values, any order) are present with the number -1."""
        unique = np.unique(np.asarray(keys if keys is not None else [], dtype=np.uint64))
        self._keys = array("Q", unique.tobytes())
        self._values = array("q", np.full(len(unique), -1, dtype=np.int64).tobytes())
        self._recent: dict[int, int] = {}
        # One bit per value of a key's low FILTER_BITS bits, set for every key held: most files are
        # new, and a clear bit answers "not present" without the binary search.
        filter_bits = np.zeros(1 << (FILTER_BITS - 3), dtype=np.uint8)
        low = (unique & np.uint64((1 << FILTER_BITS) - 1)).astype(np.int64)
        np.bitwise_or.at(filter_bits, low >> 3, (1 << (low & 7)).astype(np.uint8))
        self._filter = bytearray(filter_bits.tobytes())

    def __len__(self) -> int:
        return len(self._keys) + len(self._recent)

    def __contains__(self, digest: str) -> bool:
        return self.get(digest) is not None

    def get(self, digest: str) -> int | None:
        key = digest_key(digest)
        low = key & _FILTER_MASK
        if not self._filter[low >> 3] & (1 << (low & 7)):
            return None
        value = self._recent.get(key)
        if value is not None:
            return value
        at = bisect_left(self._keys, key)
        if at < len(self._keys) and self._keys[at] == key:
            return self._values[at]
        return None

    def add(self, digest: str, value: int) -> None:
        """Remember ``digest``, not present yet (``get`` gave None), with ``value``."""
        key = digest_key(digest)
        low = key & _FILTER_MASK
        self._filter[low >> 3] |= 1 << (low & 7)
        self._recent[key] = value
        if len(self._recent) >= RECENT_LIMIT:
            self._merge()

    def _merge(self) -> None:
        count = len(self._recent)
        keys = np.concatenate([np.frombuffer(self._keys, dtype=np.uint64),
                               np.fromiter(self._recent.keys(), dtype=np.uint64, count=count)])
        values = np.concatenate([np.frombuffer(self._values, dtype=np.int64),
                                 np.fromiter(self._recent.values(), dtype=np.int64, count=count)])
        order = np.argsort(keys, kind="stable")
        self._keys = array("Q", keys[order].tobytes())
        self._values = array("q", values[order].tobytes())
        self._recent = {}
