"""Format placeholders in messages: ``{name}`` and ``%(name)s`` / ``%s``.

Babel flags any ``%`` followed by a letter as ``python-format``, so a French
``50 % de dons`` would look like a ``% d`` placeholder. Here the space flag is
not recognised: a placeholder is written without a space after ``%``.

Content (the guide, checklists, cheat sheets, the brand's texts) has no ``%``
placeholders, yet its catalog entries write a percent sign ``%%``, as templates do: a
bare ``66 % de`` is read by pybabel as a ``% d`` placeholder and its translation
``66% of`` as ``% o`` (Babel issue #35), and ``pybabel compile`` refuses the pair.
:func:`to_catalog` and :func:`from_catalog` convert between the two.

A translation may drop a placeholder (some languages say "one" instead of "1"), but it
may not bring one its source lacks: there would be nothing to fill it with.
"""

from __future__ import annotations

import re

_BRACE = re.compile(r"(?<!\{)\{(?!\{)([^{}]*)\}")
# Possessive quantifiers: flags, width and precision never give back a digit, so a long
# run of zeros is scanned once (linear time).
_PERCENT = re.compile(r"%%|%(?:\((\w+)\))?[-#0+]*+(?:\d++|\*)?(?:\.\d++)?[diouxXeEfFgGcrsa]")


def brace(text: str) -> list[str]:
    """The ``{…}`` placeholders of ``text``, sorted (``{{`` and ``}}`` are escapes)."""
    return sorted(match[0] for match in _BRACE.finditer(text))


def percent(text: str) -> list[str]:
    """The ``%`` placeholders: named ones sorted, then positional ones in order."""
    found = [match for match in _PERCENT.finditer(text) if match[0] != "%%"]
    named = sorted(match[0] for match in found if match[1])
    return named + [match[0] for match in found if not match[1]]


def to_catalog(text: str) -> str:
    """Content text as its catalog entry writes it: each ``%`` doubled."""
    return text.replace("%", "%%")


def from_catalog(text: str) -> str:
    """A catalog entry of content as the reader sees it: ``%%`` is a percent sign."""
    return text.replace("%%", "%")


def stray_percent(text: str) -> bool:
    """True when a ``%`` is neither a placeholder nor the ``%%`` escape."""
    return "%" in _PERCENT.sub("", text)


_NAMED_PERCENT = re.compile(r"%\((\w+)\)")
_NAMED_BRACE = re.compile(r"\{(\w+)\}")


def placeholders(text: str) -> set[str]:
    """``%(name)s`` and ``{name}`` placeholders of a string, written as in the string."""
    return {f"%({name})" for name in _NAMED_PERCENT.findall(text)} | {
        f"{{{name}}}" for name in _NAMED_BRACE.findall(text)
    }


def unknown_placeholders(source: str, translation: str) -> list[str]:
    """The placeholders of ``translation`` that ``source`` does not have, sorted."""
    return sorted(placeholders(translation) - placeholders(source))
