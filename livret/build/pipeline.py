"""The build pipeline: plan jobs, prepare their HTML, skip what is current, render the rest.

Everything that can be wrong with the input is found while preparing, before any file
is written (exit code 2). Rendering runs in worker processes; a failure while rendering
one document does not stop the others (exit code 1). Work that is identical across
outputs is done once: outputs with the same inputs share one render, and chapter
editions of the guide reuse the national body pages (see ``livret.editions``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from livret.build.manifest import Manifest, input_key, source_key
from livret.build.plan import BuildOptions, Job
from livret.build.prepare import PreparedJob, prepare
from livret.build.workers import Edition, RenderTask, run_tasks
from livret.errors import LivretError
from livret.files import remove_stale_temporaries
from livret.model.brand import load_brand
from livret.model.project import Project
from livret.pdf.fit import Fit

CACHE_DIR = ".livret-cache"


@dataclass
class JobResult:
    job: Job
    path: Path | None
    pages: int = 0
    error: str | None = None
    skipped: bool = False


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


Events = Callable[[str, Any], None]


def build(
    project: Project, jobs: Sequence[Job], options: BuildOptions, events: Events | None = None
) -> BuildReport:
    """Build every job that is not current; see the module docstring for the rules."""
    notify = events or (lambda kind, data: None)
    started = time.perf_counter()
    out_dir = (options.output or project.output).resolve()
    manifest = Manifest.load(out_dir)
    sources = _source_keys(project, jobs, options)
    report = BuildReport()
    stale = []
    # --strict checks every translation again, so it looks at every job's input.
    trust_sources = not (options.force or options.strict)
    for job in jobs:
        if trust_sources and manifest.is_current(job.output(out_dir), sources[job], "source"):
            _skip(report, notify, job, out_dir)
        else:
            stale.append(job)
    prepared, report.warnings = prepare(project, stale, options)
    for warning in report.warnings:
        notify("warning", warning)
    # The output folders, and the folders of the manifest and the shared pages.
    for folder in sorted(
        {job.output(out_dir).parent for job in jobs} | {out_dir, out_dir / CACHE_DIR}
    ):
        remove_stale_temporaries(folder)
    templates = _files(project.templates_dir)  # listed once: every key hashes them
    pending: dict[str, list[PreparedJob]] = {}
    for item in prepared:
        key = input_key(item.html, templates, options.output_options)
        if not options.force and manifest.is_current(item.pdf_path, key):
            manifest.record(item.pdf_path, key, sources[item.job])  # same page, new sources
            _skip(report, notify, item.job, out_dir)
        else:
            pending.setdefault(key, []).append(item)
    notify("start", sum(len(items) for items in pending.values()))
    bases, tasks = _tasks(pending, templates, project, options, out_dir / CACHE_DIR)
    leaders, followers = _split_followers(tasks)
    fits: dict[str, Fit] = {}
    try:
        for wave in (bases, leaders, followers):
            if wave is followers:  # one-page siblings start from the fit found by the first
                wave = [replace(task, fit_hint=fits.get(task.group)) for task in followers]
            for outcome in run_tasks(wave, options.workers):
                if outcome.fit is not None:
                    fits.setdefault(outcome.task.group, outcome.fit)
                for item in pending.get(outcome.task.key, []):
                    if outcome.error:
                        result = JobResult(item.job, None, error=outcome.error)
                    else:
                        manifest.record(item.pdf_path, outcome.task.key, sources[item.job])
                        result = JobResult(item.job, item.pdf_path, pages=outcome.pages)
                    report.results.append(result)
                    notify("job", result)
    finally:
        if prepared:
            manifest.save()
    report.seconds = time.perf_counter() - started
    return report


def _split_followers(tasks: list[RenderTask]) -> tuple[list[RenderTask], list[RenderTask]]:
    """One-page tasks after the first of their document and language wait for its fit."""
    leaders, followers, seen = [], [], set()
    for task in tasks:
        if task.one_page is not None and task.group in seen:
            followers.append(task)
        else:
            seen.add(task.group)
            leaders.append(task)
    return leaders, followers


def _skip(report: BuildReport, notify: Events, job: Job, out_dir: Path) -> None:
    result = JobResult(job, job.output(out_dir), skipped=True)
    report.results.append(result)
    notify("job", result)


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
            [*shared, project.documents[job.document].content],
            [*settings, job.document, job.lang, job.chapter],
        )
        for job in jobs
    }


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []


def _tasks(
    pending: dict[str, list[PreparedJob]],
    templates: list[Path],
    project: Project,
    options: BuildOptions,
    cache_dir: Path,
) -> tuple[list[RenderTask], list[RenderTask]]:
    """One task per distinct output, plus the national renders that chapter editions share."""
    bases: dict[str, RenderTask] = {}
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
            source_date=project.edition_date,
            one_page=first.one_page,
            paper=first.paper,
            group=f"{first.job.lang}/{first.job.document}",
        )
        if first.edition_html is not None and first.national_html is not None:
            base_key = input_key(first.national_html, templates, options.pdf_options)
            base_path = cache_dir / f"{base_key}.pdf"
            if base_key not in bases and not base_path.is_file():
                bases[base_key] = replace(
                    task,
                    key=base_key,
                    label=f"{first.job.lang}/{first.job.document} (shared pages)",
                    html=first.national_html,
                    destinations=(base_path,),
                    write_html=False,
                    booklet=False,
                )
            task = replace(task, edition=Edition(first.edition_html, base_path))
        tasks.append(task)
    return list(bases.values()), tasks
