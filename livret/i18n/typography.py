"""Locale typography for text the reader sees (never URLs, e-mail addresses or code).

French (France): a narrow no-break space (U+202F) before ``; ! ?``, a no-break
space (U+00A0) before ``:`` and inside « ». Quebec French keeps the no-break space
before ``:`` and inside « » but sets ``; ! ?`` close up, as the OQLF recommends.
Every locale gets the typographic apostrophe ’.

Every pattern here runs in linear time on any text: a match may only start where a run
of spaces (or of word characters) starts, and quantifiers over a run never give back
what they took, so a long run is scanned once, not once per position in it.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"
APOSTROPHE = "’"

_SPACES = " \u00a0\u202f"
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
# High punctuation counts when it ends a word: before a space, the end, or more punctuation.
_END = r"(?=\s|$|[;:!?…»)\"’.,])"
_SPACE_BEFORE_TIGHT = re.compile(rf"(?<![;!?{_SPACES}])[{_SPACES}]*+([;!?]){_END}")
_SPACE_BEFORE_COLON = re.compile(rf"(?:(?<=\S)|^)[{_SPACES}]*+:{_END}")
_AFTER_OPENING_GUILLEMET = re.compile(rf"«[{_SPACES}]*+")
_BEFORE_CLOSING_GUILLEMET = re.compile(rf"(?<![{_SPACES}])[{_SPACES}]*+»")


# A word with hyphens: ``porte-parole``, ``c'est-à-dire``, ``thank-you``. To be searched
# for, it follows COMPOUND_START, which anchors the search at the start of a run of word
# characters and apostrophes (an apostrophe may open the run: ``'porte-parole'``).
COMPOUND = re.compile(r"\w[\w'’]*+(?:-\w[\w'’]*+)+")
COMPOUND_START = r"(?<![\w'’])['’]*+"
MIN_LETTERS_AT_BREAK = 3  # as hyphenate-limit-chars in the templates' CSS
MIN_BREAKABLE_COMPOUND = 10


def stays_whole(compound: str) -> bool:
    """True when a line must not end at one of the word's own hyphens: a part would keep
    fewer than 3 letters (``e-réputation``, ``c'est-à-dire``) or the word is short
    (``thank-you``, ``week-end``)."""
    parts = compound.split("-")
    return (
        len(compound) < MIN_BREAKABLE_COMPOUND
        or min(len(part) for part in parts) < MIN_LETTERS_AT_BREAK
    )


def is_french(locale: str) -> bool:
    return locale.partition("_")[0] == "fr"


def tight_punctuation(locale: str) -> bool:
    """True where ``; ! ?`` take no space before them (Quebec usage)."""
    return is_french(locale) and locale.partition("_")[2] == "CA"


def _french(text: str, tight: bool) -> str:
    if tight:
        text = _SPACE_BEFORE_TIGHT.sub(r"\1", text)
    else:
        text = _SPACE_BEFORE_TIGHT.sub(lambda m: NNBSP + m[1], text)
    text = _SPACE_BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPENING_GUILLEMET.sub("«" + NBSP, text)
    return _BEFORE_CLOSING_GUILLEMET.sub(NBSP + "»", text)


def apply(text: str, locale: str) -> str:
    """Apply the typography rules of ``locale`` (e.g. ``fr_FR``) to plain text."""
    text = _APOSTROPHE.sub(APOSTROPHE, text)
    if is_french(locale):
        text = _french(text, tight_punctuation(locale))
    return text


def characters_emitted(locale: str) -> str:
    """The characters this module may add in ``locale``, which the brand fonts must cover."""
    if not is_french(locale):
        return APOSTROPHE
    return APOSTROPHE + NBSP + ("" if tight_punctuation(locale) else NNBSP)


def missing_spaces(text: str, locale: str) -> list[str]:
    """Where ``text`` lacks the no-break spaces French wants (for checking translations)."""
    if not is_french(locale):
        return []
    problems = []
    marks = ":" if tight_punctuation(locale) else ":;!?"
    for match in re.finditer(rf"(.)([{re.escape(marks)}]){_END}", text):
        before, mark = match[1], match[2]
        if before not in NBSP + NNBSP + ";:!?":
            space = "an ordinary space" if before.isspace() else "no space"
            problems.append(f"{space} before '{mark}' (use a no-break space)")
    if any((m[1] or m[2]) not in NBSP + NNBSP for m in re.finditer(r"«(.)|(.)»", text)):
        problems.append("« » need no-break spaces inside")
    return problems
