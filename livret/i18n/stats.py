"""Translation progress: per language and per document, and the strings still to do.

Each message of a language is in one state, as the build sees it: translated in its
catalog, inherited from the parent language (a regional variant such as ``fr_CA`` takes
what it does not change from ``fr``), fuzzy (translated but waiting for review: the build
shows the source) or untranslated. Fuzzy entries never count as translated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import polib

from livret.i18n.catalogs import (
    existing_catalog,
    parent_language,
    translation_languages,
)
from livret.i18n.extract import pot_path
from livret.i18n.plurals import filled_forms
from livret.i18n.po import Key, entry_key, read_catalog
from livret.model.brand import BRAND_FILE
from livret.model.project import Project, content_files

STATES = ("translated", "inherited", "fuzzy", "untranslated")


def _usable(entry: polib.POEntry | None) -> bool:
    """As the build sees it: a plural entry may leave CLDR's ``many`` form empty."""
    if entry is None or entry.fuzzy:
        return False
    if entry.msgid_plural:
        forms = [form for _index, form in sorted(entry.msgstr_plural.items())]
        return filled_forms(forms) is not None
    return bool(entry.msgstr)


@dataclass(frozen=True)
class Message:
    """One message of a language, its state, and where a translator finds it."""

    state: str
    entry: polib.POEntry
    file: str
    line: int

    @property
    def place(self) -> str:
        """The place in the document (``guide › section 3 › block 2``), if known."""
        first = self.entry.comment.split("\n")[0] if self.entry.comment else ""
        return "" if first.startswith("NOTE:") else first

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "state": self.state,
            "place": self.place,
            "msgctxt": self.entry.msgctxt,
            "msgid": self.entry.msgid,
        }


@dataclass(frozen=True)
class Language:
    """The messages of one translation language."""

    lang: str
    parent: str | None
    messages: list[Message]
    obsolete: int


def _entries(po: polib.POFile) -> dict[Key, polib.POEntry]:
    return {entry_key(entry): entry for entry in po if not entry.obsolete}


def language(project: Project, lang: str) -> Language:
    """Every message of ``lang`` with its state."""
    path, display = existing_catalog(project, lang)
    catalog = read_catalog(path, display, project.root)
    own = _entries(catalog)
    obsolete = sum(entry.obsolete for entry in catalog)
    parent = parent_language(project, lang)
    if parent is None:
        messages = [
            Message(_own_state(entry), entry, display, entry.linenum) for entry in own.values()
        ]
        return Language(lang, None, messages, obsolete)
    pot = pot_path(project)
    template = read_catalog(pot, project.relative(pot), project.root)
    inherited: dict[Key, polib.POEntry] = {}
    parent_file = project.relative(pot)
    if parent != project.source_language:
        parent_path, parent_file = existing_catalog(project, parent)
        inherited = _entries(read_catalog(parent_path, parent_file, project.root))
    messages = []
    for source in template:
        key = entry_key(source)
        mine, theirs = own.get(key), inherited.get(key)
        if mine is not None and (_usable(mine) or mine.fuzzy):
            messages.append(Message(_own_state(mine), mine, display, mine.linenum))
        elif parent == project.source_language or _usable(theirs):
            messages.append(Message("inherited", source, display, 0))
        elif theirs is not None:
            messages.append(Message(_own_state(theirs), theirs, parent_file, theirs.linenum))
        else:
            messages.append(Message("untranslated", source, parent_file, source.linenum))
    return Language(lang, parent, messages, obsolete)


def _own_state(entry: polib.POEntry) -> str:
    if entry.fuzzy:
        return "fuzzy"
    return "translated" if _usable(entry) else "untranslated"


@dataclass(frozen=True)
class Stats:
    """Progress of a set of messages; ``inherited`` ones come from the parent language."""

    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    inherited: int = 0
    parent: str | None = None

    @classmethod
    def of(cls, messages: list[Message], obsolete: int, parent: str | None) -> Stats:
        count = {state: sum(m.state == state for m in messages) for state in STATES}
        return cls(
            count["translated"],
            count["fuzzy"],
            count["untranslated"],
            obsolete,
            count["inherited"],
            parent,
        )

    @property
    def total(self) -> int:
        return self.translated + self.inherited + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        covered = self.translated + self.inherited
        return round(100 * covered / self.total, 1) if self.total else 100.0

    def as_dict(self) -> dict[str, int | float | str]:
        data: dict[str, int | float | str] = {
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "total": self.total,
            "percent": self.percent,
        }
        if self.parent is not None:
            data |= {"inherited": self.inherited, "parent": self.parent}
        return data

    def __str__(self) -> str:
        inherited = f"{self.inherited} from {self.parent}, " if self.parent else ""
        return (
            f"{self.percent:5.1f}%  {self.translated} translated, {inherited}"
            f"{self.fuzzy} fuzzy, {self.untranslated} untranslated, "
            f"{self.obsolete} obsolete, {self.total} total"
        )


def languages(project: Project) -> Iterator[Language]:
    """Every translation language of the project, in the order of ``livret.yaml``."""
    for lang in translation_languages(project):
        yield language(project, lang)


def catalog_stats(project: Project) -> dict[str, Stats]:
    """The progress of every language, in the order of ``livret.yaml``."""
    return {
        item.lang: Stats.of(item.messages, item.obsolete, item.parent)
        for item in languages(project)
    }


def documents_of(project: Project, entry: polib.POEntry, shown_in: dict[str, set[str]]) -> set[str]:
    """The documents that show a message, from its references (``shown_in``: the
    documents read from each content file, by project-relative path)."""
    found: set[str] = set()
    for path, _line in entry.occurrences:
        if path == BRAND_FILE:
            return set(project.documents)
        if path.startswith("templates/"):
            name = path.removeprefix("templates/").removesuffix(".html.j2")
            users = {doc.id for doc in project.documents.values() if doc.template == name}
            found |= users or {doc.id for doc in project.documents.values()}
            continue
        found |= shown_in.get(path, set())
    return found


def _documents_by_file(project: Project) -> dict[str, set[str]]:
    """For each content file (a YAML file, a chapter of the Markdown guide), the documents
    read from it."""
    shown_in: dict[str, set[str]] = {}
    for document in project.documents.values():
        for file in content_files(project, document):
            shown_in.setdefault(project.relative(file), set()).add(document.id)
    return shown_in


def stats_by_document(project: Project, item: Language) -> dict[str, Stats]:
    """The progress of one language in each document of ``livret.yaml``."""
    shown_in = _documents_by_file(project)
    shown = [(m, documents_of(project, m.entry, shown_in)) for m in item.messages]
    return {
        document: Stats.of([m for m, where in shown if document in where], 0, item.parent)
        for document in project.documents
    }
