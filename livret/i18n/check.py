"""Checks of translations that ``msgfmt -c`` does not make.

Each translated, non-fuzzy entry is compared with its source: placeholders, Markdown
and link targets, raw HTML, surrounding whitespace, plural counts and, in French,
no-break spaces. Overlong translations are only warned about.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import polib

from livret.html import markup
from livret.i18n import placeholders, typography
from livret.i18n.catalogs import existing_catalog, translation_languages
from livret.i18n.plurals import PluralRule, filled_forms, is_accepted, policy_rule
from livret.i18n.po import read_catalog
from livret.model.project import Project

LENGTH_RATIO = 1.3
LENGTH_MIN = 50
# Possessive quantifiers keep the search linear on long runs of spaces or letters.
_HTML = re.compile(r"<!--|<\s*+/?\s*+([A-Za-z][A-Za-z0-9-]*+)(?=[\s/>])[^<>]*+>")
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
_PLURAL = re.compile(r"plural\s*=\s*([^;]+)")
# Code spans are compared by count only: hashtags written as `code` may be localized.
_MARKUP_TOKENS = {
    "strong_open": "**bold**",
    "em_open": "*emphasis*",
    "code_inline": "`code` spans",
    "hardbreak": "line break",
}


@dataclass(frozen=True)
class Finding:
    """One problem (or warning) at a place in a catalog."""

    file: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {'warning: ' if self.warning else ''}{self.message}"


def check_project(project: Project) -> list[Finding]:
    """Check the catalog of every translation language of the project."""
    findings = []
    for lang in translation_languages(project):
        path, display = existing_catalog(project, lang)
        findings += check_catalog(
            read_catalog(path, display, project.root), display, project.locale(lang)
        )
    return findings


def check_catalog(po: polib.POFile, display: str, locale: str) -> list[Finding]:
    """Every finding in one catalog whose translations are in ``locale``."""
    findings = list(_check_header(po, display, locale))
    nplurals = _nplurals(po)
    for entry in po:
        if entry.obsolete:
            continue
        for problem in _check_entry(entry, locale, nplurals):
            findings.append(Finding(display, entry.linenum, problem))
        if _too_long(entry):
            ratio = len(entry.msgstr) / len(entry.msgid)
            message = f"translation is {ratio:.1f}× as long as its source: the layout may overflow"
            findings.append(Finding(display, entry.linenum, message, warning=True))
    return findings


def _nplurals(po: polib.POFile) -> int | None:
    match = _NPLURALS.search(po.metadata.get("Plural-Forms", ""))
    return int(match[1]) if match else None


def _check_header(po: polib.POFile, display: str, locale: str) -> Iterator[Finding]:
    nplurals = _nplurals(po)
    if nplurals is None:
        if any(entry.msgid_plural for entry in po):
            yield Finding(display, 1, "plural entries but no Plural-Forms header")
        return
    expression = _PLURAL.search(po.metadata.get("Plural-Forms", ""))
    try:
        rule = PluralRule(nplurals, expression[1].strip() if expression else "(n != 1)")
        accepted = is_accepted(rule, locale)
    except (ValueError, SyntaxError, ArithmeticError, RecursionError):
        yield Finding(display, 1, f"invalid Plural-Forms header: {rule.header}")
        return
    if not accepted:
        message = (
            f"Plural-Forms {rule.header!r} is not a rule known for {locale} "
            f"(gettext's is {policy_rule(locale).header!r})"
        )
        yield Finding(display, 1, message, warning=True)


def _check_entry(entry: polib.POEntry, locale: str, nplurals: int | None) -> Iterator[str]:
    if entry.msgid_plural and nplurals is not None and len(entry.msgstr_plural) != nplurals:
        yield (
            f"{len(entry.msgstr_plural)} plural forms, but the header's Plural-Forms "
            f"says nplurals={nplurals}"
        )
    if entry.fuzzy:
        return
    if not entry.msgid_plural:
        if entry.msgstr:
            yield from compare(entry.msgid, entry.msgstr, locale)
        return
    forms = [form for _index, form in sorted(entry.msgstr_plural.items())]
    if filled_forms(forms) is None:
        return  # untranslated (an empty ``many`` form alone is fine: it uses ``other``)
    for index, form in enumerate(forms):
        if not form:
            continue
        source = entry.msgid if index == 0 and nplurals != 1 else entry.msgid_plural
        for problem in compare(source, form, locale, plural=True):
            yield f"plural form {index}: {problem}"


def _too_long(entry: polib.POEntry) -> bool:
    return (
        not entry.fuzzy
        and bool(entry.msgstr)
        and len(entry.msgid) > LENGTH_MIN
        and len(entry.msgstr) > LENGTH_RATIO * len(entry.msgid)
    )


def compare(source: str, translation: str, locale: str, plural: bool = False) -> Iterator[str]:
    """The problems of one translation of ``source`` into ``locale``.

    A plural form may leave out a placeholder of its source ("one page"), but never
    add one.
    """
    for kind, find in (("{…}", placeholders.brace), ("%", placeholders.percent)):
        wanted, found = find(source), find(translation)
        if (set(found) - set(wanted)) if plural else (wanted != found):
            yield (
                f"{kind} placeholders differ: {_shown(wanted)} in the source, "
                f"{_shown(found)} in the translation"
            )
    if placeholders.stray_percent(translation):
        yield "a '%' that is not a placeholder (write '%%' for a percent sign)"
    yield from _compare_markup(source, translation)
    extra_html = _html_tags(translation) - _html_tags(source)
    if extra_html:
        yield f"raw HTML that the source does not have: {_shown(sorted(extra_html))}"
    for side, space in (("leading", _leading_space), ("trailing", _trailing_space)):
        if space(source) != space(translation):
            yield f"{side} whitespace differs from the source"
    yield from typography.missing_spaces(_reader_text(translation), locale)


def _leading_space(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _trailing_space(text: str) -> str:
    return text[len(text.rstrip()) :]


def _compare_markup(source: str, translation: str) -> Iterator[str]:
    wanted, found = _Markup.of(source), _Markup.of(translation)
    for kind, label in _MARKUP_TOKENS.items():
        if wanted.counts[kind] != found.counts[kind]:
            yield (
                f"Markdown {label} differs: {wanted.counts[kind]} in the source, "
                f"{found.counts[kind]} in the translation"
            )
    if wanted.links != found.links:
        yield (
            f"link targets differ: {_shown(wanted.links)} in the source, "
            f"{_shown(found.links)} in the translation"
        )


@dataclass(frozen=True)
class _Markup:
    """The Markdown of one string: token counts and link targets."""

    counts: Counter[str]
    links: list[str]

    @classmethod
    def of(cls, text: str) -> _Markup:
        tokens = markup.inline_tokens(text)
        links = [str(t.attrs.get("href", "")) for t in tokens if t.type == "link_open"]
        return cls(Counter(t.type for t in tokens), sorted(links))


def _html_tags(text: str) -> set[str]:
    return {(match[1] or "!--").lower() for match in _HTML.finditer(text)}


def _reader_text(text: str) -> str:
    """The text the reader sees: no link targets, no code, no autolinked URLs."""
    parts = []
    in_autolink = False
    for token in markup.inline_tokens(text):
        if token.markup == "autolink":
            in_autolink = token.type == "link_open"
        elif token.type == "text" and not in_autolink:
            parts.append(token.content)
        elif token.type in ("code_inline", "softbreak", "hardbreak"):
            parts.append(" " if "break" in token.type else "\ufffc")
    return "".join(parts)


def _shown(items: list[str]) -> str:
    return " ".join(items) if items else "none"
