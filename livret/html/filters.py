"""Jinja filters: Babel formatting in the document's locale, addresses, checklist columns."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from babel import dates, lists, numbers
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def _locale(context: Context) -> str:
    return str(context["locale"])


@pass_context
def format_month(context: Context, value: dt.date) -> str:
    """``novembre 2026`` / ``November 2026``."""
    return str(dates.format_skeleton("yMMMM", value, locale=_locale(context)))


@pass_context
def format_date(context: Context, value: dt.date, form: str = "long") -> str:
    """A date in the locale's ``short``, ``medium``, ``long`` or ``full`` form."""
    return str(dates.format_date(value, form, locale=_locale(context)))


@pass_context
def format_number(context: Context, value: float | int) -> str:
    """``2 200`` (with U+202F) in French, ``2,200`` in English."""
    return str(numbers.format_decimal(value, locale=_locale(context)))


@pass_context
def format_percent(context: Context, value: float) -> str:
    return str(numbers.format_percent(value, locale=_locale(context)))


@pass_context
def format_list(context: Context, items: list[Any], style: Any = "standard") -> str:
    """``A, B et C`` / ``A, B and C``."""
    return str(lists.format_list([str(item) for item in items], style, locale=_locale(context)))


# Web and e-mail addresses and handles as they appear in running text: ``cnil.fr``,
# ``dpo@site.example``, ``bsky.app/profile/x``, ``@name``. The last label of a domain has
# letters only, so ``1.5`` or ``p.ex.`` are not addresses. A match starts only where a
# run of address characters starts (the lookbehinds), so a long run is tried once and
# the search takes linear time.
ADDRESS = re.compile(
    r"(?<![\w.+@-])(?:https?://)?(?:[\w.+-]+@)?[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}"
    r"(?:/[\w@%~+=&?#./-]*[\w/])?"
    r"|(?<![\w@])@\w(?:[\w.]*\w)?"
)


def address_parts(address: str) -> list[str]:
    """The pieces of an address, each ending with ``/`` or ``.``: a printed address may
    break only between them, never at its own hyphens."""
    return [part for part in re.findall(r"[^/.]*[/.]*", address) if part]


def bare_url(url: str) -> str:
    """A web address as printed for people: ``https://www.site.example/`` → ``site.example``."""
    text = re.sub(r"^https?://(www\.)?", "", url.strip(), flags=re.IGNORECASE)
    return text.rstrip("/")


@dataclass(frozen=True)
class GroupPart:
    """The part of a checklist group that one column holds: its number and title, its
    items as ``(number, item)`` pairs, and whether it continues the group's first part."""

    number: int
    title: Any
    items: list[tuple[int, Any]]
    continued: bool = False


# Estimated heights, in em of the checklist's body type, for a column of half an A4 or
# Letter sheet: about 44 characters a line, line height 1.35, 0.4 between items, 2.3 for a
# group title with its rule and spacing. They only need to be right relative to each other.
_CHARACTERS_PER_LINE = 44
_TITLE_HEIGHT = 2.3
_SPLIT_COST = 1.5  # a group split over two columns repeats its title: worth ~1 item
_MIN_ITEMS_APART = 2


def _item_height(item: Any) -> float:
    text = item.striptags() if isinstance(item, Markup) else str(item)
    return math.ceil(len(text) / _CHARACTERS_PER_LINE) * 1.35 + 0.4


def balanced_columns(groups: list[Any]) -> list[list[GroupPart]]:
    """Split checklist groups into two columns of similar height, keeping their order.

    The columns are cut between two groups or, when that leaves them much more uneven,
    inside a group, with at least 2 of its items on each side; its second part then
    repeats the title, marked as continued. Heights are estimated from the length of the
    texts: CSS multi-column layout would balance exactly but makes WeasyPrint lay a page
    out many times over.
    """
    heights = [[_item_height(item) for item in group.get("items", [])] for group in groups]
    total = sum(_TITLE_HEIGHT + sum(group) for group in heights)

    def unevenness(index: int, kept: int) -> float:
        """How uneven a cut before group ``index`` leaves the columns; with ``kept`` > 0,
        that many of its items stay in the left column."""
        left = sum(_TITLE_HEIGHT + sum(group) for group in heights[:index])
        right = total - left
        if kept:
            left += _TITLE_HEIGHT + sum(heights[index][:kept])
            right -= sum(heights[index][:kept])
        return abs(left - right) + (_SPLIT_COST if kept else 0)

    cuts = [
        (index, kept)
        for index, group in enumerate(heights)
        for kept in [0, *range(_MIN_ITEMS_APART, len(group) - _MIN_ITEMS_APART + 1)]
    ]
    cut, kept = min(cuts, key=lambda cut: unevenness(*cut), default=(0, 0))
    columns: list[list[GroupPart]] = [[], []]
    for index, group in enumerate(groups):
        number, items = index + 1, list(enumerate(group.get("items", []), 1))
        if index == cut and kept:
            columns[0].append(GroupPart(number, group["title"], items[:kept]))
            columns[1].append(GroupPart(number, group["title"], items[kept:], continued=True))
        else:
            columns[0 if index < cut else 1].append(GroupPart(number, group["title"], items))
    return columns


def has_unconfirmed(network: dict[str, Any]) -> bool:
    """Whether one of a network card's groups of figures is marked ``unconfirmed``."""
    return any(isinstance(group, dict) and group.get("unconfirmed") for group in network.values())


FILTERS = {
    "balanced_columns": balanced_columns,
    "month": format_month,
    "unconfirmed": has_unconfirmed,
    "date": format_date,
    "number": format_number,
    "percent": format_percent,
    "list": format_list,
    "bare_url": bare_url,
    "address_parts": address_parts,
}
