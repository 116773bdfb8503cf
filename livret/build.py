"""The build pipeline: plan jobs, prepare their HTML, skip what is current, render the rest.

Everything that can be wrong with the input is found while preparing, before any file
is written (exit code 2). Rendering runs in worker processes; a failure while rendering
one document does not stop the others (exit code 1). Work that is identical across
outputs is done once: outputs with the same inputs share one render, and chapter
editions of the guide reuse the national body pages (see ``livret.editions``).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from livret.brand import Brand, load_brand
from livret.chapters import Chapter, load_chapters
from livret.content import load_content
from livret.context import template_context
from livret.errors import LivretError, did_you_mean
from livret.files import remove_stale_temporaries
from livret.fonts import missing_characters
from livret.i18n import Translator, translator_for
from livret.localize import Localizer
from livret.manifest import Manifest, input_key, source_key
from livret.onepage import ONE_PAGE, Fit, OnePage
from livret.paper import page_size
from livret.project import Project
from livret.render import load_template, render_html
from livret.textcheck import visible_text
from livret.typography import characters_emitted
from livret.worker import Edition, RenderSession, RenderTask, TaskResult

CACHE_DIR = ".livret-cache"
# Document kinds whose chapter editions differ only on the cover and the back cover.
SHARED_BODY_KINDS = frozenset({"guide"})
DEFAULT_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class Job:
    """One output: a document in a language, for the association or one chapter."""

    document: str
    lang: str
    chapter: str | None = None

    def output(self, out_dir: Path) -> Path:
        folder = out_dir if self.chapter is None else out_dir / "chapters" / self.chapter
        return folder / self.lang / f"{self.document}.pdf"

    @property
    def label(self) -> str:
        prefix = f"chapters/{self.chapter}/" if self.chapter else ""
        return f"{prefix}{self.lang}/{self.document}"


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked for beyond the job list."""

    output: Path | None = None
    html: bool = False
    strict: bool = False
    print_marks: bool = False
    booklet: bool = False
    variant: str | None = None
    workers: int = 1
    force: bool = False
    paper: str | None = None  # None: the paper of each language's locale

    @property
    def pdf_options(self) -> dict[str, Any]:
        """WeasyPrint options: real form fields, tagged PDF, and the chosen variant.

        Without a variant the output is tagged and identifies as PDF/UA-1 all the same
        (XMP title and ``pdfuaid``): the default is accessible and says so.
        """
        variant = self.variant or DEFAULT_VARIANT
        return {"pdf_forms": True, "pdf_tags": True, "pdf_variant": variant}

    @property
    def output_options(self) -> dict[str, Any]:
        """Everything besides the HTML that changes the files written."""
        return {**self.pdf_options, "html": self.html, "booklet": self.booklet}


@dataclass
class PreparedJob:
    """A job with its HTML, ready to render."""

    job: Job
    html: str
    pdf_path: Path
    allowed_folders: tuple[Path, ...]
    paper: str = "A4"
    one_page: OnePage | None = None  # set for kinds that must fit one page
    edition_html: str | None = None  # cover + back cover only, for chapter editions
    national_html: str | None = None  # the national edition the body pages come from


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


def default_workers() -> int:
    return os.cpu_count() or 1


def plan(
    project: Project,
    documents: Sequence[str] = (),
    languages: Sequence[str] = (),
    chapters: Sequence[Chapter] = (),
) -> list[Job]:
    """Expand documents × languages (× chapters) into jobs; unknown ids are usage errors."""
    for doc in documents:
        if doc not in project.documents:
            raise LivretError(f"unknown document '{doc}'{did_you_mean(doc, project.documents)}")
    for lang in languages:
        if lang not in project.languages:
            raise LivretError(
                f"unknown language '{lang}'{did_you_mean(lang, project.languages)} "
                f"(livret.yaml lists: {', '.join(project.languages)})"
            )
    docs = list(dict.fromkeys(documents)) or list(project.documents)
    langs = list(dict.fromkeys(languages)) or list(project.languages)
    slugs: list[str | None] = [chapter.slug for chapter in chapters] or [None]
    return [Job(doc, lang, slug) for slug in slugs for lang in langs for doc in docs]


def shard(jobs: Sequence[Job], index: int, count: int) -> list[Job]:
    """The ``index``-th (1-based) of ``count`` deterministic, balanced slices of the jobs."""
    if not 1 <= index <= count:
        raise LivretError(f"--shard {index}/{count}: K must be between 1 and N")
    ordered = sorted(jobs, key=lambda job: (job.chapter or "", job.lang, job.document))
    return ordered[index - 1 :: count]


