"""The build manifest: what each output was built from, so unchanged jobs are skipped.

``out/.livret-manifest.json`` maps each output (relative to the output folder) to the
key of its inputs and the SHA-256 of the file written. An entry is recorded only after
its file is in place, so an interrupted build never claims an output that is not there.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from livret import __version__
from livret.files import atomic_write

MANIFEST_NAME = ".livret-manifest.json"
_FILE_URL = re.compile(r"file://[^\s\"')<>]+")


@cache
def file_digest(path: Path, mtime_ns: int, size: int) -> str:
    """SHA-256 of a file (cached per path, mtime and size within a process)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    return file_digest(path, stat.st_mtime_ns, stat.st_size)


def _hash_files(digest: Any, files: Iterable[Path], root: Path) -> None:
    """Add each file's name and content to ``digest``; names inside ``root`` are relative,
    so that a copied or moved project keeps its keys."""
    for path in sorted(set(files)):
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        digest.update(f"{name}\0{_digest(path)}\n".encode())


def input_key(
    html: str, template_files: Iterable[Path], options: dict[str, Any], root: Path
) -> str:
    """A hash of everything a job is built from.

    The HTML already carries the content, translations, brand values and template output;
    the files it references (stylesheets, fonts, logo) and every file of the templates
    folder are hashed by content; the package version and the options complete the key.
    The project folder ``root`` is left out of names and URLs.
    """
    digest = hashlib.sha256()
    digest.update(json.dumps([__version__, options], sort_keys=True, default=str).encode())
    digest.update(html.replace(root.as_uri(), "project:").encode("utf-8"))
    referenced = {Path(unquote(urlsplit(url).path)) for url in _FILE_URL.findall(html)}
    _hash_files(digest, referenced | set(template_files), root)
    return digest.hexdigest()


def source_key(files: Iterable[Path], extra: Any, root: Path) -> str:
    """A cheap key of a job's input files (by content and name relative to ``root``) and
    settings, checked before any parsing or rendering, so a rebuild with nothing changed
    does almost nothing."""
    digest = hashlib.sha256()
    digest.update(json.dumps([__version__, extra], sort_keys=True, default=str).encode())
    _hash_files(digest, files, root)
    return digest.hexdigest()


@dataclass
class Manifest:
    """Outputs and the keys they were built from."""

    path: Path
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """Read the manifest; a missing or damaged one just means a full build."""
        path = out_dir / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            outputs = data["outputs"] if isinstance(data.get("outputs"), dict) else {}
        except (OSError, ValueError, AttributeError, KeyError):
            outputs = {}
        return cls(path, outputs)

    def _name(self, output: Path) -> str:
        return output.relative_to(self.path.parent).as_posix()

    def is_current(self, output: Path, key: str, field: str = "key") -> bool:
        """True when ``output`` exists, unchanged, and was built from ``key``.

        ``field`` is ``key`` (the rendered HTML and its assets) or ``source`` (the files).
        """
        entry = self.outputs.get(self._name(output))
        if not entry or entry.get(field) != key or not output.is_file():
            return False
        return hashlib.sha256(output.read_bytes()).hexdigest() == entry.get("sha256")

    def record(self, output: Path, key: str, source: str) -> None:
        """Remember an output just written."""
        sha = hashlib.sha256(output.read_bytes()).hexdigest()
        self.outputs[self._name(output)] = {"key": key, "source": source, "sha256": sha}

    def save(self) -> None:
        data = {"version": 1, "generator": f"livret {__version__}", "outputs": self.outputs}
        text = json.dumps(data, indent=1, sort_keys=True)
        atomic_write(self.path, text.encode("utf-8"))
