"""Translator catalogs: update them from the sources, start a new language, count progress.

``update`` merges the template into each catalog with Babel's fuzzy matching: a changed
source string keeps its old translation marked fuzzy with the previous msgid (``#|``),
a removed one becomes obsolete (``#~``). Files are written with :mod:`livret.pofiles`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message

from livret import __version__
from livret.errors import LivretError
from livret.i18n.extract import build_template, pot_path
from livret.i18n.plurals import filled_forms, policy_rule
from livret.i18n.po import (
    catalog_path,
    message_key,
    read_catalog,
    read_for_update,
    write_catalog,
)
from livret.model.project import LANG_PATTERN, Project


def _is_translated(message: Message) -> bool:
    """As the build sees it: a plural entry may leave CLDR's ``many`` form empty."""
    if isinstance(message.string, (list, tuple)):
        return filled_forms(tuple(message.string)) is not None
    return bool(message.string)


def translation_languages(project: Project) -> list[str]:
    """The languages that have a catalog: every project language but the source."""
    return [lang for lang in project.languages if lang != project.source_language]


def existing_catalog(project: Project, lang: str) -> tuple[Path, str]:
    """The path and displayed name of a language's catalog, which must exist."""
    path = catalog_path(project.locales_dir, lang)
    if not path.is_file():
        raise LivretError(
            f"no catalog for language '{lang}' (run: livret i18n init {lang})",
            project.relative(path),
        )
    return path, project.relative(path)


@dataclass(frozen=True)
class UpdateSummary:
    """What ``update`` changed in one catalog."""

    lang: str
    file: str
    added: int
    fuzzy: int
    obsolete: int
    unchanged: int


def update_catalogs(project: Project) -> list[UpdateSummary]:
    """Regenerate ``locales/livret.pot`` and merge it into every language's catalog.

    Every catalog is read and merged before anything is written, so a broken catalog
    stops the command with nothing changed.
    """
    template = build_template(project)
    merged = []
    for lang in translation_languages(project):
        path, display = existing_catalog(project, lang)
        catalog, summary = merge(
            read_for_update(path, display, project.root), template, lang, display
        )
        merged.append((catalog, path, summary))
    write_catalog(template, pot_path(project))
    for catalog, path, _summary in merged:
        write_catalog(catalog, path)
    return [summary for _catalog, _path, summary in merged]


def merge(
    catalog: Catalog, template: Catalog, lang: str, display: str
) -> tuple[Catalog, UpdateSummary]:
    """Merge ``template`` into ``catalog`` (in place) and count what changed."""
    before = {message_key(message): message for message in catalog if message.id}
    catalog.update(template)
    added = fuzzy = unchanged = 0
    for message in catalog:
        if not message.id:
            continue
        old = before.get(message_key(message))
        if old is None:
            fuzzy += message.fuzzy
            added += not message.fuzzy
            continue
        unchanged += 1
        if message.fuzzy and not message.previous_id and old.previous_id:
            message.previous_id = old.previous_id  # Babel forgets it on an exact match
    for key, message in list(catalog.obsolete.items()):
        if catalog.get(message.id, message.context) is not None:
            del catalog.obsolete[key]  # an obsolete entry whose source came back
    obsolete = sum(message_key(message) in before for message in catalog.obsolete.values())
    return catalog, UpdateSummary(lang, display, added, fuzzy, obsolete, unchanged)


def init_catalog(project: Project, lang: str) -> Path:
    """Create the empty catalog of a new language, with the plural rule of the policy
    (see :mod:`livret.i18n.plurals`)."""
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
    created = dt.datetime.combine(project.edition_date, dt.time(), dt.UTC)
    catalog = Catalog(
        locale=lang,
        project="livret",
        version=__version__,
        language_team=locale.english_name,
        creation_date=created,
        revision_date=created,
        fuzzy=False,
    )
    rule = policy_rule(lang)
    catalog.mime_headers = [*catalog.mime_headers, ("Plural-Forms", rule.header)]
    catalog.update(build_template(project))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_catalog(catalog, path)
    return path


@dataclass(frozen=True)
class Stats:
    """Progress of one catalog; fuzzy entries never count as translated."""

    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return round(100 * self.translated / self.total, 1) if self.total else 100.0

    def as_dict(self) -> dict[str, int | float]:
        return {
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "total": self.total,
            "percent": self.percent,
        }


def catalog_stats(project: Project) -> dict[str, Stats]:
    """The progress of every language's catalog, in the order of ``livret.yaml``."""
    result = {}
    for lang in translation_languages(project):
        catalog = read_catalog(*existing_catalog(project, lang), project.root)
        messages = [message for message in catalog if message.id]
        fuzzy = sum(message.fuzzy for message in messages)
        translated = sum(_is_translated(m) and not m.fuzzy for m in messages)
        untranslated = len(messages) - fuzzy - translated
        result[lang] = Stats(translated, fuzzy, untranslated, len(catalog.obsolete))
    return result
