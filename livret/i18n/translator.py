"""Runtime translations read straight from ``.po`` files, with a fallback chain.

A language such as ``fr_CA`` looks up ``locales/fr_CA``, then ``locales/fr``, then
falls back to the source text. Fuzzy and empty entries never count as translated:
they fall back too, and are counted so that the build can warn.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from livret.errors import LivretError
from livret.i18n.plurals import filled_forms, policy_rule
from livret.i18n.po import Key, catalog_path, entry_key, read_catalog

_PLURAL = re.compile(r"plural\s*=\s*([^;]+)")


def fallback_chain(lang: str) -> list[str]:
    """``fr_CA`` → ``[fr_CA, fr]``; ``en`` → ``[en]``."""
    chain = [lang]
    if "_" in lang:
        chain.append(lang.split("_")[0])
    return chain


@dataclass(frozen=True)
class LoadedCatalog:
    """The usable entries of one PO file."""

    lang: str
    file: str
    translated: dict[Key, str | tuple[str, ...]]
    fuzzy: frozenset[Key]
    plural: Callable[[int], int]
    lines: dict[Key, int] = field(default_factory=dict)  # the msgid line of each entry


@cache
def _load(path: Path, mtime_ns: int, display: str, lang: str, root: Path) -> LoadedCatalog:
    catalog = read_catalog(path, display, root)
    translated: dict[Key, str | tuple[str, ...]] = {}
    fuzzy: set[Key] = set()
    lines: dict[Key, int] = {}
    for entry in catalog:
        if entry.obsolete:
            continue
        key = entry_key(entry)
        lines[key] = entry.linenum
        if entry.fuzzy:
            fuzzy.add(key)
        elif entry.msgid_plural:
            forms = filled_forms([form for _index, form in sorted(entry.msgstr_plural.items())])
            if forms is not None:
                translated[key] = forms
        elif entry.msgstr:
            translated[key] = entry.msgstr
    expression = _PLURAL.search(catalog.metadata.get("Plural-Forms", ""))
    try:
        plural = stdlib_gettext.c2py(expression[1].strip() if expression else "(n != 1)")
        for n in range(1000):  # fail now rather than in the middle of a render
            plural(n)
    except (ValueError, ArithmeticError, RecursionError) as error:
        raise LivretError(f"invalid Plural-Forms header: {error}", display) from None
    return LoadedCatalog(lang, display, translated, frozenset(fuzzy), plural, lines)


def load_catalog(locales_dir: Path, lang: str, display_root: Path) -> LoadedCatalog | None:
    """The catalog of one language, or ``None`` when it has none (cached by mtime)."""
    path = catalog_path(locales_dir, lang)
    if not (path.exists() or path.is_symlink()):
        return None
    display = path.relative_to(display_root).as_posix()
    mtime = path.stat().st_mtime_ns if path.exists() else 0  # a broken link: read_catalog says so
    return _load(path, mtime, display, lang, display_root)


@dataclass
class Translator:
    """Looks messages up along the fallback chain and records what fell back.

    For a regional variant of the source language (``fr_CA`` when the source is ``fr``),
    falling back to the source is expected, so only fuzzy entries are recorded.
    """

    lang: str
    catalogs: list[LoadedCatalog]
    source_plural: Callable[[int], int] = field(default=lambda n: int(n != 1))
    source_variant: bool = False
    untranslated: set[Key] = field(default_factory=set)
    fuzzy: set[Key] = field(default_factory=set)

    def gettext(self, msgid: str, context: str | None = None) -> str:
        key = (context, msgid)
        for catalog in self.catalogs:
            found = catalog.translated.get(key)
            if isinstance(found, str):
                return found
        self._record_fallback(key)
        return msgid

    def ngettext(self, singular: str, plural: str, n: int, context: str | None = None) -> str:
        key = (context, singular)
        for catalog in self.catalogs:
            found = catalog.translated.get(key)
            if isinstance(found, tuple):
                return found[min(catalog.plural(n), len(found) - 1)]
        self._record_fallback(key)
        return plural if self.source_plural(n) else singular

    def location(self, msgid: str, context: str | None = None) -> tuple[str, int | None]:
        """The PO file and line of the translation of ``msgid`` that ``gettext`` uses."""
        key = (context, msgid)
        for catalog in self.catalogs:
            if key in catalog.translated:
                return catalog.file, catalog.lines.get(key)
        return (self.catalogs[0].file if self.catalogs else "", None)

    def _record_fallback(self, key: Key) -> None:
        if not self.catalogs:
            return
        if any(key in catalog.fuzzy for catalog in self.catalogs):
            self.fuzzy.add(key)
        elif not self.source_variant:
            self.untranslated.add(key)


def translator_for(locales_dir: Path, lang: str, source_language: str, root: Path) -> Translator:
    """A translator for ``lang``; the source language translates to itself."""
    source_plural = policy_rule(source_language).function()
    if lang == source_language:
        return Translator(lang, [], source_plural)
    chain = fallback_chain(lang)
    catalogs = [c for name in chain if (c := load_catalog(locales_dir, name, root))]
    variant = source_language in chain
    if not catalogs and not variant:
        raise LivretError(
            f"no catalog for language '{lang}' (run: livret i18n init {lang})",
            catalog_path(locales_dir, lang).relative_to(root).as_posix(),
        )
    return Translator(lang, catalogs, source_plural, variant)
