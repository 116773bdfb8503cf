"""The one-page rule: shrink the type step by step until a document fits on one page.

A document whose kind has a type scale (see :mod:`livret.kinds`) is laid out at its
starting type size, then at smaller sizes down to a readable floor (in a worker
process, from the finished HTML). If it still does not fit, the job fails with a
message that says by how much the content overflows the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from livret.errors import LivretError
from livret.pdf.boxes import content_heights

MM_PER_PX = 25.4 / 96
_SLACK = 0.3  # mm kept free when filling, against rounding in the second layout
_BALANCE_SLACK = 1.1  # how far column balancing may beat the size² estimate


@dataclass(frozen=True)
class TypeScale:
    """Body type sizes in points, from ``start`` down to ``floor`` by ``step``."""

    start: float
    floor: float
    step: float

    def sizes(self) -> list[float]:
        count = round((self.start - self.floor) / self.step)
        return [round(self.start - index * self.step, 2) for index in range(count)] + [self.floor]

    def smaller(self, size: float, fill_ratio: float) -> float:
        """The next size to try after ``size`` overflowed, its content filling the page
        ``fill_ratio`` times (> 1).

        Content height grows with the square of the type size (taller lines, and more of
        them), while fixed parts such as the QR code do not shrink; so ``size / √ratio``
        is an optimistic guess, and the sizes above it would overflow too (give or take
        the slack of column balancing). Skipping them saves layouts.
        """
        guess = size / math.sqrt(fill_ratio)
        below = [step for step in self.sizes() if step < size and step <= guess + 1e-6]
        return below[0] if below else self.floor


def with_fit(html: str, size: float, free: float) -> str:
    """``html`` with its body type at ``size`` points and ``free`` mm left for the template.

    The two values are CSS custom properties (``--type-size``, ``--free-space``) that the
    document's stylesheet uses; they go in a ``<style>`` at the end of ``<head>``, so the
    HTML written by ``--html`` renders the same with plain WeasyPrint.
    """
    rule = f"<style>:root {{ --type-size: {size:g}pt; --free-space: {free:g}mm; }}</style>\n"
    return html.replace("</head>", rule + "</head>", 1)


@dataclass(frozen=True)
class OnePage:
    """A document that must fit one page: its type scale and the file to blame."""

    scale: TypeScale
    source: str  # the content file, named in the overflow message


Fit = tuple[float, float]  # (body type size in pt, free space in mm)


def fit(
    html: str, one_page: OnePage, layout: Callable[[str], Any], paper: str, hint: Fit | None = None
) -> tuple[Any, str, Fit]:
    """Lay out at decreasing type sizes; return the first one-page document, its HTML and
    the fit used.

    ``hint`` is the fit of a sibling (the same document for another chapter): when it
    still fits, one layout is enough. Raises :class:`LivretError` when the content
    overflows even at the floor size, without laying it out again once a layout shows
    that even the floor size cannot make it fit (content shrinks at most with the square
    of the type size; see :meth:`TypeScale.smaller`).
    """
    if hint is not None:
        hinted = with_fit(html, *hint)
        document = layout(hinted)
        used, available = measure(document)
        if used <= available:
            return document, hinted, hint
    scale = one_page.scale
    size = scale.start
    while True:
        sized = with_fit(html, size, 0.0)
        document = layout(sized)
        used, available = measure(document)
        if used <= available:
            filled = _fill(html, layout, size, available - used)
            return filled or (document, sized, (size, 0.0))
        if size <= scale.floor:
            break
        at_floor = used * (scale.floor / size) ** 2  # the least it can take at the floor
        if at_floor > available * _BALANCE_SLACK:  # hopeless: no more layouts
            raise _overflow(one_page, paper, at_floor - available, "at least ")
        size = scale.smaller(size, used / available)
    raise _overflow(one_page, paper, used - available)


def _overflow(one_page: OnePage, paper: str, excess: float, bound: str = "") -> LivretError:
    return LivretError(
        f"overflows one {paper} page by {bound}{max(1, math.ceil(excess))} mm "
        f"even at {one_page.scale.floor:g} pt (shorten {one_page.source})"
    )


def _fill(
    html: str, layout: Callable[[str], Any], size: float, free: float
) -> tuple[Any, str, Fit] | None:
    """The document laid out again with its free space handed to the template, if it fits."""
    free = round(math.floor(free * 10) / 10 - _SLACK, 1)
    if free <= 0:
        return None
    filled = with_fit(html, size, free)
    document = layout(filled)
    used, available = measure(document)
    return (document, filled, (size, free)) if used <= available else None


def measure(document: Any) -> tuple[float, float]:
    """The height of the content and the height of one page's content area, in mm.

    The heights of the content on every page are added up, so content pushed onto a
    second page counts once.
    """
    heights = [content_heights(page) for page in document.pages]
    used = sum(page_used for page_used, _ in heights)
    return used * MM_PER_PX, heights[0][1] * MM_PER_PX
