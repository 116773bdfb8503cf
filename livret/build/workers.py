"""Rendering tasks, run in-process or in a pool of worker processes.

A build renders in one :class:`RenderSession`, made with the edition date: in this process
with one ``PdfRenderer`` (one font configuration and one image cache) made for that
session, or in worker processes that each import WeasyPrint once and make their own.
No font configuration is shared across builds or projects (``serve`` and the tests build
in-process). Workers are recycled after ``TASKS_PER_WORKER`` tasks so memory stays flat
in long batches.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import shutil
import tempfile
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from livret.errors import LivretError
from livret.files import atomic_write
from livret.pdf.fit import Fit, OnePage, fit
from livret.pdf.renderer import PdfRenderer

TASKS_PER_WORKER = 40


@dataclass(frozen=True)
class Edition:
    """Build a chapter edition from shared pages: render ``html`` (2 pages) over ``base``."""

    html: str
    base: Path


@dataclass(frozen=True)
class RenderTask:
    """One unique PDF to render and the files to write it to."""

    key: str
    label: str
    html: str
    base_url: str
    allowed_folders: tuple[Path, ...]
    pdf_options: dict[str, Any]
    destinations: tuple[Path, ...]
    write_html: bool = False
    booklet: bool = False
    edition: Edition | None = None
    one_page: OnePage | None = None
    paper: str = "A4"
    group: str = ""  # "<lang>/<document>": tasks of a group share their one-page fit
    fit_hint: Fit | None = None


@dataclass
class TaskResult:
    task: RenderTask
    pages: int = 0
    error: str | None = None
    written: list[Path] = field(default_factory=list)
    fit: Fit | None = None
    served: frozenset[Path] = frozenset()  # the files the fetcher served for this PDF


@dataclass
class _Rendered:
    """A task's PDF bytes, page count, final HTML, one-page fit and served files."""

    pdf: bytes
    pages: int
    html: str
    fit: Fit | None
    served: frozenset[Path]


def booklet_path(pdf_path: Path) -> Path:
    """Where ``--booklet`` writes the imposed copy of a PDF."""
    return pdf_path.with_name(f"{pdf_path.stem}-booklet.pdf")


def _render(task: RenderTask, renderer: PdfRenderer) -> _Rendered:
    from livret.pdf.editions import merge_edition  # the parent process needs none of it

    options = task.pdf_options

    def layout(html: str) -> Any:
        return renderer.layout(html, task.base_url, task.allowed_folders, **options)

    if task.edition is not None and task.edition.base.is_file():
        document = layout(task.edition.html)
        edition = renderer.write(document, **options)
        merged = merge_edition(task.edition.base.read_bytes(), edition)
        if merged is not None:
            pages = _page_count(merged)
            return _Rendered(merged, pages, task.html, None, served_files(document))
    fitted: Fit | None = None
    if task.one_page is not None:
        document, html, fitted = fit(task.html, task.one_page, layout, task.paper, task.fit_hint)
    else:
        document, html = layout(task.html), task.html
    pdf = renderer.write(document, **options)
    return _Rendered(pdf, len(document.pages), html, fitted, served_files(document))


def _page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def served_files(document: Any) -> frozenset[Path]:
    """The files the fetcher served while laying out and writing ``document``."""
    return frozenset(getattr(document.url_fetcher, "served", ()))


def run_task(task: RenderTask, renderer: PdfRenderer) -> TaskResult:
    """Render a task and write every destination atomically; errors are captured."""
    try:
        rendered = _render(task, renderer)
    except LivretError as error:
        return TaskResult(task, error=f"{task.label}: {error}")
    result = TaskResult(task, pages=rendered.pages, fit=rendered.fit, served=rendered.served)
    for destination in task.destinations:
        if task.write_html:
            atomic_write(destination.with_suffix(".html"), rendered.html.encode("utf-8"))
        if task.booklet and rendered.pages > 1:
            from livret.pdf.booklet import impose

            atomic_write(booklet_path(destination), impose(rendered.pdf))
        atomic_write(destination, rendered.pdf)
        result.written.append(destination)
    return result


