"""Prepare jobs: load every input once and render each job's HTML, checking it all.

Everything that can be wrong with the input is found here, before any file is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livret.build.packed import Packed
from livret.build.plan import BuildOptions, Job
from livret.errors import LivretError, shortened
from livret.html.context import template_context
from livret.html.localize import Localizer
from livret.html.templates import load_template, render_html
from livret.html.text import visible_text
from livret.i18n.translator import Translator, translator_for
from livret.i18n.typography import characters_emitted
from livret.model.brand import Brand, load_brand
from livret.model.chapters import load_chapters
from livret.model.fonts import missing_characters
from livret.model.project import Project, load_content
from livret.pdf.fit import OnePage
from livret.pdf.overrun import FixedBoxes
from livret.pdf.paper import page_size


@dataclass
class PreparedJob:
    """A job with its HTML (compressed while it waits), ready to render."""

    job: Job
    html: Packed
    pdf_path: Path
    allowed_folders: tuple[Path, ...]
    paper: str = "A4"
    one_page: OnePage | None = None  # set for kinds that must fit one page
    fixed_boxes: FixedBoxes | None = None  # set for kinds with boxes of a fixed height
    # A chapter edition made from shared national pages (see livret.kinds): its own part
    # (a guide's cover and back cover, or a checklist's footer alone), the national
    # edition the shared part comes from, and for a footer, the national sheet without it.
    edition_html: Packed | None = None
    national_html: Packed | None = None
    national_sheet_html: Packed | None = None
    chapter_footer: str | None = None  # the class of the footer box


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
        self.national_html: dict[tuple[str, str, bool], Packed] = {}

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
        template = load_template(project.templates_dir, document.kind.template, project.root)
        return render_html(template, context)

    def prepare(self, job: Job, out_dir: Path) -> PreparedJob:
        brand = self.national
        if job.chapter:
            brand = self.chapters[job.chapter].apply_to(self.national)
        html = self.html(job, brand)
        _check_glyphs(html, brand, job, self.project.locale(job.lang))
        folders = (self.project.root, *sorted(self.national.font_folders))
        document = self.project.documents[job.document]
        kind = document.kind
        item = PreparedJob(job, Packed(html), job.output(out_dir), folders)
        item.paper = page_size(self.options.paper, self.project.locale(job.lang))
        source = self.project.relative(document.content)
        if kind.one_page is not None:
            item.one_page = OnePage(kind.one_page, source)
        if kind.fixed_boxes is not None:
            item.fixed_boxes = FixedBoxes(kind.fixed_boxes, source)
        if job.chapter and kind.shared_body:
            item.edition_html = Packed(self.html(job, brand, edition_pages_only=True))
            item.national_html = self.national_edition(job)
        elif job.chapter and kind.chapter_footer is not None:
            footer = self.html(job, brand, edition_footer_only=True)
            national = self.national_edition(job)
            sheet = self.national_edition(job, without_footer=True)
            if footer != html and sheet != national:  # the template knows the two parts
                item.edition_html, item.national_html = Packed(footer), national
                item.national_sheet_html, item.chapter_footer = sheet, kind.chapter_footer
        return item

    def national_edition(self, job: Job, without_footer: bool = False) -> Packed:
        """The HTML of ``job``'s document in the national edition, rendered once per batch."""
        key = (job.document, job.lang, without_footer)
        if key not in self.national_html:
            national = Job(job.document, job.lang)
            html = self.html(national, self.national, edition_without_footer=without_footer)
            self.national_html[key] = Packed(html)
        return self.national_html[key]


def prepare(
    project: Project, jobs: Iterable[Job], options: BuildOptions
) -> tuple[list[PreparedJob], list[str]]:
    """Load everything and render every job's HTML; raises on any invalid input."""
    jobs = list(jobs)
    preparer = _Preparer(project, options, any(job.chapter for job in jobs))
    out_dir = (options.output or project.output).resolve()
    prepared = [preparer.prepare(job, out_dir) for job in jobs]
    return prepared, _fallback_warnings(project, preparer.translators, options)


def _check_glyphs(html: str, brand: Brand, job: Job, locale: str) -> None:
    """Every character of the page and of the locale's typography exists in the brand fonts.

    A character that only a chapter's own fields bring is blamed on the chapter's row of
    the spreadsheet (or its YAML file); any other, on the brand's fonts.
    """
    text = visible_text(html) + characters_emitted(locale)
    for family, role in ((brand.body_font, "body"), (brand.heading_font, "heading")):
        missing = missing_characters(text, family)
        if not missing:
            continue
        chapter = brand.chapter
        from_chapter = missing_characters(chapter.text, family) if chapter else ""
        if chapter and from_chapter:
            raise LivretError(
                f"chapter '{chapter.slug}': the {role} font ({family.source}) cannot draw "
                f"{_shown(from_chapter)}; change the text or choose another font in "
                "brand/brand.yaml",
                chapter.source,
                chapter.line,
            )
        raise LivretError(
            f"the {role} font ({family.source}) cannot draw {_shown(missing)}, used in "
            f"{job.label}; choose a font that covers them or change the text",
            "brand/brand.yaml",
        )


def _shown(characters: str) -> str:
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in characters[:5])


def _fallback_warnings(
    project: Project, translators: dict[str, Translator], options: BuildOptions
) -> list[str]:
    warnings = []
    for lang, translator in translators.items():
        untranslated, fuzzy = len(translator.untranslated), len(translator.fuzzy)
        if not (untranslated or fuzzy):
            continue
        message = (
            f"{lang}: {untranslated} untranslated and {fuzzy} fuzzy strings fall back to "
            f"the source language ({project.source_language}); to list them, run "
            "livret i18n update, then livret i18n stats --list untranslated (or --list fuzzy)"
        )
        if options.strict:
            raise LivretError(message.replace("fall back to", "would fall back to") + " (--strict)")
        if options.list_fallbacks:
            for state, keys in (
                ("untranslated", translator.untranslated),
                ("fuzzy", translator.fuzzy),
            ):
                message += "".join(
                    f"\n  {state}: {shortened(msgid, 70, '…')}"
                    for _context, msgid in sorted(keys, key=lambda k: (k[1], k[0] or ""))
                )
        warnings.append(message)
    return warnings
