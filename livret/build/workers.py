"""Rendering tasks, run in-process or in a pool of worker processes.

Each worker imports WeasyPrint once and keeps one ``PdfRenderer`` (one font
configuration and one image cache) for all the tasks it runs; workers are recycled
after ``TASKS_PER_WORKER`` tasks so memory stays flat in long batches.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
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


_RENDERER: PdfRenderer | None = None


def _renderer(source_date: dt.date) -> PdfRenderer:
    """This process's renderer, kept across tasks for its font and image caches."""
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = PdfRenderer(source_date)
    _RENDERER.source_date = source_date
    return _RENDERER


def _render(task: RenderTask) -> tuple[bytes, int, str, Fit | None]:
    """The PDF bytes, page count, final HTML and one-page fit of a task."""
    from pypdf import PdfReader  # imported here: the parent process needs none of it

    from livret.pdf.editions import merge_edition

    renderer = _renderer(task.source_date)
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


def run_task(task: RenderTask) -> TaskResult:
    """Render a task and write every destination atomically; errors are captured."""
    try:
        pdf, pages, html, fitted = _render(task)
    except LivretError as error:
        return TaskResult(task, error=f"{task.label}: {error}")
    result = TaskResult(task, pages=pages, fit=fitted)
    for destination in task.destinations:
        if task.write_html:
            atomic_write(destination.with_suffix(".html"), html.encode("utf-8"))
        if task.booklet and pages > 1:
            from livret.pdf.booklet import impose

            atomic_write(booklet_path(destination), impose(pdf))
        atomic_write(destination, pdf)
        result.written.append(destination)
    return result


def _warm_up() -> None:
    """Worker initializer: import WeasyPrint and its font configuration once."""
    import weasyprint.text.fonts  # noqa: F401


def run_tasks(tasks: Sequence[RenderTask], workers: int) -> Iterator[TaskResult]:
    """Run tasks, yielding results as they finish; in-process when one worker suffices.

    Workers are recycled by running the tasks in chunks of ``TASKS_PER_WORKER`` per
    worker, each chunk in a fresh pool (``max_tasks_per_child`` can deadlock on 3.11).
    """
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield run_task(task)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["livret.build.workers", "weasyprint", "pypdf"])
    chunk = workers * TASKS_PER_WORKER
    for start in range(0, len(tasks), chunk):
        batch = tasks[start : start + chunk]
        with ProcessPoolExecutor(
            max_workers=min(workers, len(batch)), mp_context=context, initializer=_warm_up
        ) as pool:
            futures: list[Future[TaskResult]] = [pool.submit(run_task, task) for task in batch]
            for future in as_completed(futures):
                yield future.result()
