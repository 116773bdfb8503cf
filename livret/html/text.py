"""The text a reader will see in rendered HTML, for glyph-coverage checks."""

from __future__ import annotations

import html
import re

_INVISIBLE = re.compile(r"<(style|script|title)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.DOTALL | re.IGNORECASE)
_CSS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _css_strings(document: str) -> str:
    """The strings of inline style sheets, such as page-footer labels in ``content:``."""
    strings = (m[1] for style in _STYLE.finditer(document) for m in _CSS_STRING.finditer(style[1]))
    return " ".join(
        _CSS_ESCAPE.sub(lambda e: chr(int(e[1], 16)) if e[1] else e[2], text) for text in strings
    )


def visible_text(document: str) -> str:
    """Strip tags and invisible elements, and decode entities; keep CSS strings."""
    body = html.unescape(_TAG.sub(" ", _INVISIBLE.sub(" ", document)))
    return f"{body} {_css_strings(document)}"
