"""Counts in the English messages of the command line: ``1 page``, ``2 pages``."""

from __future__ import annotations


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` and the noun in the singular for 1, in the plural otherwise."""
    noun = singular if number == 1 else (plural or singular + "s")
    return f"{number} {noun}"
