"""What ``livret serve`` shows: every document × language (× chapter), rebuilt when its
inputs change.

``LiveSite`` holds the state (thumbnails, outline, error of each job) behind a lock and a
version number that grows on every change, so that pages can wait for the next one.
``affected_jobs`` decides which jobs a set of changed files touches. Everything that
reads the project runs in a :class:`~livret.serve.worker.Worker` process (``plan_site``,
``build_job``), so a rebuild that hangs is abandoned at the time limit.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from livret.build.plan import BuildOptions, Job, plan
from livret.errors import LivretError
from livret.i18n.translator import fallback_chain
from livret.kinds import kind_of_template_file
from livret.model.parts import CONFIG_NAME
from livret.model.project import Project, content_files, load_project
from livret.serve.preview import Bookmark, Thumbnail
from livret.serve.worker import Abandoned, Worker, WorkerBug, WorkerDied
from livret.wording import count

THUMB_WIDTH = 300  # pixels: shown at half that width, sharp on high-density screens

Log = Callable[[str], None]


@dataclass(frozen=True)
class Entry:
    """The last known state of one job."""

    job: Job
    state: str = "pending"  # pending, building, ok, error, abandoned (too long), not-rebuilt
    error: str | None = None
    warnings: tuple[str, ...] = ()
    pdf: Path | None = None
    title: str = ""
    thumbnails: tuple[Thumbnail, ...] = ()
    outline: tuple[Bookmark, ...] = ()
    built: int = 0  # the site version when the PDF was last written


@dataclass(frozen=True)
class Snapshot:
    """A consistent copy of the site's state, for one page view."""

    version: int
    root: Path
    project_error: str | None
    entries: tuple[Entry, ...] = field(default_factory=tuple)
    project_abandoned: bool = False  # loading the project took longer than the time limit
    time_limit: float = 0.0

    @property
    def building(self) -> bool:
        """True while a job is built, or the project has not been loaded yet."""
        if not self.entries:
            return not (self.project_error or self.project_abandoned)
        return any(entry.state in ("pending", "building") for entry in self.entries)

    @property
    def errors(self) -> dict[str, list[Entry]]:
        """Each distinct error message and the jobs that stopped on it, in page order: an
        error that concerns the whole project (the brand, a shared template) is one item."""
        found: dict[str, list[Entry]] = {}
        for entry in self.entries:
            if entry.error:  # also while it is rebuilt, until the new outcome is known
                found.setdefault(entry.error, []).append(entry)
        return found

    @property
    def abandoned(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.state == "abandoned"]

    @property
    def failed(self) -> int:
        """How many distinct problems there are: errors, abandoned builds, the project's."""
        project = bool(self.project_error or self.project_abandoned)
        return len(self.errors) + bool(self.abandoned) + project

    def entry(self, label: str) -> Entry | None:
        """The job whose label (``fr/guide``, ``chapters/lyon/fr/guide``) is ``label``."""
        return next((entry for entry in self.entries if entry.job.label == label), None)


@dataclass(frozen=True)
class Selection:
    """What ``livret serve`` was asked to show (every document and language by default)."""

    documents: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    chapters: tuple[str, ...] = ()
    all_chapters: bool = False


@dataclass(frozen=True)
class Built:
    """What a build in the worker sends back: the pictures, or the error."""

    pdf: Path | None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    title: str = ""
    thumbnails: tuple[Thumbnail, ...] = ()
    outline: tuple[Bookmark, ...] = ()


class Runner(Protocol):
    """Where rebuilds run: a :class:`Worker` (the tests may run them in-process)."""

    time_limit: float

    def call(self, function: Any, *args: Any, stop: threading.Event | None = None) -> Any: ...

    def close(self) -> None: ...


def plan_site(root: Path, selection: Selection) -> tuple[Project, list[Job]]:
    """Load the project and list the jobs to show (in the worker: it reads the project)."""
    from livret.model.chapters import load_chapters, select_chapters

    project = load_project(root)
    chapters = []
    if selection.chapters or selection.all_chapters:
        found = load_chapters(project)
        chapters = select_chapters(found, selection.chapters, selection.all_chapters)
    return project, plan(project, selection.documents, selection.languages, chapters)


