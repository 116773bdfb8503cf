"""The build pipeline: plan jobs, prepare their HTML, render PDFs, write them atomically.

Everything that can be wrong with the input is found while preparing, before any
file is written; a failure while rendering one document does not stop the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livret.brand import Brand, load_brand
from livret.content import load_content
from livret.context import template_context
from livret.errors import LivretError, did_you_mean
from livret.files import atomic_write, remove_stale_temporaries
from livret.fonts import missing_characters
from livret.i18n import Translator, translator_for
from livret.localize import Localizer
from livret.project import Project
from livret.render import PdfRenderer, load_template, render_html
from livret.textcheck import visible_text


@dataclass(frozen=True)
class Job:
    """One output: a document in a language."""

    document: str
    lang: str

    def output(self, out_dir: Path) -> Path:
        return out_dir / self.lang / f"{self.document}.pdf"

    @property
    def label(self) -> str:
        return f"{self.lang}/{self.document}"


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked for beyond the job list."""

    output: Path | None = None
    html: bool = False
    strict: bool = False


@dataclass
class PreparedJob:
    job: Job
    html: str
    pdf_path: Path
    allowed_folders: tuple[Path, ...]


@dataclass
class JobResult:
    job: Job
    path: Path | None
    pages: int = 0
    error: str | None = None


@dataclass
class BuildReport:
    results: list[JobResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[JobResult]:
        return [result for result in self.results if result.error]


Events = Callable[[str, Any], None]


def plan(
    project: Project, documents: Sequence[str] = (), languages: Sequence[str] = ()
) -> list[Job]:
    """Expand documents × languages into jobs; unknown ids are usage errors."""
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
    return [Job(doc, lang) for lang in langs for doc in docs]


def prepare(
    project: Project, jobs: Iterable[Job], options: BuildOptions
) -> tuple[list[PreparedJob], list[str]]:
    """Load everything and render every job's HTML; raises on any invalid input."""
    brand = load_brand(project)
    out_dir = (options.output or project.output).resolve()
    translators: dict[str, Translator] = {}
    contents: dict[str, Any] = {}
    prepared = []
    for job in jobs:
        document = project.documents[job.document]
        if job.document not in contents:
            contents[job.document] = load_content(project, document)
        if job.lang not in translators:
            translators[job.lang] = translator_for(
                project.locales_dir, job.lang, project.source_language, project.root
            )
        localizer = Localizer(translators[job.lang], project.locale(job.lang))
        template = load_template(project.templates_dir, document.template_file)
        context = template_context(project, brand, document, contents[job.document], localizer)
        html = render_html(template, context)
        _check_glyphs(html, brand, job)
        prepared.append(
            PreparedJob(job, html, job.output(out_dir), _allowed_folders(project, brand))
        )
    warnings = _fallback_warnings(project, translators, options.strict)
    return prepared, warnings


def build(
    project: Project, jobs: Sequence[Job], options: BuildOptions, events: Events | None = None
) -> BuildReport:
    """Build every job; see the module docstring for the failure rules."""
    notify = events or (lambda kind, data: None)
    started = time.perf_counter()
    prepared, warnings = prepare(project, jobs, options)
    for warning in warnings:
        notify("warning", warning)
    report = BuildReport(warnings=warnings)
    for folder in sorted({item.pdf_path.parent for item in prepared}):
        remove_stale_temporaries(folder)
    # Manifest hook: once out/.livret-manifest.json exists, check here that it matches the
    # PDFs on disk (a killed build may have replaced some of them) before trusting it.
    renderer = PdfRenderer(project.edition_date)
    for item in prepared:
        result = render_job(renderer, item, options)
        report.results.append(result)
        notify("job", result)
    report.seconds = time.perf_counter() - started
    return report


def render_job(renderer: PdfRenderer, item: PreparedJob, options: BuildOptions) -> JobResult:
    """Render one prepared job and write its files atomically; errors are captured."""
    base_url = item.pdf_path.parent.as_uri() + "/"
    try:
        document = renderer.layout(item.html, base_url, item.allowed_folders, pdf_forms=True)
        pdf = renderer.write(document, pdf_forms=True)
    except LivretError as error:
        return JobResult(item.job, None, error=f"{item.job.label}: {error}")
    if options.html:
        atomic_write(item.pdf_path.with_suffix(".html"), item.html.encode("utf-8"))
    atomic_write(item.pdf_path, pdf)
    return JobResult(item.job, item.pdf_path, pages=len(document.pages))


def _allowed_folders(project: Project, brand: Brand) -> tuple[Path, ...]:
    return (project.root, *sorted(brand.font_folders))


def _check_glyphs(html: str, brand: Brand, job: Job) -> None:
    text = visible_text(html)
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
