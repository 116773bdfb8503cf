"""Atomic file writes: a killed build never leaves a half-written output."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

STALE_AFTER_SECONDS = 600.0  # a temporary file this old belongs to no running build


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file through a temporary file in the same folder, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path, older_than: float = STALE_AFTER_SECONDS) -> list[Path]:
    """Delete the temporary files that a killed build left in ``folder``; return them.

    A live build holds its temporary file for the time of one write, so a file older
    than ``older_than`` seconds belongs to no running build (another build writing into
    the same folder at the same time keeps its own).
    """
    removed = []
    now = time.time()
    for path in sorted(folder.glob(".*.tmp")) if folder.is_dir() else []:
        try:
            if path.is_file() and now - path.stat().st_mtime > older_than:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue  # another build cleaned it up first
    return removed
