"""Locale typography, Markdown that keeps URLs and code intact, and Babel filters."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from livret.html import markup
from livret.html.filters import balanced_columns
from livret.html.templates import environment
from livret.i18n import typography
from livret.i18n.typography import NBSP, NNBSP

SAMPLE = "Attention : l'heure ; vraiment ! Pourquoi ? « Oui »"


def test_french_france_spaces() -> None:
    text = typography.apply(SAMPLE, "fr_FR")
    assert text == (
        f"Attention{NBSP}: l’heure{NNBSP}; vraiment{NNBSP}! Pourquoi{NNBSP}? «{NBSP}Oui{NBSP}»"
    )
    assert not re.search(r" [;:!?»]|« ", text)


def test_french_glued_punctuation_gets_its_space() -> None:
    assert typography.apply("Attention!Non", "fr_FR") == "Attention!Non"  # not a word end
    assert typography.apply("Attention! Non: oui", "fr_FR") == (f"Attention{NNBSP}! Non{NBSP}: oui")
    assert typography.apply("Vraiment ?!", "fr_FR") == f"Vraiment{NNBSP}?!"


def test_quebec_sets_semicolon_exclamation_question_close_up() -> None:
    text = typography.apply(SAMPLE, "fr_CA")
    assert text == f"Attention{NBSP}: l’heure; vraiment! Pourquoi? «{NBSP}Oui{NBSP}»"
    assert NNBSP not in text


def test_english_only_gets_apostrophes() -> None:
    text = "Note : it's here ; really ! Why ? 10:30"
    assert typography.apply(text, "en_CA") == text.replace("'", "’")


def test_urls_times_and_code_are_untouched() -> None:
    for text in ("https://x.example/?q=1", "10:30", "mailto:a@b.example"):
        assert typography.apply(text, "fr_FR") == text
    html = markup.inline(
        "Voir [le site](https://x.example/l'a?b=1) et `a ; b` ou <https://y.example/c'd> !",
        lambda text: typography.apply(text, "fr_FR"),
    )
    assert 'href="https://x.example/l\'a?b=1"' in html
    assert "<code>a ; b</code>" in html
    assert "https://y.example/c'd</a>" in re.sub(r"<(?!/a>)[^>]+>", "", html)
    assert html.endswith(f"{NNBSP}!")


def test_addresses_break_only_after_a_slash_or_a_dot() -> None:
    html = markup.inline(
        "Voir [bsky.app/profile/les-phares](https://bsky.app/profile/les-phares) ou cnil.fr.",
        lambda text: typography.apply(text, "fr_FR"),
    )
    pieces = "<span>bsky.</span><wbr /><span>app/</span><wbr /><span>profile/</span><wbr />"
    assert f'<span class="address">{pieces}<span>les-phares</span></span></a>' in html
    assert '<span class="address"><span>cnil.</span><wbr /><span>fr</span></span>.' in html
    assert markup.inline("1.5 et 3.", str) == "1.5 et 3."


@pytest.mark.parametrize(
    ("word", "whole"),
    [
        ("e-réputation", True),
        ("c’est-à-dire", True),
        ("thank-you", True),
        ("porte-parole", False),
        ("demi-journée", False),
    ],
)
def test_short_hyphenated_words_stay_whole(word: str, whole: bool) -> None:
    html = markup.inline(f"Un mot : {word}.", str)
    assert (f'<span class="nobreak">{word}</span>' in html) is whole
    assert typography.stays_whole(word) is whole


@pytest.mark.parametrize(
    ("locale", "emitted"),
    [("fr_FR", "’" + NBSP + NNBSP), ("fr_CA", "’" + NBSP), ("en_CA", "’"), ("de", "’")],
)
def test_characters_emitted(locale: str, emitted: str) -> None:
    assert sorted(typography.characters_emitted(locale)) == sorted(emitted)
    produced = set(typography.apply(SAMPLE, locale)) - set(SAMPLE)
    assert produced <= set(emitted)


@pytest.mark.parametrize(
    ("text", "locale", "problems"),
    [
        (f"Attention{NBSP}: oui{NNBSP}!", "fr_FR", []),
        ("Attention : oui", "fr_FR", ["an ordinary space before ':'"]),
        ("Oui!", "fr_FR", ["no space before '!'"]),
        ("Oui!", "fr_CA", []),
        ("Note: oui", "fr_CA", ["no space before ':'"]),
        (f"«{NBSP}Oui »", "fr_FR", ["« » need no-break spaces"]),
        ("Note: yes!", "en_CA", []),
    ],
)
def test_missing_spaces(text: str, locale: str, problems: list[str]) -> None:
    found = typography.missing_spaces(text, locale)
    assert len(found) == len(problems), found
    for problem, message in zip(problems, found, strict=True):
        assert message.startswith(problem)
    assert typography.missing_spaces(typography.apply(text, locale), locale) == []


@pytest.mark.parametrize(
    ("locale", "number", "percent", "items", "month"),
    [
        ("fr_FR", f"2{NNBSP}200,5", f"75{NBSP}%", "A, B et C", "novembre 2026"),
        ("fr_CA", f"2{NBSP}200,5", f"75{NBSP}%", "A, B et C", "novembre 2026"),
        ("en_CA", "2,200.5", "75%", "A, B and C", "November 2026"),
        ("de_DE", "2.200,5", f"75{NBSP}%", "A, B und C", "November 2026"),
    ],
)
def test_babel_filters_follow_the_locale(
    tmp_path: Path, locale: str, number: str, percent: str, items: str, month: str
) -> None:
    template = environment(tmp_path, tmp_path).from_string(
        "{{ 2200.5|number }}|{{ 0.75|percent }}|{{ ['A', 'B', 'C']|list }}|{{ day|month }}"
    )
    assert template.render(locale=locale, day=dt.date(2026, 11, 1)).split("|") == [
        number,
        percent,
        items,
        month,
    ]


def test_built_pdfs_follow_their_language(sample_build: Path) -> None:
    from pdfread import page_texts

    french = "\n".join(page_texts(sample_build / "out/fr/guide.pdf"))
    english = "\n".join(page_texts(sample_build / "out/en/guide.pdf"))
    assert not re.search(r" [;:!?»]|« ", french), "ordinary space in French high punctuation"
    assert re.search(f"{NNBSP}[;!?]", french) and re.search(f"{NBSP}:", french)
    assert NNBSP not in english and not re.search(f"[{NBSP}{NNBSP}][;:!?]", english)
    assert re.search(r"\w: ", english), "English colons keep their plain spacing"


def test_checklist_columns_are_cut_inside_a_group_only_when_it_pays() -> None:
    item = "x" * 60  # two lines of a column
    groups = [
        {"title": f"G{n}", "items": [item] * count} for n, count in enumerate([4, 3, 4, 4, 2])
    ]
    left, right = balanced_columns(groups)
    assert [(part.number, len(part.items), part.continued) for part in left + right] == [
        (1, 4, False),
        (2, 3, False),
        (3, 2, False),
        (3, 2, True),
        (4, 4, False),
        (5, 2, False),
    ]
    assert [number for number, _ in right[0].items] == [3, 4], "items keep their numbers"
    even = [{"title": f"G{n}", "items": [item] * 4} for n in range(4)]
    assert [len(column) for column in balanced_columns(even)] == [2, 2]
    assert not any(part.continued for column in balanced_columns(even) for part in column)
