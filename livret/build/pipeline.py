"""The build pipeline: skip what is current, prepare the HTML, skip what was rendered, render.

``build`` runs four stages, each a method of :class:`_Run`:

1. skip the jobs whose input files did not change (a cheap key, no parsing);
2. prepare the others (:mod:`livret.build.prepare`): everything that can be wrong with
   the input is found there, before any file is written (exit code 2);
3. skip the jobs whose HTML and assets are those of the PDF on disk;
4. render the rest in workers (:mod:`livret.build.workers`) and record them in the manifest.

A failure while rendering one document does not stop the others (exit code 1). Work that
is identical across outputs is done once: outputs with the same inputs share one render,
chapter editions of the guide reuse the national body pages (see
:mod:`livret.pdf.editions`), and those of a checklist the national sheet, with their
own footer stamped on (see :mod:`livret.pdf.footers`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from livret.build.manifest import Manifest, asset_digests, input_key, source_key
from livret.build.packed import Packed
from livret.build.plan import BuildOptions, Job
from livret.build.prepare import PreparedJob, prepare
from livret.build.workers import (
    Edition,
    RenderTask,
    SharedSheet,
    TaskResult,
    booklet_path,
    render_all,
)
from livret.errors import LivretError
from livret.files import remove_stale_temporaries
from livret.model.brand import load_brand
from livret.model.brandcheck import brand_warnings
from livret.model.project import Project, content_files

CACHE_DIR = ".livret-cache"
FAILED_SUFFIX = ".failed"


@dataclass
class JobResult:
    """What became of one job: built (with its page count), skipped as current, or failed."""

    job: Job
    path: Path | None
    pages: int = 0
    error: str | None = None
    skipped: bool = False
    set_aside: Path | None = None  # a failed job's previous PDF, renamed so nobody prints it


@dataclass
class BuildReport:
    results: list[JobResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[JobResult]:
        return [result for result in self.results if result.error]

    @property
    def skipped(self) -> list[JobResult]:
        return [result for result in self.results if result.skipped]

    @property
    def built(self) -> list[JobResult]:
        return [result for result in self.results if not (result.error or result.skipped)]


class BuildListener:
    """What a build tells its caller while it runs. This one listens to nothing: override
    the methods you need (the CLI's progress bar, ``livret preview``)."""

    def warning(self, message: str) -> None:
        """A translation fell back, or something else worth saying; the build goes on."""

    def rendering(self, count: int, jobs: Sequence[Job] = ()) -> None:
        """``count`` jobs are left to render once everything current was skipped: ``jobs``,
        in the order they are given to the renderer."""

    def finished(self, result: JobResult) -> None:
        """One job is done: built, skipped or failed."""


def build(
    project: Project,
    jobs: Sequence[Job],
    options: BuildOptions,
    listener: BuildListener | None = None,
) -> BuildReport:
    """Build every job that is not current; see the module docstring for the rules."""
    run = _Run(project, options, listener or BuildListener())
    stale = run.skip_current_sources(jobs)
    prepared, warnings = prepare(project, stale, options)
    if prepared:  # the brand loaded: what is worth fixing in it, with its line
        warnings = [*map(str, brand_warnings(project, load_brand(project))), *warnings]
    run.report.warnings = warnings
    for warning in run.report.warnings:
        run.listener.warning(warning)
    run.remove_stale_temporaries(jobs)
    pending = run.skip_rendered(prepared)
    try:
        run.render(pending)
    finally:
        if prepared:
            run.manifest.save()
    run.report.seconds = time.perf_counter() - run.started
    return run.report


class _Run:
    """The state of one build, and its stages in the order ``build`` runs them."""

    def __init__(self, project: Project, options: BuildOptions, listener: BuildListener) -> None:
        self.started = time.perf_counter()
        self.project, self.options, self.listener = project, options, listener
        self.out_dir = (options.output or project.output).resolve()
        self.manifest = Manifest.load(self.out_dir, project.root)
        self.templates = _files(project.templates_dir)  # listed once: every key hashes them
        self.sources: dict[Job, str] = {}
        self.report = BuildReport()

    def skip_current_sources(self, jobs: Sequence[Job]) -> list[Job]:
        """Skip the jobs whose input files and settings did not change, before any parsing;
        return the others. ``--strict`` checks every translation again, so it skips none."""
        self.sources = _source_keys(self.project, jobs, self.options)
        trust_sources = not (self.options.force or self.options.strict)
        stale = []
        for job in jobs:
            output = job.output(self.out_dir)
            if trust_sources and self.manifest.is_current(output, self.sources[job], "source"):
                self._finish(JobResult(job, output, skipped=True))
            else:
                stale.append(job)
        return stale

    def remove_stale_temporaries(self, jobs: Sequence[Job]) -> None:
        """Clean what killed builds left: in the output folders, the manifest's and the cache's."""
        folders = {job.output(self.out_dir).parent for job in jobs}
        for folder in sorted(folders | {self.out_dir, self.out_dir / CACHE_DIR}):
            remove_stale_temporaries(folder)

    def skip_rendered(self, prepared: list[PreparedJob]) -> dict[str, list[PreparedJob]]:
        """Skip the jobs whose HTML and assets are those of the PDF on disk; group the
        others by input key, so that identical outputs are rendered once."""
        pending: dict[str, list[PreparedJob]] = {}
        for item in prepared:
            key = input_key(
                str(item.html), self.templates, self.options.output_options, self.project.root
            )
            if not self.options.force and self.manifest.is_current(item.pdf_path, key):
                self.manifest.renew_source(item.pdf_path, self.sources[item.job])
                self._finish(JobResult(item.job, item.pdf_path, skipped=True))
            else:
                pending.setdefault(key, []).append(item)
        return pending

    def render(self, pending: dict[str, list[PreparedJob]]) -> None:
        """Render each distinct output once, and record every file written in the manifest."""
        jobs = [item.job for items in pending.values() for item in items]
        self.listener.rendering(len(jobs), jobs)
        cache_dir = self.out_dir / CACHE_DIR
        shared, tasks = _tasks(pending, self.templates, self.options, cache_dir, self.manifest)
        shared_keys = {task.key for task in shared}
        outcomes = render_all(shared, tasks, self.options.workers, self.project.edition_date)
        with contextlib.closing(outcomes):  # ends the render session at once, also on an error
            for outcome in outcomes:
                if outcome.task.key in shared_keys and not outcome.error:  # shared pages
                    assets = asset_digests(outcome.served, self.project.root)
                    destination, key = outcome.task.destinations[0], outcome.task.key
                    self.manifest.record(destination, key, "", assets, outcome.fit)
                for item in pending.pop(outcome.task.key, []):
                    self._record(item, outcome)
        for items in pending.values():  # a bug, never a silent gap: say what was not made
            for item in items:
                self._finish(JobResult(item.job, None, error=f"{item.job.label}: not rendered"))

    def _record(self, item: PreparedJob, outcome: TaskResult) -> None:
        """Report one job's outcome, and remember what its PDF was built from: its keys,
        and the files served for it (for a chapter edition, also those of the shared
        pages it was made from).

        A failed job's previous outputs are out of date: they are renamed to
        ``<name>.failed`` so that nobody prints them by mistake. A success removes those.
        """
        outputs = _outputs_of(item.pdf_path)
        if outcome.error:
            set_aside = [_set_aside(path) for path in outputs]
            result = JobResult(item.job, None, error=outcome.error, set_aside=set_aside[0])
        else:
            for path in outputs:
                path.with_name(path.name + FAILED_SUFFIX).unlink(missing_ok=True)
            assets = asset_digests(outcome.served, self.project.root)
            if outcome.task.edition is not None:
                assets = {**self.manifest.assets(outcome.task.edition.base), **assets}
            key, source = outcome.task.key, self.sources[item.job]
            self.manifest.record(item.pdf_path, key, source, assets, outcome.fit)
            result = JobResult(item.job, item.pdf_path, pages=outcome.pages)
        self._finish(result)

    def _finish(self, result: JobResult) -> None:
        self.report.results.append(result)
        self.listener.finished(result)


def _source_keys(project: Project, jobs: Sequence[Job], options: BuildOptions) -> dict[Job, str]:
    """For each job, a key of every file it may read and of the settings that shape it."""
    root = project.root
    shared = [project.config_file, *_files(root / "brand"), *_files(project.templates_dir)]
    shared += _files(project.locales_dir)
    with contextlib.suppress(LivretError):  # an invalid brand is reported by prepare()
        shared += [path for folder in load_brand(project).font_folders for path in _files(folder)]
    settings = [options.output_options, options.paper, options.print_marks, project.edition_date]
    return {
        job: source_key(
            [*shared, *content_files(project, project.documents[job.document])],
            [*settings, job.document, job.lang, job.chapter],
            root,
        )
        for job in jobs
    }


def _outputs_of(pdf_path: Path) -> list[Path]:
    """The files a job may write: its PDF first, then its booklet and its HTML."""
    return [pdf_path, booklet_path(pdf_path), pdf_path.with_suffix(".html")]


def _set_aside(path: Path) -> Path | None:
    """Rename ``path`` to ``<name>.failed`` (replacing an older one); None if it is absent."""
    aside = path.with_name(path.name + FAILED_SUFFIX)
    try:
        path.replace(aside)
    except FileNotFoundError:
        return None
    return aside


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []


def _tasks(
    pending: dict[str, list[PreparedJob]],
    templates: list[Path],
    options: BuildOptions,
    cache_dir: Path,
    manifest: Manifest,
) -> tuple[list[RenderTask], list[RenderTask]]:
    """One task per distinct output, plus the national renders that chapter editions share
    (kept in ``cache_dir`` and in the manifest, reused while current)."""
    bases: list[RenderTask] = []
    base_paths: dict[tuple[Packed, Packed | None], Path] = {}  # national HTML: its shared file
    tasks = []
    for key, items in pending.items():
        first = items[0]
        task = RenderTask(
            key=key,
            label=first.job.label,
            html=first.html,
            base_url=first.pdf_path.parent.as_uri() + "/",
            allowed_folders=first.allowed_folders,
            pdf_options=options.pdf_options,
            destinations=tuple(item.pdf_path for item in items),
            write_html=options.html,
            booklet=options.booklet,
            one_page=first.one_page,
            fixed_boxes=first.fixed_boxes,
            paper=first.paper,
            group=f"{first.job.lang}/{first.job.document}",
            fit_hint=manifest.fit(key) if first.one_page is not None else None,
        )
        national = first.national_html
        if first.edition_html is not None and national is not None:
            sheet = first.national_sheet_html
            shared = (national, sheet)
            if shared not in base_paths:  # keyed and checked once, not once per chapter
                html = str(national) + (str(sheet) if sheet is not None else "")
                base_key = input_key(html, templates, options.pdf_options, manifest.root)
                base_paths[shared] = cache_dir / f"{base_key}.pdf"
                if not manifest.is_current(base_paths[shared], base_key):
                    footer = first.chapter_footer
                    bases.append(
                        replace(
                            task,
                            key=base_key,
                            label=f"{first.job.lang}/{first.job.document} (shared pages)",
                            html=national,
                            destinations=(base_paths[shared],),
                            write_html=False,
                            booklet=False,
                            shared_sheet=SharedSheet(sheet, footer) if sheet and footer else None,
                            fit_hint=manifest.fit(base_key) if first.one_page else None,
                        )
                    )
            edition = Edition(first.edition_html, base_paths[shared], first.chapter_footer)
            task = replace(task, edition=edition)
        tasks.append(task)
    return bases, tasks
