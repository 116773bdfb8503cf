"""PyYAML's errors in plain words: the line to fix, what YAML understood, the corrected line.

Each case is a small checklist-like file, as a comms volunteer would write it. The
corrected line that a message suggests is written back and must then load.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml

from livret.errors import LivretError
from livret.model.content import CHECKLIST
from livret.model.yamlfile import parse_yaml

HEAD = "title: Couvrir un événement\npurpose: Pour préparer.\n"
GROUP = "groups:\n  - title: Avant\n    items:\n"

CASES = [
    (
        "colon-in-a-value",
        "title: Couvrir\npurpose: Pour tout préparer : avant, pendant, après\n",
        2,
        'put the whole text in quotes: purpose: "Pour tout préparer : avant, pendant, après"',
    ),
    (
        "colon-at-the-end",
        "title: Les étapes :\npurpose: x\n",
        1,
        'put the whole text in quotes: title: "Les étapes :"',
    ),
    (
        "two-colons-in-an-item",
        HEAD + GROUP + "      - Le référent : il prévient : l'équipe\n",
        6,
        """put the whole text in quotes: - "Le référent : il prévient : l'équipe\"""",
    ),
    (
        "colon-in-an-item-read-as-a-key",
        HEAD + GROUP + "      - Attention : le référent prévient l'équipe\n",
        6,
        """put the whole text in quotes: - "Attention : le référent prévient l'équipe\"""",
    ),
    (
        "colon-in-an-item-on-two-lines",
        HEAD + GROUP + "      - Attention : le référent\n        prévient l'équipe\n",
        6,
        """put the whole text in quotes: - "Attention : le référent prévient l'équipe\"""",
    ),
    (
        "colon-in-the-second-line-of-a-text",
        "title: Couvrir\npurpose: Pour tout préparer\n  avant : pendant\n",
        2,
        'put the whole text in quotes: purpose: "Pour tout préparer avant : pendant"',
    ),
    (
        "tab",
        HEAD + "groups:\n\t- title: Avant\n",
        4,
        "a tab is used here: YAML indents with spaces",
    ),
    (
        "item-one-space-short",
        HEAD + GROUP + "      - Un\n     - Deux\n",
        7,
        "this line is not aligned with line 6: align it with the line above, as in '      - Deux'",
    ),
    (
        "key-one-space-off",
        HEAD + "groups:\n  - title: Avant\n   items: [Un]\n",
        5,
        "this line is not aligned with line 4: align it with the line above, "
        "as in '    items: [Un]'",
    ),
    (
        "key-indented-under-a-text",
        "title: Couvrir\n  purpose: Pour préparer.\n",
        2,
        "this line is indented more than the line above ('title: Couvrir'): "
        "align it with that line",
    ),
    (
        "double-quote-inside-double-quotes",
        'title: "Le "bon" réflexe"\npurpose: x\n',
        1,
        "write title: 'Le \"bon\" réflexe' (or use « » or ’ inside)",
    ),
    (
        "apostrophe-inside-single-quotes",
        "title: 'L'association'\npurpose: x\n",
        1,
        'write title: "L\'association" (or use ’ for the apostrophe)',
    ),
    (
        "quote-never-closed",
        'title: "Couvrir\npurpose: x\n',
        1,
        'the text opened with " here is never closed',
    ),
    ("list-never-closed", "title: x\nfields: [Date, Lieu\npurpose: x\n", 2, "add ] at its end"),
    ("no-space-after-dash", HEAD + GROUP + "      -Un\n", 6, "add a space after the dash"),
    ("no-space-after-dash-in-a-list", HEAD + GROUP + "      - Un\n      -Deux\n", 7, "'- Deux'"),
    (
        "line-without-colon",
        "title: x\npurpose x\nfields: []\n",
        2,
        "this line is neither 'key: text' nor a list item '- text'",
    ),
    ("at-sign", "title: @Phares\npurpose: x\n", 1, 'put it in quotes: title: "@Phares"'),
    ("ampersand", "title: & Cie\npurpose: x\n", 1, 'put it in quotes: title: "& Cie"'),
    ("asterisk", "title: * Important\npurpose: x\n", 1, 'put it in quotes: title: "* Important"'),
    ("exclamation", "title: !Urgent\npurpose: x\n", 1, 'put it in quotes: title: "!Urgent"'),
    ("python-tag", "title: !!python/name:os.system\n", 1, "YAML tags such as '!!python/name"),
]


