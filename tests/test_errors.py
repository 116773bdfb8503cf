"""Bad input: one clear line with file and line, exit code 2, nothing written."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

Edit = Callable[[Path], None]


def replace(relative: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def write(relative: str, data: bytes) -> Edit:
    def edit(root: Path) -> None:
        (root / relative).write_bytes(data)

    return edit


def remove(relative: str) -> Edit:
    def edit(root: Path) -> None:
        (root / relative).unlink()

    return edit


CASES: list[tuple[str, Edit, tuple[str, ...], str]] = [
    (
        "yaml-syntax",
        replace("content/guide.yaml", "  - id: qui-parle", "  - id: [qui-parle"),
        ("guide",),
        r"content/guide.yaml:\d+: YAML syntax error",
    ),
    (
        "unknown-config-key",
        replace("livret.yaml", "languages:", "langages:"),
        ("guide",),
        r"livret.yaml:\d+: unknown key 'langages' .*did you mean 'languages'",
    ),
    (
        "missing-logo",
        remove("brand/logo.svg"),
        ("guide",),
        r"brand/brand.yaml:\d+: 'logo': file 'brand/logo.svg' not found",
    ),
    (
        "unknown-content-key",
        replace("content/guide.yaml", "    title: Qui parle", "    titel: Qui parle"),
        ("guide",),
        r"content/guide.yaml:\d+: unknown key 'titel'.*did you mean 'title'",
    ),
    (
        "unknown-document",
        lambda root: None,
        ("guidee",),
        r"unknown document 'guidee' \(did you mean 'guide'\?\)",
    ),
    (
        "invalid-colour",
        replace("brand/brand.yaml", '"#0B4F6C"', '"#0B4F6"'),
        ("guide",),
        r"brand/brand.yaml:\d+: .*invalid colour",
    ),
    (
        "missing-font",
        replace("brand/brand.yaml", "heading: source-sans-pro", "heading: no-such-font"),
        ("guide",),
        r"font 'no-such-font' not found",
    ),
    (
        "logo-outside-project",
        replace("brand/brand.yaml", "logo: logo.svg", "logo: ../../etc/passwd.svg"),
        ("guide",),
        r"'logo': path .* leaves the project",
    ),
    (
        "po-syntax",
        write("locales/en/LC_MESSAGES/livret.po", b'msgid "a"\nmsgstr "b\nmsgid'),
        ("guide",),
        r"locales/en/LC_MESSAGES/livret.po:\d+: PO syntax error",
    ),
    (
        "template-syntax",
        replace("templates/guide.html.j2", "{% endfor %}", "{% endfo %}"),
        ("guide",),
        r"templates/guide.html.j2:\d+: template error",
    ),
    (
        "non-utf8",
        write("content/guide.yaml", b"title: caf\xe9\n"),
        ("guide",),
        r"content/guide.yaml:1: file is not valid UTF-8",
    ),
    (
        "empty-content",
        write("content/guide.yaml", b""),
        ("guide",),
        r"content/guide.yaml: file is empty",
    ),
]


@pytest.mark.parametrize(
    ("name", "edit", "args", "expected"), CASES, ids=[case[0] for case in CASES]
)
def test_bad_input_is_one_line_and_exit_2(
    project: Path, cli, name: str, edit: Edit, args: tuple[str, ...], expected: str
) -> None:
    ok = cli("--project", str(project), "build", "guide", "-l", "fr")
    assert ok.exit_code == 0, ok.output
    previous = (project / "out/fr/guide.pdf").read_bytes()
    edit(project)
    result = cli("--project", str(project), "build", *args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output

    assert re.search(expected, lines[0]), lines[0]
    assert (project / "out/fr/guide.pdf").read_bytes() == previous
    assert not (project / "out/en").exists()
