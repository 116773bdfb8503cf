"""What ``livret serve`` shows: every document × language, rebuilt when its inputs change.

``LiveSite`` holds the state (thumbnails, outline, error of each job) behind a lock and a
version number that grows on every change, so that pages can wait for the next one.
``affected_jobs`` decides which jobs a set of changed files touches.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from livret.build.pipeline import build
from livret.build.plan import BuildOptions, Job, plan
from livret.errors import LivretError
from livret.i18n.translator import fallback_chain
from livret.kinds import kind_of_template_file
from livret.model.parts import CONFIG_NAME
from livret.model.project import Project, content_files, load_project
from livret.serve.preview import Bookmark, outline, page_images, pdf_title, png_bytes
from livret.wording import count

THUMB_WIDTH = 300  # pixels: shown at half that width, sharp on high-density screens

Log = Callable[[str], None]


@dataclass(frozen=True)
class Entry:
    """The last known state of one job."""

    job: Job
    state: str = "pending"  # pending, building, ok or error
    error: str | None = None
    warnings: tuple[str, ...] = ()
    pdf: Path | None = None
    title: str = ""
    thumbnails: tuple[bytes, ...] = ()
    outline: tuple[Bookmark, ...] = ()
    built: int = 0  # the site version when the PDF was last written


@dataclass(frozen=True)
class Snapshot:
    """A consistent copy of the site's state, for one page view."""

    version: int
    root: Path
    project_error: str | None
    entries: tuple[Entry, ...] = field(default_factory=tuple)

    @property
    def building(self) -> bool:
        return any(entry.state in ("pending", "building") for entry in self.entries)

    @property
    def failed(self) -> int:
        """How many jobs, or the project itself, stopped on an error."""
        return sum(entry.state == "error" for entry in self.entries) + bool(self.project_error)


def affected_jobs(project: Project, jobs: Sequence[Job], changed: Iterable[Path]) -> set[Job]:
    """The jobs whose inputs include one of the ``changed`` paths.

    ``livret.yaml``, ``brand/`` and shared templates touch every job; ``templates/<kind>.*``
    the documents of that kind; a document's content file that document; ``locales/<x>/``
    the languages whose fallback chain includes ``x``. Outputs, hidden files and files
    outside these folders touch nothing.
    """
    root = project.root
    touched: set[Job] = set()
    for path in changed:
        path = path if path.is_absolute() else root / path
        if not path.is_relative_to(root) or path.is_relative_to(project.output):
            continue
        parts = path.relative_to(root).parts
        if not parts or any(part.startswith(".") for part in parts):
            continue
        touched.update(job for job in jobs if _touches(project, job, parts, path))
    return touched


def _touches(project: Project, job: Job, parts: tuple[str, ...], path: Path) -> bool:
    top = parts[0]
    if parts == (CONFIG_NAME,) or top == "brand":
        return True
    document = project.documents[job.document]
    if top == "templates":
        kind = kind_of_template_file(parts[1]) if len(parts) == 2 else None
        return kind is None or kind == document.kind
    if top == "content":
        owned = {file for doc in project.documents.values() for file in content_files(project, doc)}
        return path not in owned or path in content_files(project, document)
    if top == "locales" and len(parts) > 2:
        return parts[1] in fallback_chain(job.lang)
    return False


class LiveSite:
    """The documents being served and how to rebuild them."""

    def __init__(
        self,
        root: Path,
        documents: Sequence[str] = (),
        languages: Sequence[str] = (),
        log: Log | None = None,
    ) -> None:
        self.root = root.resolve()
        self.documents = tuple(documents)
        self.languages = tuple(languages)
        self.log: Log = log or (lambda message: None)
        self._changed = threading.Condition()
        self._version = 0
        self._project: Project | None = None
        self._project_error: str | None = None
        self._entries: dict[Job, Entry] = {}

    # Reading, from the web server's threads.

    def snapshot(self) -> Snapshot:
        with self._changed:
            return Snapshot(
                self._version, self.root, self._project_error, tuple(self._entries.values())
            )

    def wait(self, after: int, timeout: float) -> Snapshot:
        """Wait until the version differs from ``after`` (or ``timeout`` seconds pass)."""
        with self._changed:
            self._changed.wait_for(lambda: self._version != after, timeout)
        return self.snapshot()

    def entry(self, lang: str, document: str) -> Entry | None:
        with self._changed:
            return self._entries.get(Job(document, lang))

    # Building, from the watcher's thread only.

    def rebuild(
        self, changed: Iterable[Path] | None = None, stop: threading.Event | None = None
    ) -> None:
        """Reload the project, then rebuild the jobs that ``changed`` touches (all if None).

        Setting ``stop`` ends the rebuild after the job in progress. Errors are shown,
        never raised: the server outlives any input, and any bug of a single build.
        """
        try:
            self._rebuild(changed, stop)
        except LivretError as error:
            self.fail(str(error))
        except Exception as error:
            self.log(traceback.format_exc())
            self.fail(_internal(error))

    def _rebuild(self, changed: Iterable[Path] | None, stop: threading.Event | None) -> None:
        project = load_project(self.root)
        jobs = plan(project, self.documents, self.languages)
        if changed is None or self._project is None or self._project_error is not None:
            targets = set(jobs)
        else:
            targets = affected_jobs(project, jobs, changed)
        with self._changed:
            previous = self._entries
            if not targets and list(previous) == jobs:
                return  # nothing the documents read has changed
            self._project, self._project_error = project, None
            self._entries = {job: previous.get(job, Entry(job)) for job in jobs}
            for job in targets:
                self._entries[job] = replace(self._entries[job], state="building")
            self._bump()
        for job in (job for job in jobs if job in targets):
            if stop is not None and stop.is_set():
                return
            self._store(self._build_one(project, job))

    def _build_one(self, project: Project, job: Job) -> Entry:
        with self._changed:
            entry = self._entries[job]
        try:
            report = build(project, [job], BuildOptions(workers=1))
            result, warnings = report.results[0], report.warnings
            if result.error or result.path is None:
                raise LivretError(result.error or f"{job.label}: no PDF was written")
            images = page_images(result.path, width=THUMB_WIDTH)
            marks = tuple(outline(result.path))
            title = pdf_title(result.path)
        except LivretError as error:
            self.log(f"failed {job.label}: {error}")
            return replace(entry, state="error", error=str(error))
        except Exception as error:  # a bug in livret must not stop the server
            self.log(traceback.format_exc())
            return replace(entry, state="error", error=_internal(error))
        self.log(f"built  {job.label} ({count(len(images), 'page')})")
        return replace(
            entry,
            state="ok",
            error=None,
            warnings=tuple(warnings),
            pdf=result.path,
            title=title,
            thumbnails=tuple(png_bytes(image) for image in images),
            outline=marks,
        )

    def _store(self, entry: Entry) -> None:
        with self._changed:
            self._bump()
            if entry.job in self._entries:
                built = self._version if entry.state == "ok" else entry.built
                self._entries[entry.job] = replace(entry, built=built)

    def fail(self, message: str) -> None:
        """Show an error that concerns the whole site (the project, or watching it)."""
        self.log(f"error: {message}")
        with self._changed:
            self._project_error = message
            self._bump()

    def _bump(self) -> None:
        self._version += 1
        self._changed.notify_all()


def _internal(error: Exception) -> str:
    return f"internal error: {type(error).__name__}: {error}"