def build_job(root: Path, job: Job, previous: Sequence[Thumbnail] = ()) -> Built:
    """Build one job and draw its thumbnails (in the worker), reusing the ``previous``
    ones of pages that look the same. A document that fails returns its error, and where
    its previous PDF was renamed; bad input raises."""
    from livret.build.pipeline import build
    from livret.serve.preview import outline, pdf_title, thumbnails

    project = load_project(root)
    report = build(project, [job], BuildOptions(workers=1))
    result, warnings = report.results[0], tuple(report.warnings)
    if result.error or result.path is None:
        error = result.error or f"{job.label}: no PDF was written"
        return Built(result.set_aside, error, warnings)
    return Built(
        pdf=result.path,
        warnings=warnings,
        title=pdf_title(result.path),
        thumbnails=thumbnails(result.path, THUMB_WIDTH, previous),
        outline=tuple(outline(result.path)),
    )


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
        path = _absolute(root, path)
        if path == root or unread(root, project.output, path):
            continue
        parts = path.relative_to(root).parts
        touched.update(job for job in jobs if _touches(project, job, parts, path))
    return touched


def _absolute(root: Path, path: Path) -> Path:
    return path if path.is_absolute() else root / path


def unread(root: Path, output: Path | None, path: Path) -> bool:
    """True for what no build reads: anything outside the project, the outputs, and
    hidden files (editors' swap files, ``.git``)."""
    if not path.is_relative_to(root) or (output is not None and path.is_relative_to(output)):
        return True
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def edited_languages(project: Project, changed: Iterable[Path]) -> set[str]:
    """The languages an edit was written in, rebuilt first: the source language for
    content, ``x`` for ``locales/x/``."""
    languages = set()
    for path in changed:
        path = _absolute(project.root, path)
        if not path.is_relative_to(project.root):
            continue
        parts = path.relative_to(project.root).parts
        if parts[:1] == ("content",):
            languages.add(project.source_language)
        elif parts[:1] == ("locales",) and len(parts) > 2:
            languages.add(parts[1])
    return languages


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
    """The documents being served and how to rebuild them.

    Rebuilds are scheduled here only (``rebuild``): the jobs an edit touches first (those
    in the language it was written in before the others), then those that an abandoned
    or interrupted rebuild left unfinished.
    """

    def __init__(
        self,
        root: Path,
        selection: Selection | None = None,
        log: Log | None = None,
        runner: Runner | None = None,
    ) -> None:
        self.root = root.resolve()
        self.selection = selection or Selection()
        self.log: Log = log or (lambda message: None)
        self.runner: Runner = runner or Worker()
        self._changed = threading.Condition()
        self._version = 0
        self._project: Project | None = None
        self._project_error: str | None = None
        self._project_abandoned = False
        self._entries: dict[Job, Entry] = {}
        self._unfinished: set[Job] = set()  # left by an abandoned rebuild

    # Reading, from the web server's threads.

    def snapshot(self) -> Snapshot:
        with self._changed:
            return Snapshot(
                self._version,
                self.root,
                self._project_error,
                tuple(self._entries.values()),
                self._project_abandoned,
                self.runner.time_limit,
            )

    def wait(self, after: int, timeout: float) -> Snapshot:
        """Wait until the version differs from ``after`` (or ``timeout`` seconds pass)."""
        with self._changed:
            self._changed.wait_for(lambda: self._version != after, timeout)
        return self.snapshot()

    def ignores(self, path: Path) -> bool:
        """True for a changed file that no build reads (see :func:`unread`)."""
        project = self._project
        return unread(self.root, project.output if project else None, path)

    # Building, from the server's build thread only.

    def rebuild(
        self,
        changed: Iterable[Path] | None = None,
        stop: threading.Event | None = None,
        newer: Callable[[], bool] | None = None,
    ) -> None:
        """Reload the project, then rebuild the jobs that ``changed`` touches (all if None).

        Setting ``stop`` ends the rebuild at once. When ``newer()`` says that another
        change is waiting, the rebuild ends after the job in progress: the next one builds
        what that change touches first, then the jobs left here. Errors are shown, never
        raised: the server outlives any input, any bug of a single build, and any build
        that hangs.
        """
        try:
            self._rebuild(changed, stop, newer or (lambda: False))
        except LivretError as error:
            self.fail(str(error))
        except Abandoned:
            if stop is None or not stop.is_set():
                self.log(f"abandoned loading the project after {self.runner.time_limit:g} s")
                self.fail(None, abandoned=True)
        except Exception as error:
            self.log(_details(error))
            self.fail(_internal(error))

    def _rebuild(
        self,
        changed: Iterable[Path] | None,
        stop: threading.Event | None,
        newer: Callable[[], bool],
    ) -> None:
        project, jobs = self.runner.call(plan_site, self.root, self.selection, stop=stop)
        unknown = self._project is None or self._project_error or self._project_abandoned
        changed = None if changed is None else list(changed)
        edited = set(jobs) if changed is None or unknown else affected_jobs(project, jobs, changed)
        first = edited_languages(project, changed or [])
        order = sorted((job for job in jobs if job in edited), key=lambda j: j.lang not in first)
        order += [job for job in jobs if job in self._unfinished and job not in edited]
        with self._changed:
            previous = self._entries
            if not order and list(previous) == jobs:
                return  # nothing the documents read has changed
            self._project, self._project_error, self._project_abandoned = project, None, False
            self._entries = {job: previous.get(job, Entry(job)) for job in jobs}
            for job in order:
                self._entries[job] = replace(self._entries[job], state="building")
            self._bump()
        self._unfinished = set(order)
        for job in order:
            entry = self._build_one(job, stop)
            if entry is None:
                return  # stopping
            self._store(entry)
            if entry.state == "abandoned":
                for rest in (job for job in order if job in self._unfinished and job != entry.job):
                    self._store(replace(self._entries[rest], state="not-rebuilt"))
                return
            self._unfinished.discard(job)
            if newer():
                return  # the jobs left stay unfinished: the next rebuild ends them

    def _build_one(self, job: Job, stop: threading.Event | None) -> Entry | None:
        with self._changed:
            entry = self._entries[job]
        try:
            built: Built = self.runner.call(build_job, self.root, job, entry.thumbnails, stop=stop)
        except LivretError as error:
            self.log(f"failed {job.label}: {error}")
            return replace(entry, state="error", error=str(error))
        except Abandoned:
            if stop is not None and stop.is_set():
                return None
            self.log(f"abandoned {job.label} after {self.runner.time_limit:g} s")
            return replace(entry, state="abandoned", error=None)
        except Exception as error:  # a bug in livret must not stop the server
            self.log(_details(error))
            return replace(entry, state="error", error=_internal(error))
        if built.error is not None:
            self.log(f"failed {built.error}")
            pdf = built.pdf or entry.pdf
            return replace(entry, state="error", error=built.error, pdf=pdf)
        self.log(f"built  {job.label} ({count(len(built.thumbnails), 'page')})")
        return replace(
            entry,
            state="ok",
            error=None,
            warnings=built.warnings,
            pdf=built.pdf,
            title=built.title,
            thumbnails=built.thumbnails,
            outline=built.outline,
        )

    def _store(self, entry: Entry) -> None:
        with self._changed:
            self._bump()
            if entry.job in self._entries:
                built = self._version if entry.state == "ok" else entry.built
                self._entries[entry.job] = replace(entry, built=built)

    def fail(self, message: str | None, abandoned: bool = False) -> None:
        """Show an error that concerns the whole site (the project, or watching it)."""
        if message:
            self.log(f"error: {message}")
        with self._changed:
            self._project_error, self._project_abandoned = message, abandoned
            self._bump()

    def close(self) -> None:
        """End the worker process."""
        self.runner.close()

    def _bump(self) -> None:
        self._version += 1
        self._changed.notify_all()


def _internal(error: Exception) -> str:
    """How a bug in livret reads on the page (the child's message, for a bug there)."""
    if isinstance(error, WorkerBug | WorkerDied):
        return f"internal error: {error}"
    return f"internal error: {type(error).__name__}: {error}"


def _details(error: Exception) -> str:
    """The traceback for the log: the child's, when the bug happened there."""
    if isinstance(error, WorkerBug):
        return error.details
    return "".join(traceback.format_exception(error))
