"""Plural forms by policy: the formulas translators' tools use, whatever Babel is installed.

New catalogs get Weblate's formula for their language (``weblate-language-data``, the same
tables Weblate writes into a new catalog; for French and English they are GNU gettext's:
``nplurals=2; plural=(n > 1);`` and ``(n != 1)``). Babel follows CLDR, whose formulas
change with its version: Babel 2.19 (CLDR 46) gives French, Spanish, Italian and Portuguese
a third form (``many``, for a million and more). Both kinds of catalog are accepted:

- a catalog's header may use any formula known for its language (Weblate's, GNU gettext's
  classic one, or CLDR's), and every plural entry must then have that many forms;
- an empty form between the first and the last (CLDR's ``many``) uses the last form,
  ``other``: never the source language.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from babel import UnknownLocaleError
from babel.messages.plurals import get_plural
from weblate_language_data.languages import LANGUAGES
from weblate_language_data.plurals import CLDRPLURALS, QTPLURALS

# The numbers a formula is compared on: every small number and the thresholds of the
# rules in use (tens, hundreds, thousands, a million and its multiples).
_SAMPLES = (*range(0, 230), 1000, 1001, 10**5, 10**6, 2 * 10**6, 10**6 + 1, 10**9)


@dataclass(frozen=True)
class PluralRule:
    """A gettext plural rule: the number of forms and the C expression that picks one."""

    count: int
    expression: str

    @property
    def header(self) -> str:
        """The ``Plural-Forms`` header value, as GNU gettext writes it."""
        return f"nplurals={self.count}; plural={self.expression};"

    def function(self) -> Callable[[int], int]:
        return gettext.c2py(self.expression)

    def same_as(self, other: PluralRule) -> bool:
        """True when both rules have as many forms and pick the same form for every sample."""
        if self.count != other.count:
            return False
        mine, theirs = self.function(), other.function()
        return all(mine(n) == theirs(n) for n in _SAMPLES)


def _rule(count: int, expression: str) -> PluralRule:
    """A rule whose expression is wrapped in parentheses, as GNU gettext writes it."""
    expression = expression.strip()
    return PluralRule(count, expression if _wrapped(expression) else f"({expression})")


def _wrapped(expression: str) -> bool:
    """True when the whole expression is one parenthesized group."""
    depth = 0
    for index, character in enumerate(expression):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0:
            return index == len(expression) - 1 and character == ")"
    return False


def _table(rows: tuple[tuple[str, str, int, str], ...]) -> dict[str, PluralRule]:
    return {code: _rule(count, formula) for code, _name, count, formula in rows}


_WEBLATE = _table(LANGUAGES)
_CLASSIC = _table(QTPLURALS)  # the classic gettext formulas, as Qt Linguist also uses them
_CLDR = _table(CLDRPLURALS)


def _lookup(table: dict[str, PluralRule], lang: str) -> PluralRule | None:
    """The rule for ``fr_CA`` in ``table``, else for ``fr``."""
    return table.get(lang) or table.get(lang.split("_")[0].split("@")[0])


@cache
def policy_rule(lang: str) -> PluralRule:
    """The rule a new catalog of ``lang`` gets: Weblate's, else Babel's (CLDR)."""
    rule = _lookup(_WEBLATE, lang)
    if rule is not None:
        return rule
    babel = get_plural(lang)
    return _rule(babel.num_plurals, babel.plural_expr)


def accepted_rules(lang: str) -> Iterator[PluralRule]:
    """Every rule a catalog of ``lang`` may use without a warning."""
    yield policy_rule(lang)
    for table in (_CLASSIC, _CLDR):
        rule = _lookup(table, lang)
        if rule is not None:
            yield rule
    try:
        babel = get_plural(lang)
    except (ValueError, UnknownLocaleError):
        return
    yield _rule(babel.num_plurals, babel.plural_expr)


def is_accepted(rule: PluralRule, lang: str) -> bool:
    """True when ``rule`` is one of the formulas known for ``lang``."""
    return any(rule.same_as(known) for known in accepted_rules(lang))


def filled_forms(forms: tuple[str, ...] | list[str]) -> tuple[str, ...] | None:
    """The forms of a plural translation as looked up, or ``None`` if it is not translated.

    The first and the last (``other``) form must be filled; an empty form between them
    (CLDR's ``many``) uses the last one.
    """
    if len(forms) == 0 or not forms[0] or not forms[-1]:
        return None
    return tuple(form or forms[-1] for form in forms)
