"""Rendering tasks, run in-process or in a pool of worker processes.

A build renders in one :class:`RenderSession`, made with the edition date: in this process
with one ``PdfRenderer`` (one font configuration and one image cache) made for that
session, or in worker processes that each import WeasyPrint once and make their own.
No font configuration is shared across builds or projects (``serve`` and the tests build
in-process). One pool serves the whole build; its workers are recycled after
``TASKS_PER_WORKER`` tasks so memory stays flat in long batches.
"""

from __future__ import annotations

import datetime as dt
import heapq
import io
import itertools
import multiprocessing
import shutil
import tempfile
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from livret.build.packed import Packed
from livret.errors import LivretError
from livret.files import atomic_write
from livret.pdf.fit import Fit, OnePage, fit
from livret.pdf.overrun import FixedBoxes, check_fixed_boxes
from livret.pdf.renderer import PdfRenderer

TASKS_PER_WORKER = 40


@dataclass(frozen=True)
class Edition:
    """Build a chapter edition from shared pages: render ``html`` (2 pages) over ``base``."""

    html: Packed
    base: Path


@dataclass(frozen=True)
class RenderTask:
    """One unique PDF to render and the files to write it to."""

    key: str
    label: str
    html: Packed
    base_url: str
    allowed_folders: tuple[Path, ...]
    pdf_options: dict[str, Any]
    destinations: tuple[Path, ...]
    write_html: bool = False
    booklet: bool = False
    edition: Edition | None = None
    one_page: OnePage | None = None
    fixed_boxes: FixedBoxes | None = None
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
        document = layout(str(task.edition.html))
        edition = renderer.write(document, **options)
        merged = merge_edition(task.edition.base.read_bytes(), edition)
        if merged is not None:
            pages = _page_count(merged)
            return _Rendered(merged, pages, str(task.html), None, served_files(document))
    fitted: Fit | None = None
    html = str(task.html)
    if task.one_page is not None:
        document, html, fitted = fit(html, task.one_page, layout, task.paper, task.fit_hint)
    else:
        document = layout(html)
    if task.fixed_boxes is not None:
        check_fixed_boxes(document, task.fixed_boxes)
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
    """Run a task in a worker; the result goes back without the task's HTML (the parent
    has the task, and puts it back in the result)."""
    assert _WORKER_RENDERER, "the pool's initializer makes the renderer"
    result = run_task(task, _WORKER_RENDERER[0])
    return replace(result, task=replace(task, html=Packed(""), edition=None))


def render_all(
    shared: Sequence[RenderTask], tasks: Sequence[RenderTask], workers: int, source_date: dt.date
) -> Generator[TaskResult, None, None]:
    """Render everything in one session, yielding results as they finish.

    Tasks start as soon as what they need is there, the costliest first, so that every
    worker stays busy to the end (see :class:`_Schedule`).
    """
    with RenderSession(workers, source_date) as session:
        yield from session.run(_Schedule(shared, tasks))


class _Schedule:
    """Which task to start next: the costliest of those whose inputs are there.

    A chapter edition waits for the ``shared`` national pages it is made from. The first
    one-page task of each document and language (its group) leads: the others of the group
    wait for its fit and start from it (usually one layout instead of two). A task that
    already has a fit (from the manifest) waits for nothing.
    """

    def __init__(self, shared: Sequence[RenderTask], tasks: Sequence[RenderTask]) -> None:
        self._ready: list[tuple[int, int, RenderTask]] = []
        self._waiting: dict[Path | str, list[RenderTask]] = {}
        self._leaders: set[str] = set()
        self._order = itertools.count()  # ties keep the build's order
        self.total = len(shared) + len(tasks)
        bases = {task.destinations[0] for task in shared}
        for task in shared:
            self._push(task)
        for task in tasks:
            if task.edition is not None and task.edition.base in bases:
                self._waiting.setdefault(task.edition.base, []).append(task)
            elif task.one_page is None or task.fit_hint is not None:
                self._push(task)
            elif task.group in self._leaders:
                self._waiting.setdefault(task.group, []).append(task)
            else:
                self._leaders.add(task.group)
                self._push(task)

    def _push(self, task: RenderTask) -> None:
        work = task.edition.html if task.edition is not None else task.html
        heapq.heappush(self._ready, (-len(work), next(self._order), task))

    def next(self) -> RenderTask | None:
        """The next task to start, or None when none is ready (or none is left)."""
        return heapq.heappop(self._ready)[2] if self._ready else None

    def done(self, result: TaskResult) -> None:
        """Release what waited for this task: editions of its pages, its group's followers."""
        task = result.task
        for waiter in self._waiting.pop(task.destinations[0] if task.destinations else "", []):
            self._push(waiter)
        if task.one_page is not None and task.fit_hint is None and task.group in self._leaders:
            for waiter in self._waiting.pop(task.group, []):
                self._push(replace(waiter, fit_hint=result.fit))


class RenderSession:
    """Where a build's tasks run: in this process with one renderer, or in one pool of
    worker processes for the whole build.

    WeasyPrint copies the brand fonts into a temporary folder for each font configuration.
    Workers put theirs in the session's scratch folder; the session removes that folder and
    closes its own renderer when it ends, after an error or Ctrl-C too, so a build leaves no
    temporary files behind. Workers are recycled after ``TASKS_PER_WORKER`` tasks each, so
    memory stays flat in long batches: the pool takes no new task once it has run that
    many, and a fresh pool takes over when its last tasks end (``max_tasks_per_child`` can
    deadlock on 3.11).
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

    def run(self, schedule: _Schedule) -> Iterator[TaskResult]:
        """Run the scheduled tasks, yielding results as they finish; in this process when
        one worker suffices."""
        if self.workers <= 1 or schedule.total <= 1:
            while (task := schedule.next()) is not None:
                if self._renderer is None:
                    self._renderer = PdfRenderer(self.source_date)
                result = run_task(task, self._renderer)
                schedule.done(result)
                yield result
            return
        yield from self._run_in_pool(schedule)

    def _run_in_pool(self, schedule: _Schedule) -> Iterator[TaskResult]:
        running: dict[Future[TaskResult], RenderTask] = {}
        pool: ProcessPoolExecutor | None = None
        given = 0  # tasks given to this pool
        try:
            while True:
                if pool is not None and given >= self._per_pool and not running:
                    pool.shutdown()  # recycle the workers: a fresh pool takes the next task
                    pool = None
                while len(running) < self.workers and (pool is None or given < self._per_pool):
                    task = schedule.next()
                    if task is None:
                        break
                    if pool is None:
                        pool, given = self._pool(), 0
                    running[pool.submit(_run_in_worker, task)] = task
                    given += 1
                if not running:
                    return  # nothing is left to start
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    result = replace(future.result(), task=running.pop(future))
                    schedule.done(result)
                    yield result
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    @property
    def _per_pool(self) -> int:
        return self.workers * TASKS_PER_WORKER

    def _pool(self) -> ProcessPoolExecutor:
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="livret-"))
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["livret.build.workers", "weasyprint", "pikepdf"])
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(str(self._scratch), self.source_date),
        )
