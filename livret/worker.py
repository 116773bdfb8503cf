"""Rendering tasks, run in-process or in a pool of worker processes.

A build runs its tasks in one :class:`RenderSession`. Each worker imports WeasyPrint once
and keeps one ``PdfRenderer`` (one font configuration and one image cache) for all the
tasks it runs; workers are recycled after ``TASKS_PER_WORKER`` tasks so memory stays flat
in long batches.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livret.errors import LivretError
from livret.files import atomic_write
from livret.onepage import Fit, OnePage, fit
from livret.render import PdfRenderer

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
    source_date: dt.date
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


def booklet_path(pdf_path: Path) -> Path:
    """Where ``--booklet`` writes the imposed copy of a PDF."""
    return pdf_path.with_name(f"{pdf_path.stem}-booklet.pdf")


def _render(task: RenderTask, renderer: PdfRenderer) -> tuple[bytes, int, str, Fit | None]:
    """The PDF bytes, page count, final HTML and one-page fit of a task."""
    from pypdf import PdfReader  # imported here: the parent process needs none of it

    from livret.editions import merge_edition

    renderer.source_date = task.source_date
    options = task.pdf_options

    def layout(html: str) -> Any:
        return renderer.layout(html, task.base_url, task.allowed_folders, **options)

    if task.edition is not None and task.edition.base.is_file():
        edition = renderer.write(layout(task.edition.html), **options)
        merged = merge_edition(task.edition.base.read_bytes(), edition)
        if merged is not None:
            return merged, len(PdfReader(io.BytesIO(merged)).pages), task.html, None
    fitted: Fit | None = None
    if task.one_page is not None:
        document, html, fitted = fit(task.html, task.one_page, layout, task.paper, task.fit_hint)
    else:
        document, html = layout(task.html), task.html
    return renderer.write(document, **options), len(document.pages), html, fitted


def run_task(task: RenderTask, renderer: PdfRenderer) -> TaskResult:
    """Render a task and write every destination atomically; errors are captured."""
    try:
        pdf, pages, html, fitted = _render(task, renderer)
    except LivretError as error:
        return TaskResult(task, error=f"{task.label}: {error}")
    result = TaskResult(task, pages=pages, fit=fitted)
    for destination in task.destinations:
        if task.write_html:
            atomic_write(destination.with_suffix(".html"), html.encode("utf-8"))
        if task.booklet and pages > 1:
            from livret.booklet import impose

            atomic_write(booklet_path(destination), impose(pdf))
        atomic_write(destination, pdf)
        result.written.append(destination)
    return result


_WORKER_RENDERER: PdfRenderer | None = None  # in a worker process only


def _start_worker(scratch: str) -> None:
    """Worker initializer: temporary files go to the session's scratch folder; import
    WeasyPrint and create this worker's renderer once."""
    global _WORKER_RENDERER
    tempfile.tempdir = scratch
    _WORKER_RENDERER = PdfRenderer(dt.date(1970, 1, 1))  # each task sets its edition date


def _run_in_worker(task: RenderTask) -> TaskResult:
    assert _WORKER_RENDERER is not None, "the pool's initializer creates the renderer"
    return run_task(task, _WORKER_RENDERER)


class RenderSession:
    """Where a build's tasks run: in this process with one renderer, or in worker processes.

    WeasyPrint copies the brand fonts into a temporary folder for each font configuration.
    Workers put theirs in the session's scratch folder; the session removes that folder and
    closes its own renderer when it ends, after an error or Ctrl-C too, so a build leaves no
    temporary files behind. Workers are recycled by running the tasks in chunks of
    ``TASKS_PER_WORKER`` per worker, each chunk in a fresh pool (``max_tasks_per_child``
    can deadlock on 3.11).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
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
                    self._renderer = PdfRenderer(task.source_date)
                yield run_task(task, self._renderer)
            return
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="livret-"))
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["livret.worker", "weasyprint", "pypdf"])
        chunk = self.workers * TASKS_PER_WORKER
        for start in range(0, len(tasks), chunk):
            batch = tasks[start : start + chunk]
            with ProcessPoolExecutor(
                max_workers=min(self.workers, len(batch)),
                mp_context=context,
                initializer=_start_worker,
                initargs=(str(self._scratch),),
            ) as pool:
                futures: list[Future[TaskResult]] = [
                    pool.submit(_run_in_worker, task) for task in batch
                ]
                for future in as_completed(futures):
                    yield future.result()