@pytest.mark.parametrize(("name", "text", "line", "expected"), CASES, ids=[c[0] for c in CASES])
def test_yaml_mistakes_are_explained_on_their_line(
    name: str, text: str, line: int, expected: str
) -> None:
    with pytest.raises(LivretError) as caught:
        CHECKLIST.check(parse_yaml(text, "event.yaml"), None, ("checklist",))
    error = caught.value
    assert (error.file, error.line) == ("event.yaml", line), str(error)
    assert expected in error.message, str(error)
    assert "\n" not in str(error) and "<block" not in str(error) and "token" not in str(error)


SUGGESTED = re.compile(r"put (?:the whole text|it) in quotes: (?P<line>.+)$")


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [(name, text, line) for name, text, line, expected in CASES if "quotes: " in expected],
)
def test_the_suggested_line_loads_as_the_text_that_was_meant(
    name: str, text: str, line: int
) -> None:
    with pytest.raises(LivretError) as caught:
        CHECKLIST.check(parse_yaml(text, "event.yaml"), None, ("checklist",))
    suggested = SUGGESTED.search(caught.value.message)
    assert suggested, caught.value.message
    lines = text.splitlines()
    indent = re.match(r"\s*", lines[line - 1])
    assert indent is not None
    following = [
        other
        for other in lines[line:]
        if other.strip() and len(other) - len(other.lstrip()) <= len(indent.group())
    ]
    fixed = [*lines[: line - 1], indent.group() + suggested["line"], *following]
    data = parse_yaml("\n".join(fixed) + "\n", "fixed.yaml")
    meant = yaml.safe_load(suggested["line"])
    text = next(iter(meant.values())) if isinstance(meant, dict) else meant[0]
    assert text in set(strings(data)), (text, data)


def strings(tree: object) -> Iterator[str]:
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, dict):
        for value in tree.values():
            yield from strings(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from strings(value)


def test_an_unquoted_colour_names_its_own_line() -> None:
    from livret.model.brand import parse_color
    from livret.model.schema import Custom, Field, Record

    colors = Record({key: Field(Custom(parse_color)) for key in ("primary", "accent", "text")})
    text = 'colors:\n  primary: "#0B4F6C"\n  accent: #C62828\n  text: "#1F2933"\n'
    with pytest.raises(LivretError) as caught:
        Record({"colors": Field(colors)}).check(parse_yaml(text, "brand.yaml"), None, ("brand",))
    assert str(caught.value) == (
        "brand.yaml:3: 'accent' has no value: YAML reads '#C62828' as a comment, because # "
        'starts one; write it in quotes: accent: "#C62828"'
    )


def test_a_quoted_text_with_a_french_colon_loads() -> None:
    text = HEAD + GROUP + '      - "Attention : le référent ; il prévient l\'équipe !"\n'
    data = CHECKLIST.check(parse_yaml(text, "event.yaml"), None, ("checklist",))
    assert data["groups"][0]["items"][0].text == "Attention : le référent ; il prévient l'équipe !"


def test_a_real_key_written_with_a_space_before_its_colon_still_works() -> None:
    data = CHECKLIST.check(
        parse_yaml("title : Couvrir\npurpose: x\n" + GROUP + "      - Un\n", "event.yaml"),
        None,
        ("checklist",),
    )
    assert data["title"].text == "Couvrir"


def test_a_real_comment_after_an_empty_optional_key_is_no_colour() -> None:
    text = "title: x\npurpose: y\nfields:  # to fill in later\n" + GROUP + "      - Un\n"
    data = CHECKLIST.check(parse_yaml(text, "event.yaml"), None, ("checklist",))
    assert data["fields"] == []


def test_a_text_parsed_again_gives_its_own_copy_with_its_lines() -> None:
    """A parse is reused (serve and batches load the same files often); no caller sees
    another's changes, and every value keeps its line."""
    text = "title: Avant\nitems:\n  - un\n  - deux\n"
    first = parse_yaml(text, "a.yaml")
    first["items"].append("trois")
    first["title"] = "changé"
    again = parse_yaml(text, "a.yaml")
    assert again == {"title": "Avant", "items": ["un", "deux"]}
    assert again["items"] is not first["items"]
    assert (again.line, again["items"].line, again["items"][1].line) == (1, 3, 4)
    with pytest.raises(LivretError, match=r"b\.yaml"):
        parse_yaml("a: [", "b.yaml")
    with pytest.raises(LivretError, match=r"b\.yaml"):
        parse_yaml("a: [", "b.yaml")  # an error is raised again, not remembered as a value
