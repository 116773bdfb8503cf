"""The fixed-box rule: content stays inside the boxes a template gives a fixed height.

A cheat sheet's card has the height of its page less the account box printed in the
bottom margin; text that ran below the card would print over that box, or go on to a page
of its own. After layout, a document whose kind names such boxes (see :mod:`livret.kinds`)
is refused when any of them overruns or breaks, with the page and by how much.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from livret.errors import LivretError
from livret.pdf.boxes import boxes_of_class
from livret.pdf.fit import MM_PER_PX

_TOLERANCE_PX = 0.5  # rounding in the layout


@dataclass(frozen=True)
class FixedBoxes:
    """The class of a document's fixed-height boxes and the file to blame."""

    css_class: str
    source: str  # the content file, named in the error


def check_fixed_boxes(document: Any, boxes: FixedBoxes) -> None:
    """Raise :class:`LivretError` naming the first page whose box overruns or goes on to
    the next page."""
    first_page: dict[Any, int] = {}  # each box's element: the page it starts on
    for number, page in enumerate(document.pages, 1):
        for element, overrun in boxes_of_class(page, boxes.css_class):
            if element in first_page:
                raise _error(first_page[element], "goes on to the next page", boxes.source)
            first_page[element] = number
            if overrun > _TOLERANCE_PX:
                excess = max(1, math.ceil(overrun * MM_PER_PX))
                message = f"runs {excess} mm past its space, over what is printed below it"
                raise _error(number, message, boxes.source)


def _error(page: int, what: str, source: str) -> LivretError:
    return LivretError(f"page {page}: the text {what} (shorten {source})")
