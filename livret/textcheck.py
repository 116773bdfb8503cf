"""The text a reader will see in rendered HTML, for glyph-coverage checks."""

from __future__ import annotations

import html
import re

_INVISIBLE = re.compile(r"<(style|script|title)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def visible_text(document: str) -> str:
    """Strip tags and invisible elements, and decode entities."""
    return html.unescape(_TAG.sub(" ", _INVISIBLE.sub(" ", document)))
