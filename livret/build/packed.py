"""Texts kept compressed while they wait: a chapter batch holds every job's HTML from
preparation until it is rendered (about 0.4 MB per chapter and language, uncompressed),
so the parent process's memory would grow with the number of chapters."""

from __future__ import annotations

import zlib


class Packed:
    """A text stored zlib-compressed; ``str()`` gives it back, ``len()`` is its length."""

    __slots__ = ("_data", "_length")

    def __init__(self, text: str) -> None:
        self._data = zlib.compress(text.encode("utf-8"), 1)
        self._length = len(text)

    def __str__(self) -> str:
        return zlib.decompress(self._data).decode("utf-8")

    def __len__(self) -> int:
        return self._length

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Packed) and self._data == other._data

    def __hash__(self) -> int:
        return hash(self._data)

    def __repr__(self) -> str:
        return f"Packed({self._length} characters)"
