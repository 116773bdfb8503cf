"""Placeholders in template labels: ``%(name)s`` filled by gettext, ``{page}`` by templates.

A translation may drop a placeholder (some languages say "one" instead of "1"), but it
may not bring one its source lacks: there would be nothing to fill it with.
"""

from __future__ import annotations

import re

_PERCENT = re.compile(r"%\((\w+)\)")
_BRACE = re.compile(r"\{(\w+)\}")


def placeholders(text: str) -> set[str]:
    """``%(name)s`` and ``{name}`` placeholders of a string, written as in the string."""
    return {f"%({name})" for name in _PERCENT.findall(text)} | {
        f"{{{name}}}" for name in _BRACE.findall(text)
    }


def unknown_placeholders(source: str, translation: str) -> list[str]:
    """The placeholders of ``translation`` that ``source`` does not have, sorted."""
    return sorted(placeholders(translation) - placeholders(source))
