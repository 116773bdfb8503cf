"""The text a reader will see in rendered HTML, for glyph-coverage checks."""

from __future__ import annotations

import html
import re

from livret.html.css import RUNNING_PREFIX

_INVISIBLE = re.compile(r"<(style|script|title)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# The page furniture's text (running strings), as base.html.j2 writes it: double quotes.
_RUNNING = re.compile(rf'\s{RUNNING_PREFIX}[a-z0-9-]+="([^"<>]*)"')


def visible_text(document: str) -> str:
    """Strip tags and invisible elements, and decode entities; keep the running strings
    that page margins show (``data-running-*`` attributes)."""
    body = html.unescape(_TAG.sub(" ", _INVISIBLE.sub(" ", document)))
    running = " ".join(html.unescape(value) for value in _RUNNING.findall(document))
    return f"{body} {running}"
