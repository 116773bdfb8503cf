"""Fuzzing of the text layers (French typography, inline Markdown) with hypothesis.

Each example has a time budget (hypothesis's ``deadline``): the inputs mix the characters
that made patterns backtrack (runs of spaces, dots, hyphens, apostrophes, brackets) and
are a few thousand characters long, which linear code handles in milliseconds. Besides
finishing in time, the output must keep the text (typography only moves spaces and
apostrophes) and carry no markup but what inline Markdown makes.
"""

from __future__ import annotations

import datetime as dt
import os
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livret.html import markup
from livret.html.links import safe_link
from livret.i18n import typography

BUDGET = settings(
    max_examples=int(os.environ.get("LIVRET_FUZZ_EXAMPLES", "60")),
    deadline=dt.timedelta(seconds=2),  # per example; linear code needs a few ms
    database=None,  # no .hypothesis folder left in the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PIECES = [
    " ", "\u00a0", "\u202f", "\t", "\n", ":", ";", "!", "?", "«", "»", "'", "’", ".", "-",
    "@", "a", "é", "1", "0", "%", "(", ")", "[", "]", "*", "_", "`", "<", ">", "&", '"',
    "http://", "https://x.example/", "mailto:a@b.example?attach=x", "tel:+33 1", "javascript:",
    "www.", ".fr", "porte-parole", "c'est-à-dire", "](", "![",
]  # fmt: skip
# Runs of one piece, as an attacker would send them, and mixtures.
RUNS = st.builds(lambda piece, count: piece * count, st.sampled_from(PIECES), st.integers(1, 400))
TEXTS = st.lists(st.one_of(RUNS, st.sampled_from(PIECES), st.text(max_size=20)), max_size=30).map(
    "".join
)
LOCALES = st.sampled_from(["fr_FR", "fr_CA", "en_CA", "de_DE"])
MOVABLE = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "’": "'"})


@BUDGET
@given(text=TEXTS, locale=LOCALES)
def test_typography_moves_only_spaces_and_apostrophes(text: str, locale: str) -> None:
    result = typography.apply(text, locale)
    assert result.translate(MOVABLE) == text.translate(MOVABLE)
    assert typography.apply(result, locale) == result  # applying twice changes nothing
    assert isinstance(typography.missing_spaces(result, locale), list)


class Markup(HTMLParser):
    """The tags and link targets of a rendered paragraph."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")


INLINE_TAGS = {"a", "em", "strong", "code", "span", "wbr", "br", "s"}  # wbr: in addresses


@BUDGET
@given(text=TEXTS, locale=LOCALES)
def test_markdown_makes_only_inline_markup_and_safe_links(text: str, locale: str) -> None:
    html = str(markup.inline(text, lambda part: typography.apply(part, locale)))
    parsed = Markup(html)
    assert parsed.tags <= INLINE_TAGS, parsed.tags
    for href in parsed.links:
        assert safe_link(href) == href, href  # allowed schemes, mailto fields, tel digits
