"""Jinja filters: Babel formatting in the document's locale, and CSS-safe strings."""

from __future__ import annotations

import datetime as dt
import re
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
# letters only, so ``1.5`` or ``p.ex.`` are not addresses.
ADDRESS = re.compile(
    r"(?:https?://)?(?:[\w.+-]+@)?[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?:/[\w@%~+=&?#./-]*[\w/])?"
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


def css_string(value: Any) -> Markup:
    """Quote text as a CSS string that is safe inside a ``<style>`` element."""
    text = str(value.unescape() if isinstance(value, Markup) else value)
    escaped = re.sub(r'[\\"<>&\n]', lambda m: f"\\{ord(m[0]):x} ", text)
    return Markup(f'"{escaped}"')


def css_counters(value: Any) -> Markup:
    """Turn ``Page {page} of {pages}`` into a CSS ``content`` value with counters."""
    text = str(value.unescape() if isinstance(value, Markup) else value)
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", text):
        if piece in ("{page}", "{pages}"):
            parts.append(f"counter({piece[1:-1]})")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts))


def balanced_columns(groups: list[Any], count: int = 2) -> list[list[tuple[int, Any]]]:
    """Split groups into ``count`` columns of similar height, keeping their order.

    Returns ``(number, group)`` pairs (numbers from 1) per column. The height of a group is
    estimated from the length of its title and items: CSS multi-column layout would balance
    exactly but makes WeasyPrint lay a page out many times over.
    """

    def weight(group: Any) -> int:
        return 60 + sum(len(str(item)) + 40 for item in group.get("items", []))

    numbered = list(enumerate(groups, 1))
    total = sum(weight(group) for group in groups)
    columns: list[list[tuple[int, Any]]] = [[] for _ in range(count)]
    column, filled = 0, 0
    for number, group in numbered:
        share = total * (column + 1) / count
        if column < count - 1 and filled + weight(group) / 2 > share and columns[column]:
            column += 1
        columns[column].append((number, group))
        filled += weight(group)
    return columns


FILTERS = {
    "balanced_columns": balanced_columns,
    "month": format_month,
    "date": format_date,
    "number": format_number,
    "percent": format_percent,
    "list": format_list,
    "bare_url": bare_url,
    "address_parts": address_parts,
    "css_string": css_string,
    "css_counters": css_counters,
}
