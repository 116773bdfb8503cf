"""Locale typography for text the reader sees (never URLs, e-mail addresses or code).

French (France): a narrow no-break space (U+202F) before ``; ! ?``, a no-break
space (U+00A0) before ``:`` and inside « ». Quebec French keeps the no-break space
before ``:`` and inside « » but sets ``; ! ?`` close up, as the OQLF recommends.
Every locale gets the typographic apostrophe ’.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"

_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_SPACE_BEFORE_TIGHT = re.compile(r"[ \u00a0\u202f]*([;!?])(?=\s|$|[»)\"’])")
_SPACE_BEFORE_COLON = re.compile(r"(?:(?<=\S)|^)[ \u00a0\u202f]*:(?=\s|$)")
_AFTER_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")


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
    text = _APOSTROPHE.sub("’", text)
    language, _, territory = locale.partition("_")
    if language == "fr":
        text = _french(text, tight=territory == "CA")
    return text


def characters_emitted(locale: str) -> str:
    """The characters this module may add, which the brand fonts must cover."""
    return "’" + (NBSP + NNBSP if locale.startswith("fr") else "")
