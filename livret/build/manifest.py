"""The build manifest: what each output was built from, so unchanged jobs are skipped.

``out/.livret-manifest.json`` maps each output (relative to the output folder) to the
keys of its inputs, the files that WeasyPrint's fetcher served while rendering it, the
SHA-256 of the file written and, for a one-page document, the fit it was laid out with
(type size and free space: a rebuild of the same HTML lays it out once, at that fit).
An entry is recorded only after its file is in place, so an interrupted build never
claims an output that is not there.

The keys come from what a build declares and loads, never from what a text mentions:
``source`` hashes the job's input files and settings, ``key`` its HTML, the templates
and the options, and ``assets`` the files actually served (stylesheets, fonts, logo,
images), each read back through :mod:`livret.inputs` when the entry is checked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeGuard

from livret import __version__
from livret.files import atomic_write
from livret.inputs import digest
from livret.pdf.fit import Fit

MANIFEST_NAME = ".livret-manifest.json"


@cache
def file_digest(path: Path, mtime_ns: int, size: int, home: Path) -> str:
    """SHA-256 of a file inside ``home`` (cached per path, mtime and size in a process)."""
    return digest(path, home)


def _digest(path: Path, home: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    return file_digest(path, stat.st_mtime_ns, stat.st_size, home)


def _name(path: Path, root: Path) -> str:
    """A file's name in keys: relative inside ``root``, so that a copied or moved project
    keeps its keys."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _home(name: str, root: Path) -> Path:
    """Where the file of a recorded name must stay: the project, or its own folder (a
    font package's file, which the fetcher served from there)."""
    path = Path(name)
    return path.parent if path.is_absolute() else root


def _hash_files(sha: Any, files: Iterable[Path], root: Path) -> None:
    """Add each file's name and content to ``sha``."""
    for path in sorted(set(files)):
        name = _name(path, root)
        sha.update(f"{name}\0{_digest(path, _home(name, root))}\n".encode())


def asset_digests(files: Iterable[Path], root: Path) -> dict[str, str]:
    """The served files of a render by name, with their digests, for the manifest."""
    named = {_name(path, root): path for path in files}
    return {name: _digest(path, _home(name, root)) for name, path in sorted(named.items())}


def input_key(
    html: str, template_files: Iterable[Path], options: dict[str, Any], root: Path
) -> str:
    """A hash of what a job is rendered from: its HTML (which carries the content,
    translations, brand values and template output), every file of the templates folder
    and the options. The project folder ``root`` is left out of names and URLs.

    The files the HTML loads are not found in its text: the fetcher records those it
    serves, and the manifest checks them (``assets``).
    """
    sha = hashlib.sha256()
    sha.update(json.dumps([__version__, options], sort_keys=True, default=str).encode())
    sha.update(html.replace(root.as_uri(), "project:").encode("utf-8"))
    _hash_files(sha, template_files, root)
    return sha.hexdigest()


def source_key(files: Iterable[Path], extra: Any, root: Path) -> str:
    """A cheap key of a job's input files (by content and name relative to ``root``) and
    settings, checked before any parsing or rendering, so a rebuild with nothing changed
    does almost nothing."""
    sha = hashlib.sha256()
    sha.update(json.dumps([__version__, extra], sort_keys=True, default=str).encode())
    _hash_files(sha, files, root)
    return sha.hexdigest()


def _is_fit(value: Any) -> TypeGuard[list[float]]:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(number, (int, float)) and number >= 0 for number in value)
    )


@dataclass
class Manifest:
    """Outputs and the keys they were built from."""

    path: Path
    root: Path  # the project, against which asset names are read
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    _fits: dict[Any, dict[str, Any]] | None = None  # recorded one-page entries by key

    @classmethod
    def load(cls, out_dir: Path, root: Path) -> Manifest:
        """Read the manifest; a missing or damaged one just means a full build."""
        path = out_dir / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            outputs = data["outputs"] if isinstance(data.get("outputs"), dict) else {}
        except (OSError, ValueError, AttributeError, KeyError):
            outputs = {}
        return cls(path, root, outputs)

    def _name(self, output: Path) -> str:
        return output.relative_to(self.path.parent).as_posix()

    def is_current(self, output: Path, key: str, field: str = "key") -> bool:
        """True when ``output`` exists, unchanged, was built from ``key``, and every file
        served while rendering it is unchanged.

        ``field`` is ``key`` (the rendered HTML) or ``source`` (the input files).
        """
        entry = self.outputs.get(self._name(output))
        if not entry or entry.get(field) != key or not output.is_file():
            return False
        assets = entry.get("assets")
        if not isinstance(assets, dict) or not self._unchanged(assets):
            return False
        return digest(output, self.path.parent, limit=None) == entry.get("sha256")

    def assets(self, output: Path) -> dict[str, str]:
        """The served files recorded for ``output``, with their digests."""
        entry = self.outputs.get(self._name(output), {})
        return dict(entry.get("assets") or {})

    def _unchanged(self, assets: dict[str, Any]) -> bool:
        return all(
            _digest(self.root / name, _home(name, self.root)) == recorded
            for name, recorded in assets.items()
        )

    def fit(self, key: str) -> Fit | None:
        """The fit that a one-page output of this ``key`` was laid out with, while the
        files served for it are unchanged (the same HTML and fonts fit the same way)."""
        if self._fits is None:
            self._fits = {
                entry.get("key"): entry for entry in self.outputs.values() if "fit" in entry
            }
        entry = self._fits.get(key, {})
        fit, assets = entry.get("fit"), entry.get("assets")
        if not (_is_fit(fit) and isinstance(assets, dict)):
            return None
        return (float(fit[0]), float(fit[1])) if self._unchanged(assets) else None

    def record(
        self, output: Path, key: str, source: str, assets: dict[str, str], fit: Fit | None = None
    ) -> None:
        """Remember an output just written, the digests of the files it was made of and,
        for a one-page document, its fit."""
        sha = digest(output, self.path.parent, limit=None)
        entry: dict[str, Any] = {"key": key, "source": source, "sha256": sha, "assets": assets}
        if fit is not None:
            entry["fit"] = list(fit)
        self.outputs[self._name(output)] = entry
        self._fits = None  # the index of recorded fits is made again when next asked

    def renew_source(self, output: Path, source: str) -> None:
        """A current output's input files changed but not its HTML: keep it, new key."""
        self.outputs[self._name(output)]["source"] = source

    def save(self) -> None:
        data = {"version": 2, "generator": f"livret {__version__}", "outputs": self.outputs}
        text = json.dumps(data, indent=1, sort_keys=True)
        atomic_write(self.path, text.encode("utf-8"))
