"""Translator catalogs: update them from the sources, and start a new language.

``update`` merges the template into each catalog as ``msgmerge`` does (see
:mod:`livret.i18n.merge`) and writes the files as GNU gettext writes them, at the
project's ``po_width``. A regional variant (``fr_CA`` when ``fr`` is the source or has
a catalog) keeps only the strings that differ from its parent language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import polib
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog

from livret import __version__
from livret.errors import LivretError
from livret.files import atomic_write
from livret.i18n.extract import build_template, pot_path
from livret.i18n.merge import MergeCounts, merge
from livret.i18n.plurals import policy_rule
from livret.i18n.po import catalog_path, read_catalog, template_entries, write_catalog
from livret.i18n.pofile import dump
from livret.inputs import read_bytes
from livret.model.project import LANG_PATTERN, Project


def translation_languages(project: Project) -> list[str]:
    """The languages that have a catalog: every project language but the source."""
    return [lang for lang in project.languages if lang != project.source_language]


def parent_language(project: Project, lang: str) -> str | None:
    """The language a regional variant falls back to (``fr`` for ``fr_CA``), if any:
    the source language, or a language that has a catalog."""
    base = lang.split("_")[0]
    if base == lang:
        return None
    if base == project.source_language or catalog_path(project.locales_dir, base).is_file():
        return base
    return None


def existing_catalog(project: Project, lang: str) -> tuple[Path, str]:
    """The path and displayed name of a language's catalog, which must exist."""
    path = catalog_path(project.locales_dir, lang)
    if not path.is_file():
        raise LivretError(
            f"no catalog for language '{lang}' (run: livret i18n init {lang})",
            project.relative(path),
        )
    return path, project.relative(path)


def project_template(project: Project) -> polib.POFile:
    """The template of the project's current sources, as PO entries."""
    return template_entries(build_template(project))


def read_compendium(project: Project, path: Path) -> polib.POFile:
    """Another catalog (an earlier edition, a sister project) to take exact matches from;
    named on the command line, it may lie outside the project."""
    real = path.resolve()
    return read_catalog(path, project.relative(real), [project.root, real.parent])


@dataclass(frozen=True)
class UpdateSummary:
    """What ``update`` changed, or would change, in one catalog."""

    lang: str
    file: str
    counts: MergeCounts
    changed: bool

    def __str__(self) -> str:
        counts = self.counts
        extra = f", {counts.restored} restored" if counts.restored else ""
        extra += f", {counts.from_compendium} from the compendium" if counts.from_compendium else ""
        return (
            f"{self.lang}: {counts.added} added, {counts.fuzzy} fuzzy, {counts.obsolete} "
            f"obsolete, {counts.unchanged} unchanged{extra} ({self.file})"
        )


def update_catalogs(
    project: Project, compendium: Path | None = None, write: bool = True
) -> tuple[list[UpdateSummary], bool]:
    """Regenerate ``locales/livret.pot`` and merge it into every language's catalog.

    Returns a summary per catalog and whether the template changed. Every catalog is read
    and merged before anything is written, so a broken catalog stops the command with
    nothing changed; with ``write=False`` nothing is ever written (``update --check``).
    """
    template = project_template(project)
    known = read_compendium(project, compendium) if compendium else None
    outputs: list[tuple[Path, str]] = []
    summaries = []
    for lang in translation_languages(project):
        path, display = existing_catalog(project, lang)
        catalog, counts = merge(
            read_catalog(path, display, project.root),
            template,
            known,
            parent_language(project, lang) is None,
        )
        text = dump(catalog, project.po_width)
        changed = not _holds(project, path, text)
        outputs.append((path, text))
        summaries.append(UpdateSummary(lang, display, counts, changed))
    pot = pot_path(project)
    pot_text = dump(template, project.po_width)
    pot_changed = not _holds(project, pot, pot_text)
    if write:
        write_catalog(template, pot, project.po_width)
        for (path, text), summary in zip(outputs, summaries, strict=True):
            if summary.changed:
                atomic_write(path, text.encode("utf-8"))
    return summaries, pot_changed


def _holds(project: Project, path: Path, text: str) -> bool:
    """Whether the file already holds ``text`` (read confined; an unreadable file does not)."""
    try:
        return read_bytes(path, project.root, project.relative(path)) == text.encode("utf-8")
    except LivretError:
        return False


def _new_header(project: Project, lang: str, locale: Locale) -> polib.POFile:
    created = dt.datetime.combine(project.edition_date, dt.time(), dt.UTC)
    babel = Catalog(
        locale=lang,
        project="livret",
        version=__version__,
        language_team=locale.english_name,
        creation_date=created,
        revision_date=created,
        fuzzy=False,
    )
    po = template_entries(babel)
    po.metadata["Plural-Forms"] = policy_rule(lang).header
    po.header = f"{locale.english_name} translation of livret."
    return po


def init_catalog(project: Project, lang: str, compendium: Path | None = None) -> Path:
    """Create the catalog of a new language, with the plural rule of the policy
    (see :mod:`livret.i18n.plurals`). A regional variant starts empty; a compendium
    fills in its exact matches."""
    if not re.fullmatch(LANG_PATTERN, lang):
        raise LivretError(f"'{lang}' is not a language code such as 'de' or 'fr_CA'")
    if lang == project.source_language:
        raise LivretError(f"'{lang}' is the source language: it needs no catalog")
    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        raise LivretError(f"unknown language '{lang}'") from None
    path = catalog_path(project.locales_dir, lang)
    if path.exists():
        raise LivretError(
            "a catalog already exists (run: livret i18n update)", project.relative(path)
        )
    known = read_compendium(project, compendium) if compendium else None
    variant = parent_language(project, lang) is not None
    catalog, _counts = merge(
        _new_header(project, lang, locale), project_template(project), known, not variant
    )
    write_catalog(catalog, path, project.po_width)
    return path
