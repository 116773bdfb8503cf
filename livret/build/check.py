"""``livret check``: the validations the build runs, without writing a PDF.

All but the cheat-sheet cards' rule (:mod:`livret.pdf.overrun`): it needs the cards laid
out, which would make a check of the sample about four times slower; the build reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from livret.build.plan import BuildOptions, plan
from livret.build.prepare import PreparedJob, prepare
from livret.errors import LivretError
from livret.i18n.translator import translator_for
from livret.model.brand import load_brand
from livret.model.brandcheck import brand_warnings
from livret.model.chapters import load_chapters
from livret.model.project import Project, load_content, load_project
from livret.pdf.fit import fit
from livret.pdf.renderer import PdfRenderer

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One finding, in the ``{file, line, level, message}`` shape of ``--format json``."""

    file: str | None
    line: int | None
    level: str
    message: str

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line) if part is not None)
        return f"{where + ': ' if where else ''}{self.level}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _error(error: LivretError) -> Diagnostic:
    return Diagnostic(error.file, error.line, ERROR, error.message)


def run_checks(root: Path) -> list[Diagnostic]:
    """Check config, brand, contrast, chapters, content, catalogs, glyphs and layout."""
    try:
        project = load_project(root)
    except LivretError as error:
        return [_error(error)]
    findings: list[Diagnostic] = []

    def stage(step: Callable[..., object], *args: Any) -> bool:
        try:
            step(*args)
        except LivretError as error:
            findings.append(_error(error))
            return False
        return True

    brand_ok = stage(check_brand, project, findings)
    stage(load_chapters, project)
    contents_ok = all([stage(load_content, project, doc) for doc in project.documents.values()])
    catalogs_ok = all(
        [
            stage(translator_for, project.locales_dir, lang, project.source_language, project.root)
            for lang in project.languages
        ]
    )
    if brand_ok and contents_ok and catalogs_ok:
        stage(_check_rendering, project, findings)
    return findings


def check_brand(project: Project, findings: list[Diagnostic]) -> None:
    """Load the brand, and warn about low contrast and accounts of no known network."""
    for warning in brand_warnings(project, load_brand(project)):
        findings.append(Diagnostic(warning.file, warning.line, WARNING, warning.message))


def _check_rendering(project: Project, findings: list[Diagnostic]) -> None:
    """Render every document's HTML (templates, glyph coverage, translation fallbacks),
    then lay out the one-page documents to see that they fit (nothing is written)."""
    prepared, warnings = prepare(project, plan(project), BuildOptions())
    findings.extend(Diagnostic(None, None, WARNING, message) for message in warnings)
    one_page = [item for item in prepared if item.one_page is not None]
    if not one_page:
        return
    with PdfRenderer(project.edition_date) as renderer:
        for item in one_page:
            _check_fit(item, renderer, findings)


def _check_fit(item: PreparedJob, renderer: PdfRenderer, findings: list[Diagnostic]) -> None:
    """Lay out a one-page document to see that it fits."""
    assert item.one_page is not None
    layout = partial(
        renderer.layout,
        base_url=item.pdf_path.parent.as_uri() + "/",
        allowed_folders=item.allowed_folders,
        pdf_forms=True,
    )
    try:
        fit(str(item.html), item.one_page, layout, item.paper)
    except LivretError as error:
        findings.append(Diagnostic(item.one_page.source, None, ERROR, f"{item.job.label}: {error}"))
