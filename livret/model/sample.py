"""The sample project that ``livret init`` copies: shipped in the wheel, or the source checkout.

A built wheel carries the sample in ``livret/sample/`` (copied there by ``setup.py``'s
``build_py``); a source checkout or an editable install uses the repository root, which
is itself the sample project.
"""

from __future__ import annotations

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

    Returns the paths created. The parts are staged in a temporary folder inside
    ``destination`` and moved into place once all of them are copied.
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
    destination.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".livret-init-", dir=destination))
    try:
        for part in PROJECT_PARTS:
            if (source / part).is_dir():
                shutil.copytree(source / part, staging / part, ignore=_JUNK)
            else:
                shutil.copy2(source / part, staging / part)
        created = []
        for part in PROJECT_PARTS:
            (staging / part).replace(destination / part)
            created.append(destination / part)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return created
