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
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from livret.build.packed import Packed
from livret.errors import LivretError
from livret.files import atomic_write
from livret.pdf.boxes import holds_only, place_of_class
from livret.pdf.fit import Fit, OnePage, fit, with_fit
from livret.pdf.footerplace import FooterPlace
from livret.pdf.overrun import FixedBoxes, check_fixed_boxes
from livret.pdf.renderer import PdfRenderer

TASKS_PER_WORKER = 40


@dataclass(frozen=True)
class Edition:
    """Build a chapter edition from the shared national pages at ``base``: render ``html``
    (the cover and back cover) and swap them in; or, when ``footer`` names the class of
    the footer box, render ``html`` (that footer alone) and stamp it onto the sheet."""

    html: Packed
    base: Path
    footer: str | None = None


@dataclass(frozen=True)
class SharedSheet:
    """The sheet that footer editions share: ``html`` (the national sheet without its
    footer) laid out at the fit found for the task's HTML, where the footer (class
    ``footer``) is measured; its place is written beside the PDF."""

    html: Packed
    footer: str


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
    shared_sheet: SharedSheet | None = None
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
    """A task's PDF bytes, page count, final HTML, one-page fit and served files (and for
    a shared sheet, where its footer goes)."""

    pdf: bytes
    pages: int
    html: str
    fit: Fit | None
    served: frozenset[Path]
    footer_place: FooterPlace | None = None


def booklet_path(pdf_path: Path) -> Path:
    """Where ``--booklet`` writes the imposed copy of a PDF."""
    return pdf_path.with_name(f"{pdf_path.stem}-booklet.pdf")


Layout = Callable[[str], Any]


def _render(task: RenderTask, renderer: PdfRenderer) -> _Rendered:
    """Render a task: a chapter edition from its shared pages when their shapes fit, else
    in full (searching the one-page fit, checking fixed boxes)."""
    options = task.pdf_options

    def layout(html: str) -> Any:
        return renderer.layout(html, task.base_url, task.allowed_folders, **options)

    edition = task.edition
    if edition is not None and edition.base.is_file():
        make = _swap_covers if edition.footer is None else _stamp_footer
        made = make(task, edition, layout, renderer)
        if made is not None:
            return made
    fitted: Fit | None = None
    html = str(task.html)
    if task.one_page is not None:
        document, html, fitted = fit(html, task.one_page, layout, task.paper, task.fit_hint)
    else:
        document = layout(html)
    if task.fixed_boxes is not None:
        check_fixed_boxes(document, task.fixed_boxes)
    if task.shared_sheet is not None:
        return _shared_sheet(task, task.shared_sheet, document, fitted, html, layout, renderer)
    pdf = renderer.write(document, **options)
    return _Rendered(pdf, len(document.pages), html, fitted, served_files(document))


def _swap_covers(
    task: RenderTask, edition: Edition, layout: Layout, renderer: PdfRenderer
) -> _Rendered | None:
    """The national guide with the chapter's cover and back cover (see pdf.editions)."""
    from livret.pdf.editions import merge_edition  # the parent process needs none of it

    document = layout(str(edition.html))
    pages = renderer.write(document, **task.pdf_options)
    merged = merge_edition(edition.base.read_bytes(), pages)
    if merged is None:
        return None
    return _Rendered(merged, _page_count(merged), str(task.html), None, served_files(document))


def _stamp_footer(
    task: RenderTask, edition: Edition, layout: Layout, renderer: PdfRenderer
) -> _Rendered | None:
    """The shared national sheet with the chapter's footer stamped in its place (see
    pdf.footers); None when the footer would not take exactly that place."""
    from livret.pdf.footers import stamp_footer

    assert edition.footer is not None
    place = FooterPlace.read(edition.base)
    if place is None:
        return None
    document = layout(with_fit(str(edition.html), *place.fit))
    own = place_of_class(document.pages[0], edition.footer)
    if len(document.pages) != 1 or own is None or not place.holds(own[1]):
        return None
    if not holds_only(document.pages[0], edition.footer):
        return None
    footer = renderer.write(document, **task.pdf_options)
    stamped = stamp_footer(edition.base.read_bytes(), footer, place.top - own[0])
    if stamped is None:
        return None
    html = with_fit(str(task.html), *place.fit)
    return _Rendered(stamped, 1, html, place.fit, served_files(document))


def _shared_sheet(
    task: RenderTask,
    sheet: SharedSheet,
    document: Any,
    fitted: Fit | None,
    html: str,
    layout: Layout,
    renderer: PdfRenderer,
) -> _Rendered:
    """The national sheet laid out again without its footer, at the fit that ``document``
    (the whole sheet) was laid out at, and where that footer stands."""
    without = layout(with_fit(str(sheet.html), *fitted) if fitted else str(sheet.html))
    found = place_of_class(document.pages[0], sheet.footer)
    one_page = len(document.pages) == len(without.pages) == 1
    gone = one_page and place_of_class(without.pages[0], sheet.footer) is None
    place = FooterPlace(fitted, *found) if fitted and found and gone else None
    pdf = renderer.write(without, **task.pdf_options)
    served = served_files(document) | served_files(without)
    return _Rendered(pdf, len(without.pages), html, fitted, served, place)


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
        if rendered.footer_place is not None:
            rendered.footer_place.write(destination)
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
    return replace(result, task=replace(task, html=Packed(""), edition=None, shared_sheet=None))


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

    A chapter edition waits for the ``shared`` national pages it is made from (and takes
    their fit, should it be rendered in full). The first
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
            if waiter.one_page is not None and waiter.fit_hint is None:
                waiter = replace(waiter, fit_hint=result.fit)  # if rendered in full after all
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
