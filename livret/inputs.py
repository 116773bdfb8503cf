"""Reading input files: the one way livret opens a file it did not write.

A file is read only when its real path (symlinks resolved) lies inside one of the
allowed folders (the project, and the installed font package for its fonts), when it is
a regular file (never a folder, FIFO, socket or device, which could block or never end),
and when it is no larger than the limit for its kind. Every refusal is a
:class:`LivretError` that names the file. The checks are made on the open file, so a
file swapped after the check is not read either.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from livret.errors import LivretError
from livret.limits import MAX_BINARY_FILE_BYTES, MAX_TEXT_FILE_BYTES, size_text

Allowed = Path | Iterable[Path]
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC
_CHUNK = 1024 * 1024


def real_path(path: Path, allowed: Allowed, display: str, what: str = "file") -> Path:
    """The path with every symlink resolved; it must exist and stay in ``allowed``."""
    folders = [allowed] if isinstance(allowed, Path) else list(allowed)
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise LivretError("file not found", display) from None
    except (OSError, RuntimeError, ValueError) as error:  # a loop, a name too long, a NUL
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise LivretError(f"cannot read the {what}: {reason}", display) from None
    if not any(real.is_relative_to(folder.resolve()) for folder in folders):
        raise LivretError(f"the {what} is a link to a file outside the project", display)
    return real


@contextmanager
def open_input(
    path: Path, allowed: Allowed, display: str, what: str = "file", limit: int | None = None
) -> Iterator[tuple[BinaryIO, int]]:
    """Open a regular file inside ``allowed`` for reading; yields the stream and its size.

    With ``limit``, a larger file is refused before anything is read.
    """
    real = real_path(path, allowed, display, what)
    try:
        descriptor = os.open(real, _OPEN_FLAGS)  # O_NONBLOCK: opening a FIFO never waits
    except OSError as error:
        raise LivretError(f"cannot read the {what}: {error.strerror}", display) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise LivretError(
                f"the {what} is not a regular file (a folder, a FIFO or a device)", display
            )
        if limit is not None and info.st_size > limit:
            raise LivretError(f"file is larger than {size_text(limit)}", display)
        stream = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with stream:
        yield stream, info.st_size


def read_bytes(
    path: Path,
    allowed: Allowed,
    display: str,
    what: str = "file",
    limit: int = MAX_BINARY_FILE_BYTES,
) -> bytes:
    """The content of a confined input file of at most ``limit`` bytes."""
    with open_input(path, allowed, display, what, limit) as (stream, _size):
        data = stream.read(limit + 1)
    if len(data) > limit:  # it grew after it was opened
        raise LivretError(f"file is larger than {size_text(limit)}", display)
    return data


def read_text(path: Path, allowed: Allowed, display: str, what: str = "file") -> str:
    """A confined UTF-8 text file (a BOM is fine) of at most 5 MB."""
    raw = read_bytes(path, allowed, display, what, MAX_TEXT_FILE_BYTES)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LivretError("file is not valid UTF-8", display, line) from None


def digest(path: Path, allowed: Allowed, limit: int | None = MAX_BINARY_FILE_BYTES) -> str:
    """The SHA-256 of a confined file, read in chunks; or, starting with ``unreadable:``,
    why it cannot be read (used in build keys: a file that a build would refuse to
    read gets a key that says so, without being read)."""
    sha, size = hashlib.sha256(), 0
    try:
        with open_input(path, allowed, str(path), limit=limit) as (stream, _):
            while chunk := stream.read(_CHUNK):
                sha.update(chunk)
                size += len(chunk)
                if limit is not None and size > limit:  # it grew after it was opened
                    return "unreadable: too large"
    except LivretError as error:
        return f"unreadable: {error.message}"
    return sha.hexdigest()
