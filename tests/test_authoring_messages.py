"""Messages a comms volunteer can act on: brand warnings with their line, in ``check`` and
in ``build``, and counts in the singular for one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO

from livret.errors import LivretError
from livret.model.content import CHECKLIST
from livret.model.contrast import TEMPLATE_PAIRS
from livret.model.yamlfile import parse_yaml
from livret.wording import count

BRAND = "brand/brand.yaml"
FACEBOOK = "  facebook: https://www.facebook.com/pharessolidaires"


def brand_line(needle: str) -> int:
    text = (REPO / BRAND).read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_account_under_a_mistyped_network_warns_in_check_and_build(project: Path, cli) -> None:
    edit(project / BRAND, FACEBOOK, FACEBOOK.replace("facebook:", "facebok:"))
    expected = (
        "'accounts': 'facebok' is not a network of the cheat sheets (did you mean 'facebook'?): "
        "no cheat sheet shows this account"
    )
    checked = cli("--project", str(project), "check", "--format", "json")
    assert checked.exit_code == 0, checked.output  # a warning, not an error
    assert {
        "file": BRAND,
        "line": brand_line(FACEBOOK),
        "level": "warning",
        "message": expected,
    } in json.loads(checked.output)
    built = cli("--project", str(project), "build", "checklist-event", "-l", "fr")
    assert built.exit_code == 0, built.output
    assert f"warning: {BRAND}:{brand_line(FACEBOOK)}: {expected}" in built.output
    text = cli("--project", str(project), "check")
    assert "1 problem found" in text.output, text.output


def test_low_contrast_shows_in_build_on_the_line_of_the_colour(project: Path, cli) -> None:
    edit(project / BRAND, 'primary: "#0B4F6C"', 'primary: "#8FB8CC"')
    built = cli("--project", str(project), "build", "checklist-event", "-l", "fr")
    assert built.exit_code == 0, built.output
    warnings = [line for line in built.output.splitlines() if line.startswith("warning: ")]
    primary = f"warning: {BRAND}:{brand_line('primary:')}: low contrast for "
    secondary = f"warning: {BRAND}:{brand_line('secondary:')}: low contrast for "
    assert (
        primary + "links, the guide's chapter numbers and the checklists' group numbers: "
        "primary #8fb8cc on background #ffffff is 2.12:1 (WCAG needs 4.5:1)"
    ) in warnings
    # White on a pale primary is reported on the line of the primary, the colour to change.
    assert any(line.startswith(primary + "text on primary badges") for line in warnings)
    assert any(line.startswith(secondary + "the association name") for line in warnings)


def test_the_chapter_and_group_numbers_are_a_checked_pair() -> None:
    numbers = [pair for pair in TEMPLATE_PAIRS if "group numbers" in pair.usage]
    assert [(pair.foreground, pair.background, pair.minimum) for pair in numbers] == [
        ("primary", "background", 4.5)
    ]
    for css, rule in (("guide.css", ".chapter-number"), ("checklist.css", ".group-number")):
        stylesheet = (REPO / "templates" / css).read_text(encoding="utf-8")
        declaration = stylesheet.split(rule + " {", 1)[1].split("}", 1)[0]
        assert "color: var(--primary)" in declaration, (css, declaration)


def test_sample_brand_gives_no_warning(project: Path, cli) -> None:
    built = cli("--project", str(project), "build", "checklist-event", "-l", "fr")
    assert built.exit_code == 0 and "warning" not in built.output, built.output


def test_one_entry_one_page_one_problem_in_the_singular(project: Path, cli) -> None:
    with pytest.raises(LivretError) as caught:
        CHECKLIST.check(parse_yaml("title: x\npurpose: y\ngroups: []\n", "e.yaml"), None, ("c",))
    assert str(caught.value) == "e.yaml:3: 'groups' needs at least 1 entry"
    assert (count(1, "page"), count(2, "page"), count(0, "entry", "entries")) == (
        "1 page",
        "2 pages",
        "0 entries",
    )
    built = cli("--project", str(project), "build", "checklist-event", "-l", "fr")
    assert "(1 page)" in built.output and "pages)" not in built.output, built.output
