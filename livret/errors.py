"""The one user-facing error type: a message with an optional file and line."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path


class LivretError(Exception):
    """A problem in the user's input, reported as ``file:line: message``."""

    def __init__(self, message: str, file: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def shortened(text: object, limit: int = 60, ellipsis: str = "...") -> str:
    """``text`` for a message: on one line, cut to ``limit`` characters, ``ellipsis``
    included."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - len(ellipsis)] + ellipsis
