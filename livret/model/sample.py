"""The sample project that ``livret init`` copies: shipped in the wheel, or the source checkout.

A built wheel carries the sample in ``livret/sample/`` (copied there by ``setup.py``'s
``build_py``); a source checkout or an editable install uses the repository root, which
is itself the sample project.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path

from livret.errors import LivretError
from livret.model.parts import PROJECT_PARTS

_JUNK = shutil.ignore_patterns("__pycache__", ".*", "*~", "*.pyc")


def sample_root() -> Path:
    """The folder holding the sample project's files."""
    package = Path(__file__).resolve().parents[1]  # the livret package folder
    for candidate in (package / "sample", package.parent):
        if all((candidate / part).exists() for part in PROJECT_PARTS):
            return candidate
    raise LivretError("this installation of livret does not include the sample project")


def init_project(destination: Path) -> list[Path]:
    """Copy the sample project into ``destination``; never overwrite anything there.

    Returns the paths created. Everything is first copied into a temporary folder beside
    the destination, then moved into place: a new folder in one move, the parts of an
    existing folder one by one, moved back if one of them fails. So ``init`` makes the
    whole project or nothing.
    """
    destination = destination.resolve()
    if destination.exists() and not destination.is_dir():
        raise LivretError(f"{destination} exists and is not a folder")
    existing = [part for part in PROJECT_PARTS if (destination / part).exists()]
    if existing:
        shown = ", ".join(existing)
        raise LivretError(
            f"{destination} already holds {shown}: livret init never overwrites a project; "
            "choose a new or empty folder"
        )
    source = sample_root()
    missing = [folder for folder in (destination, *destination.parents) if not folder.exists()]
    anchor = destination.parents[len(missing) - 1] if missing else destination
    staging = Path(tempfile.mkdtemp(prefix=".livret-init-", dir=anchor))
    try:
        os.chmod(staging, 0o777 & ~_umask())  # as a folder made with mkdir
        for part in PROJECT_PARTS:
            if (source / part).is_dir():
                shutil.copytree(source / part, staging / part, ignore=_JUNK)
            else:
                shutil.copy2(source / part, staging / part)
        if missing:
            _move_folder(staging, destination, missing)
        else:
            _move_parts(staging, destination)
    except OSError as error:
        raise LivretError(f"cannot create the project in {destination}: {_reason(error)}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [destination / part for part in PROJECT_PARTS]


def _move_folder(staging: Path, destination: Path, missing: list[Path]) -> None:
    """Move the staged project to a new folder; on failure, remove the parents made."""
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(destination)
    except OSError:
        for folder in missing[1:]:  # the parents made for it, innermost first
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _move_parts(staging: Path, destination: Path) -> None:
    """Move each part into an existing folder; on failure, move back those moved."""
    moved: list[Path] = []
    try:
        for part in PROJECT_PARTS:
            if (destination / part).exists():  # appeared since the check
                raise FileExistsError(errno.EEXIST, "a project part appeared meanwhile")
            (staging / part).rename(destination / part)
            moved.append(destination / part)
    except OSError:
        for path in reversed(moved):
            path.rename(staging / path.name)
        raise


def _reason(error: OSError) -> str:
    """What went wrong; ``copytree`` gathers its failures in one ``shutil.Error``."""
    failures = error.args[0] if isinstance(error, shutil.Error) and error.args else None
    if isinstance(failures, list) and failures:
        return str(failures[0][2])  # (source, destination, why) of the first failure
    return error.strerror or str(error)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
