"""The only way WeasyPrint may read anything: project files, package assets and ``data:``.

No network, and files are read as every input is (:mod:`livret.inputs`): inside the
allowed folders (symlinks are resolved first), regular files only, size-capped. Every
refusal stops the build instead of leaving a silent gap in the PDF. WeasyPrint
swallows some fetch errors (in SVG images, for instance), so every refusal is also
kept in ``refused`` for the renderer to check once the document is done. The files
served are kept in ``served``: they, not the text of the document, are what a build
key records (see :mod:`livret.build.manifest`).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from livret.errors import LivretError
from livret.inputs import read_bytes


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """A URL fetcher confined to a set of folders plus ``data:`` URLs."""

    def __init__(self, allowed_folders: Iterable[Path]) -> None:
        super().__init__(
            allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=True
        )
        self.allowed_folders = tuple(sorted({folder.resolve() for folder in allowed_folders}))
        self.refused: list[str] = []
        self.served: set[Path] = set()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            self._refuse(url, "only project files and data: URLs may be used")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            self._refuse(url, "only files on this computer may be used")
        try:
            path = Path(url2pathname(parts.path)).resolve()  # url2pathname also unquotes
        except (OSError, ValueError, RuntimeError):
            self._refuse(url, "invalid file path")
        if not any(path.is_relative_to(folder) for folder in self.allowed_folders):
            self._refuse(url, "the file is outside the project")
        try:
            body = read_bytes(path, self.allowed_folders, path.name)
        except LivretError as error:
            self._refuse(url, error.message)
        self.served.add(path)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=body, headers={"Content-Type": media_type})

    def _refuse(self, url: str, reason: str) -> NoReturn:
        shown = url if len(url) < 120 else url[:117] + "..."
        self.refused.append(f"{shown}: {reason}")
        raise LivretError(f"{shown}: {reason}")