_WORKER_RENDERER: list[PdfRenderer] = []  # in a worker process only: its one renderer


def _start_worker(scratch: str, source_date: dt.date) -> None:
    """Worker initializer: temporary files go to the session's scratch folder; import
    WeasyPrint and make this worker's renderer once."""
    tempfile.tempdir = scratch
    _WORKER_RENDERER.append(PdfRenderer(source_date))


def _run_in_worker(task: RenderTask) -> TaskResult:
    assert _WORKER_RENDERER, "the pool's initializer makes the renderer"
    return run_task(task, _WORKER_RENDERER[0])


def render_all(
    shared: Sequence[RenderTask], tasks: Sequence[RenderTask], workers: int, source_date: dt.date
) -> Generator[TaskResult, None, None]:
    """Render everything in one session, yielding results as they finish, in the order
    the tasks need.

    The ``shared`` national pages come first (chapter editions are made from them). Then
    the first task of each one-page group, then the rest of the group, which starts from
    the fit the first one found (usually one layout instead of two).
    """
    leaders, followers = _split_followers(tasks)
    fits: dict[str, Fit] = {}
    with RenderSession(workers, source_date) as session:
        for wave in (shared, leaders, followers):
            if wave is followers:
                wave = [replace(task, fit_hint=fits.get(task.group)) for task in followers]
            for outcome in session.run(wave):
                if outcome.fit is not None:
                    fits.setdefault(outcome.task.group, outcome.fit)
                yield outcome


def _split_followers(tasks: Sequence[RenderTask]) -> tuple[list[RenderTask], list[RenderTask]]:
    """One-page tasks after the first of their document and language wait for its fit."""
    leaders, followers, seen = [], [], set()
    for task in tasks:
        if task.one_page is not None and task.group in seen:
            followers.append(task)
        else:
            seen.add(task.group)
            leaders.append(task)
    return leaders, followers


class RenderSession:
    """Where a build's tasks run: in this process with one renderer, or in worker processes.

    WeasyPrint copies the brand fonts into a temporary folder for each font configuration.
    Workers put theirs in the session's scratch folder; the session removes that folder and
    closes its own renderer when it ends, after an error or Ctrl-C too, so a build leaves no
    temporary files behind. Workers are recycled by running the tasks in chunks of
    ``TASKS_PER_WORKER`` per worker, each chunk in a fresh pool (``max_tasks_per_child``
    can deadlock on 3.11).
    """

    def __init__(self, workers: int, source_date: dt.date) -> None:
        self.workers = workers
        self.source_date = source_date
        self._renderer: PdfRenderer | None = None
        self._scratch: Path | None = None

    def __enter__(self) -> RenderSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def run(self, tasks: Sequence[RenderTask]) -> Iterator[TaskResult]:
        """Run tasks, yielding results as they finish; in-process when one worker suffices."""
        if self.workers <= 1 or len(tasks) <= 1:
            for task in tasks:
                if self._renderer is None:
                    self._renderer = PdfRenderer(self.source_date)
                yield run_task(task, self._renderer)
            return
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="livret-"))
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["livret.build.workers", "weasyprint", "pikepdf"])
        chunk = self.workers * TASKS_PER_WORKER
        for start in range(0, len(tasks), chunk):
            batch = tasks[start : start + chunk]
            with ProcessPoolExecutor(
                max_workers=min(self.workers, len(batch)),
                mp_context=context,
                initializer=_start_worker,
                initargs=(str(self._scratch), self.source_date),
            ) as pool:
                futures: list[Future[TaskResult]] = [
                    pool.submit(_run_in_worker, task) for task in batch
                ]
                for future in as_completed(futures):
                    yield future.result()