class _Preparer:
    """Loads each input once and renders each job's HTML."""

    def __init__(self, project: Project, options: BuildOptions, need_chapters: bool) -> None:
        self.project = project
        self.options = options
        self.national = load_brand(project)
        self.chapters = load_chapters(project) if need_chapters else {}
        self.translators: dict[str, Translator] = {}
        self.contents: dict[str, Any] = {}
        self.localized: dict[tuple[str, str], Any] = {}
        self.national_html: dict[tuple[str, str], str] = {}

    def translator(self, lang: str) -> Translator:
        if lang not in self.translators:
            project = self.project
            self.translators[lang] = translator_for(
                project.locales_dir, lang, project.source_language, project.root
            )
        return self.translators[lang]

    def html(self, job: Job, brand: Brand, **extra: Any) -> str:
        project = self.project
        document = project.documents[job.document]
        localizer = Localizer(self.translator(job.lang), project.locale(job.lang))
        if (job.document, job.lang) not in self.localized:
            if job.document not in self.contents:
                self.contents[job.document] = load_content(project, document)
            self.localized[job.document, job.lang] = localizer.tree(self.contents[job.document])
        doc = self.localized[job.document, job.lang]
        paper = page_size(self.options.paper, localizer.locale)
        context = template_context(project, brand, document, doc, localizer, paper)
        context.update(print_marks=self.options.print_marks, **extra)
        return render_html(load_template(project.templates_dir, document.template_file), context)

    def prepare(self, job: Job, out_dir: Path) -> PreparedJob:
        brand = self.national
        if job.chapter:
            brand = self.chapters[job.chapter].apply_to(self.national)
        html = self.html(job, brand)
        _check_glyphs(html, brand, job, self.project.locale(job.lang))
        folders = (self.project.root, *sorted(self.national.font_folders))
        document = self.project.documents[job.document]
        kind = document.template
        item = PreparedJob(job, html, job.output(out_dir), folders)
        item.paper = page_size(self.options.paper, self.project.locale(job.lang))
        if kind in ONE_PAGE:
            item.one_page = OnePage(ONE_PAGE[kind], self.project.relative(document.content))
        if job.chapter and kind in SHARED_BODY_KINDS:
            item.edition_html = self.html(job, brand, edition_pages_only=True)
            national = Job(job.document, job.lang)
            if (job.document, job.lang) not in self.national_html:
                self.national_html[job.document, job.lang] = self.html(national, self.national)
            item.national_html = self.national_html[job.document, job.lang]
        return item


def prepare(
    project: Project, jobs: Iterable[Job], options: BuildOptions
) -> tuple[list[PreparedJob], list[str]]:
    """Load everything and render every job's HTML; raises on any invalid input."""
    jobs = list(jobs)
    preparer = _Preparer(project, options, any(job.chapter for job in jobs))
    out_dir = (options.output or project.output).resolve()
    prepared = [preparer.prepare(job, out_dir) for job in jobs]
    return prepared, _fallback_warnings(project, preparer.translators, options.strict)


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
        key = input_key(item.html, templates, options.output_options, project.root)
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
        with RenderSession(options.workers) as session:
            for wave in (bases, leaders, followers):
                if wave is followers:  # one-page siblings start from the first one's fit
                    wave = [replace(task, fit_hint=fits.get(task.group)) for task in followers]
                for outcome in session.run(wave):
                    if outcome.fit is not None:
                        fits.setdefault(outcome.task.group, outcome.fit)
                    for item in pending.get(outcome.task.key, []):
                        _record(report, notify, manifest, item, outcome, sources[item.job])
    finally:
        if prepared:
            manifest.save()
    report.seconds = time.perf_counter() - started
    return report


def _record(
    report: BuildReport,
    notify: Events,
    manifest: Manifest,
    item: PreparedJob,
    outcome: TaskResult,
    source: str,
) -> None:
    """Report one job's outcome, and remember what its PDF was built from."""
    if outcome.error:
        result = JobResult(item.job, None, error=outcome.error)
    else:
        manifest.record(item.pdf_path, outcome.task.key, source)
        result = JobResult(item.job, item.pdf_path, pages=outcome.pages)
    report.results.append(result)
    notify("job", result)


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
            root,
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
            base_key = input_key(first.national_html, templates, options.pdf_options, project.root)
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


def _check_glyphs(html: str, brand: Brand, job: Job, locale: str) -> None:
    """Every character of the page and of the locale's typography exists in the brand fonts."""
    text = visible_text(html) + characters_emitted(locale)
    for family, role in ((brand.body_font, "body"), (brand.heading_font, "heading")):
        missing = missing_characters(text, family)
        if missing:
            shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:5])
            raise LivretError(
                f"the {role} font ({family.source}) cannot draw {shown}, used in {job.label}; "
                "choose a font that covers them or change the text",
                "brand/brand.yaml",
            )


def _fallback_warnings(
    project: Project, translators: dict[str, Translator], strict: bool
) -> list[str]:
    warnings = []
    for lang, translator in translators.items():
        untranslated, fuzzy = len(translator.untranslated), len(translator.fuzzy)
        if not (untranslated or fuzzy):
            continue
        message = (
            f"{lang}: {untranslated} untranslated and {fuzzy} fuzzy strings fall back to "
            f"the source language ({project.source_language}); run: livret i18n stats"
        )
        if strict:
            raise LivretError(message.replace("fall back to", "would fall back to") + " (--strict)")
        warnings.append(message)
    return warnings
