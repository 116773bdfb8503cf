"""What to build: jobs (document × language × chapter), the options, and shards for CI."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livret.errors import LivretError, did_you_mean
from livret.model.brand import Chapter
from livret.model.project import Project

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
    list_fallbacks: bool = False  # -v: name each string that falls back to the source

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
