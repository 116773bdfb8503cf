"""What may be written into a stylesheet: values of a strict grammar, never text.

Text that a reader sees (the brand's name, translated labels) reaches the page through
HTML only. Page furniture takes it from ``data-running-*`` attributes with
``string-set`` (see base.html.j2), so no text is ever parsed as CSS. The few values that
must be written into CSS (colours, font family names, font file URLs, keywords such as
the paper size) go through the filters below, which refuse anything outside their
grammar; a label with page counters becomes CSS made only of ``string()`` and
``counter()`` calls whose names livret chooses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,63}")
_KEYWORDS = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,31}(?: [A-Za-z][A-Za-z0-9-]{0,31}){0,3}")
_FILE_URL = re.compile(r"file:///[A-Za-z0-9%/._~-]{1,4000}")
_COUNTERS = {"{page}": "page", "{pages}": "pages"}
RUNNING_PREFIX = "data-running-"


def _checked(value: Any, grammar: re.Pattern[str], what: str) -> Markup:
    text = str(value)
    if isinstance(value, bool) or not grammar.fullmatch(text):
        raise ValueError(f"{text[:40]!r} is not a CSS {what}")
    return Markup(text)


def css_color(value: Any) -> Markup:
    """A ``#rrggbb`` colour."""
    return _checked(value, _COLOR, "colour (#rrggbb)")


def css_name(value: Any) -> Markup:
    """An identifier: a font family name such as ``brand-sourcesanspro``, or ``italic``."""
    return _checked(value, _NAME, "name")


def css_keywords(value: Any) -> Markup:
    """One to four keywords, such as ``A4`` or ``A4 landscape``."""
    return _checked(value, _KEYWORDS, "keyword")


def css_url(value: Any) -> Markup:
    """A percent-encoded ``file:`` URL, as ``Path.as_uri`` writes it, for ``url()``."""
    return _checked(value, _FILE_URL, "file URL")


def css_number(value: Any) -> Markup:
    """A whole number, such as a font weight."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{str(value)[:40]!r} is not a CSS number")
    return Markup(str(value))


@dataclass(frozen=True)
class RunningLabel:
    """A label of the page furniture, such as ``Page {page} sur {pages}``.

    Its text pieces go into attributes of the ``<body>`` (``attributes``); ``strings``
    is the ``string-set`` that reads them and ``content`` the margin-box ``content``
    that shows them between the page counters, in the order of the label.
    """

    name: str
    pieces: tuple[str, ...]  # text, "{page}" and "{pages}", in order

    @property
    def _texts(self) -> list[tuple[str, str]]:
        """(string name, text) of each non-empty text piece."""
        texts = [piece for piece in self.pieces if piece not in _COUNTERS and piece]
        return [(f"{self.name}-{index}", text) for index, text in enumerate(texts, 1)]

    @property
    def attributes(self) -> list[tuple[str, str]]:
        return [(RUNNING_PREFIX + string, text) for string, text in self._texts]

    @property
    def strings(self) -> Markup:
        return Markup(", ".join(f"{name} attr({RUNNING_PREFIX}{name})" for name, _ in self._texts))

    @property
    def content(self) -> Markup:
        names = iter(name for name, _ in self._texts)
        parts = [
            f"counter({_COUNTERS[piece]})" if piece in _COUNTERS else f"string({next(names)})"
            for piece in self.pieces
            if piece
        ]
        return Markup(" ".join(parts) or '""')


def running_label(value: Any, name: str) -> RunningLabel:
    """Split a translated label into text pieces and ``{page}``/``{pages}`` counters."""
    text = str(value.unescape() if isinstance(value, Markup) else value)
    pieces = tuple(piece for piece in re.split(r"(\{page\}|\{pages\})", text) if piece)
    return RunningLabel(str(css_name(name)), pieces)


FILTERS = {
    "css_color": css_color,
    "css_name": css_name,
    "css_keywords": css_keywords,
    "css_url": css_url,
    "css_number": css_number,
    "running_label": running_label,
}
