"""Bad input: one clear line with file and line, exit code 2, nothing written.

Every case starts from a copy of a project whose PDFs were already built, breaks one
input, runs a build, and checks: exit code 2, exactly one output line matching the
expected ``file:line: message``, no traceback, and ``out/`` byte-identical, manifest
included (no new file, not even a temporary one or a cache file). Line numbers are
found in the sample files, so that editing them does not break the table. To add a
case, append a row to ``CASES``.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from conftest import REPO, run_cli
from pdfread import link_targets, page_texts

from livret.limits import MAX_TEXT_FILE_BYTES as MAX_FILE_BYTES
from livret.model.fonts import package_font_dir

Edit = Callable[[Path], None]
EN_PO = "locales/en/LC_MESSAGES/livret.po"
PO_LINE = r"locales/en/LC_MESSAGES/livret\.po:\d+: "
CSV = "brand/chapters.csv"
MANIFEST = ".livret-manifest.json"


def sample_text(relative: str) -> str:
    return (REPO / relative).read_text(encoding="utf-8")


def line(relative: str, needle: str) -> int:
    """The line of the sample file where ``needle`` first occurs (what ``replace`` edits)."""
    text = sample_text(relative)
    assert needle in text, f"{needle!r} not in {relative}"
    return text[: text.index(needle)].count("\n") + 1


def lines(relative: str, needle: str) -> str:
    """A regex matching any line of the sample file that contains ``needle``."""
    found = [n for n, text in enumerate(sample_text(relative).splitlines(), 1) if needle in text]
    assert found, f"{needle!r} not in {relative}"
    return "(?:" + "|".join(map(str, found)) + ")"


def appended(relative: str, offset: int = 1) -> int:
    """The line of the ``offset``-th line that ``append`` adds to the sample file."""
    text = sample_text(relative)
    assert text.endswith("\n"), relative
    return text.count("\n") + offset


def first_non_ascii(relative: str) -> int:
    return next(
        n for n, text in enumerate(sample_text(relative).splitlines(), 1) if not text.isascii()
    )


LANGUAGES = line("livret.yaml", "languages: [fr, en]")
GUIDE_DOC = line("livret.yaml", "  guide: {template: guide, content: content/guide}")
OUTPUT = line("livret.yaml", "output: out")
EDITION = line("livret.yaml", "edition_date: 2026-11-01")
LOGO = line("brand/brand.yaml", "logo: logo.svg")
EVENT = "content/checklists/event.yaml"
EVENT_TITLE = line(EVENT, "title: Couvrir un événement")
EVENT_PURPOSE = (
    "purpose: >\n  Pour préparer, animer et prolonger en ligne un événement de l'unité locale."
)
OBJECTIVES = "Les objectifs sont fixés : faire connaître, recruter des bénévoles ou collecter."
CHAPTER = "content/guide/01-pour-qui.md"
CONTACTS = "content/guide/16-contacts.md"
BRAND_NAME = line("templates/guide.html.j2", "{{ brand.name }}</p>")
EDITION_LABEL = line("templates/guide.html.j2", "_('Édition %(date)s', date=")
INCLUDES = lines("templates/guide.html.j2", '{% include "blocks/')  # the one that fails


def replace(relative: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def write(relative: str, data: bytes) -> Edit:
    def edit(root: Path) -> None:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)

    return edit


def append(relative: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        with (root / relative).open("a", encoding="utf-8") as stream:
            stream.write(text)

    return edit


def recode(relative: str, encoding: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / relative
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))

    return edit


def remove(relative: str) -> Edit:
    def edit(root: Path) -> None:
        (root / relative).unlink()

    return edit


def symlink(relative: str, target: str | Callable[[], Path]) -> Edit:
    def edit(root: Path) -> None:
        link = root / relative
        link.parent.mkdir(parents=True, exist_ok=True)
        link.unlink(missing_ok=True)
        os.symlink(target if isinstance(target, str) else target(), link)

    return edit


def translate(msgid: str, msgstr: str) -> Edit:
    """Change the English translation of ``msgid``."""

    def edit(root: Path) -> None:
        catalog = polib.pofile(str(root / EN_PO))
        entry = catalog.find(msgid)
        assert entry is not None, msgid
        entry.msgstr = msgstr
        catalog.save(str(root / EN_PO))

    return edit


def both(*edits: Edit) -> Edit:
    def edit(root: Path) -> None:
        for one in edits:
            one(root)

    return edit


def source_sans() -> Path:
    folder = package_font_dir("source-sans-pro")
    assert folder is not None
    return next(folder.glob("*-Regular.ttf"))


def huge_yaml() -> bytes:
    return b"title: " + b"x" * MAX_FILE_BYTES + b"\n"


BILLION_LAUGHS = (
    "\nlol: &a [x, x, x, x, x, x, x, x, x]\nlol2: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">\n{}\n</svg>\n'

# (case id, how to break the project, build arguments, regex for the one output line)
CASES: list[tuple[str, Edit, tuple[str, ...], str]] = [
    # --- livret.yaml -----------------------------------------------------------------------------
    (
        "config-unknown-key",
        replace("livret.yaml", "languages:", "langages:"),
        (),
        r"livret\.yaml:\d+: unknown key 'langages' .*did you mean 'languages'",
    ),
    (
        "config-syntax",
        replace("livret.yaml", "languages: [fr, en]", "languages: [fr, en"),
        (),
        rf"livret\.yaml:{LANGUAGES}: the list opened here is not closed: add \] at its end",
    ),
    (
        "config-languages-not-a-list",
        replace("livret.yaml", "languages: [fr, en]", "languages: {fr: en}"),
        (),
        rf"livret\.yaml:{LANGUAGES}: 'languages' must be a list, not a mapping",
    ),
    (
        "config-source-not-in-languages",
        replace("livret.yaml", "source_language: fr", "source_language: de"),
        (),
        r"livret\.yaml:\d+: source_language 'de' is not in languages",
    ),
    (
        "config-language-twice",
        replace("livret.yaml", "languages: [fr, en]", "languages: [fr, en, fr]"),
        (),
        rf"livret\.yaml:{LANGUAGES}: duplicate 'fr' in 'languages'",
    ),
    (
        "config-unknown-locale",
        replace("livret.yaml", "en: en_GB", "en: xx_QQ"),
        (),
        r"livret\.yaml:\d+: 'en': unknown locale 'xx_QQ'",
    ),
    (
        "config-unknown-template",
        replace("livret.yaml", "template: guide", "template: gide"),
        (),
        rf"livret\.yaml:{GUIDE_DOC}: 'documents\.guide\.template': unknown template 'gide' "
        r"\(did you mean 'guide'\?\)",
    ),
    (
        "config-content-outside-project",
        replace("livret.yaml", "content: content/guide}", "content: ../../etc/passwd}"),
        (),
        rf"livret\.yaml:{GUIDE_DOC}: "
        r"'documents\.guide\.content': path '\.\./\.\./etc/passwd' leaves",
    ),
    (
        "config-output-outside-project",
        replace("livret.yaml", "output: out", "output: ../../tmp/elsewhere"),
        (),
        rf"livret\.yaml:{OUTPUT}: "
        r"'output': path '\.\./\.\./tmp/elsewhere' leaves the project folder",
    ),
    (
        "config-content-missing",
        remove("content/guide/00-index.md"),
        (),
        r"content/guide/00-index\.md: file not found",
    ),
    (
        "config-bad-date",
        replace("livret.yaml", "edition_date: 2026-11-01", "edition_date: 2026-13-01"),
        (),
        rf"livret\.yaml:{EDITION}: invalid date '2026-13-01': month must be in 1\.\.12",
    ),
    (
        "config-date-not-a-date",
        replace("livret.yaml", "edition_date: 2026-11-01", "edition_date: soon"),
        (),
        rf"livret\.yaml:{EDITION}: 'edition_date' must be a date written YYYY-MM-DD",
    ),
    ("config-empty", write("livret.yaml", b""), (), r"livret\.yaml: file is empty"),
    (
        "config-not-utf8",
        write("livret.yaml", b"source_language: fr\n# r\xe9sum\xe9\n"),
        (),
        r"livret\.yaml:2: file is not valid UTF-8",
    ),
    (
        "config-alias",
        append("livret.yaml", "base: &base out\nextra: *base\n"),
        (),
        rf"livret\.yaml:{appended('livret.yaml', 2)}: YAML aliases \(\*name\) are not allowed",
    ),
    (
        "config-duplicate-key",
        append("livret.yaml", "output: again\n"),
        (),
        rf"livret\.yaml:{appended('livret.yaml')}: duplicate key 'output'",
    ),
    (
        "config-not-a-mapping",
        write("livret.yaml", b"- fr\n- en\n"),
        (),
        r"livret\.yaml:1: the top level must be a mapping",
    ),
    (
        "config-bad-document-id",
        replace("livret.yaml", "  guide: {", "  Guide: {"),
        (),
        rf"livret\.yaml:{GUIDE_DOC}: 'documents': invalid key 'Guide'",
    ),
    ("config-missing", remove("livret.yaml"), (), r"^error: no livret\.yaml in "),
    # --- brand/brand.yaml and the logo -----------------------------------------------------------
    (
        "brand-invalid-colour",
        replace("brand/brand.yaml", '"#0B4F6C"', '"#0B4F6"'),
        (),
        rf"brand/brand\.yaml:{line('brand/brand.yaml', '#0B4F6C')}: "
        r"'primary': invalid colour '#0B4F6'",
    ),
    (
        "brand-unknown-key",
        replace("brand/brand.yaml", "colors:", "colours:"),
        (),
        rf"brand/brand\.yaml:{line('brand/brand.yaml', 'colors:')}: "
        r"unknown key 'colours' .*did you mean 'colors'",
    ),
    (
        "brand-syntax",
        replace("brand/brand.yaml", "name: Les Phares", "name: [Les Phares"),
        (),
        rf"brand/brand\.yaml:{line('brand/brand.yaml', 'name: Les Phares')}: the list opened here "
        r"is not closed: add \] at its end",
    ),
    (
        "brand-text-is-a-list",
        replace("brand/brand.yaml", "short_name: Phares Solidaires", "short_name: [a, b]"),
        (),
        rf"brand/brand\.yaml:{line('brand/brand.yaml', 'short_name:')}: "
        r"'short_name' must be text, not a list",
    ),
    (
        "brand-bad-email",
        replace("brand/brand.yaml", "contact@phares", "contact-at-phares"),
        (),
        rf"brand/brand\.yaml:{line('brand/brand.yaml', 'contact@phares')}: "
        r"'email': invalid value 'contact-at-phares",
    ),
    (
        "brand-account-not-a-web-address",
        replace("brand/brand.yaml", "x: https://x.com", "x: javascript://x.com"),
        (),
        rf"brand/brand\.yaml:{line('brand/brand.yaml', 'x: https://x.com')}: "
        r"'x': invalid value 'javascript://x\.com/.*http\(s\)://",
    ),
    ("brand-missing", remove("brand/brand.yaml"), (), r"brand/brand\.yaml: file not found"),
    ("brand-empty", write("brand/brand.yaml", b""), (), r"brand/brand\.yaml: file is empty"),
    (
        "logo-missing",
        remove("brand/logo.svg"),
        (),
        rf"brand/brand\.yaml:{LOGO}: 'logo': file 'brand/logo\.svg' not found",
    ),
    (
        "logo-outside-project",
        replace("brand/brand.yaml", "logo: logo.svg", "logo: ../../etc/passwd.svg"),
        (),
        rf"brand/brand\.yaml:{LOGO}: 'logo': path .* leaves the project",
    ),
    (
        "logo-symlink-to-etc-passwd",
        symlink("brand/logo.svg", "/etc/passwd"),
        (),
        rf"brand/brand\.yaml:{LOGO}: 'logo': path 'brand/logo\.svg' leaves the project",
    ),
    (
        "logo-wrong-format",
        both(
            replace("brand/brand.yaml", "logo: logo.svg", "logo: logo.gif"),
            write("brand/logo.gif", b"GIF89a"),
        ),
        (),
        rf"brand/brand\.yaml:{LOGO}: 'logo': 'logo\.gif' must be an SVG, PNG or JPEG file",
    ),
    (
        "logo-empty",
        write("brand/logo.svg", b""),
        (),
        rf"brand/brand\.yaml:{LOGO}: 'logo': file 'brand/logo\.svg' is empty",
    ),
    (
        "logo-png-is-text",
        both(
            replace("brand/brand.yaml", "logo: logo.svg", "logo: logo.png"),
            write("brand/logo.png", b"this is not a picture\n"),
        ),
        (),
        rf"brand/brand\.yaml:{LOGO}: 'logo': 'brand/logo\.png' is not a real PNG file",
    ),
    (
        "logo-svg-invalid-xml",
        write("brand/logo.svg", SVG.format("<g><rect/></svg>").encode()),
        (),
        rf"brand/logo\.svg:2: the logo \(brand\.yaml line {LOGO}\) "
        r"is not valid SVG \(mismatched tag\)",
    ),
    (
        "logo-svg-external-image",
        write("brand/logo.svg", SVG.format('<image href="file:///etc/passwd"/>').encode()),
        (),
        r"brand/logo\.svg:2: the logo .* refers to 'file:///etc/passwd': .* self-contained",
    ),
    (
        "logo-svg-remote-stylesheet",
        write(
            "brand/logo.svg",
            SVG.format("<style>@import url(http://x.example/a.css);</style>").encode(),
        ),
        (),
        r"brand/logo\.svg:2: the logo .* imports a stylesheet",
    ),
    (
        "logo-svg-entity-bomb",
        write(
            "brand/logo.svg",
            b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<svg>&b;</svg>\n',
        ),
        (),
        r"brand/logo\.svg:2: the logo .* declares an entity \('a'\)",
    ),
    # --- fonts -----------------------------------------------------------------------------------
    (
        "font-missing",
        replace("brand/brand.yaml", "heading: source-sans-pro", "heading: no-such-font"),
        (),
        rf"brand/brand\.yaml:{line('brand/brand.yaml', 'heading: source-sans-pro')}: "
        r"'fonts\.heading': font 'no-such-font' not found",
    ),
    (
        "font-file-is-text",
        both(
            write("brand/fonts/Fake-Regular.ttf", b"not a font at all\n"),
            replace("brand/brand.yaml", "body: source-sans-pro", "body: fake"),
        ),
        (),
        r"brand/fonts/Fake-Regular\.ttf: not a usable TrueType or OpenType font",
    ),
    (
        "font-symlink-outside-project",
        both(
            symlink("brand/fonts/Linked-Regular.ttf", source_sans),
            replace("brand/brand.yaml", "body: source-sans-pro", "body: linked"),
        ),
        (),
        rf"brand/brand\.yaml:{line('brand/brand.yaml', 'body: source-sans-pro')}: "
        r"'fonts\.body': a font file is a link to .*outside the project",
    ),
    (
        "font-lacks-a-character",
        replace("content/guide/00-index.md", "# Guide des réseaux sociaux", "# Guide 漢字"),
        (),
        r"brand/brand\.yaml: the body font .* cannot draw .*'漢' \(U\+6F22\)",
    ),
    # --- content YAML ----------------------------------------------------------------------------
    (
        "content-syntax",
        replace(EVENT, "  - title: Après", "  - title: [Après"),
        (),
        rf"content/checklists/event\.yaml:{line(EVENT, '  - title: Après')}: the list opened here "
        r"is not closed: add \] at its end",
    ),
    (
        "content-unknown-key",
        replace(EVENT, "  - title: Après", "  - titel: Après"),
        (),
        rf"content/checklists/event\.yaml:{line(EVENT, '  - title: Après')}: "
        r"unknown key 'titel'.*did you mean 'title'",
    ),
    (
        "guide-unknown-directive",
        replace(CONTACTS, "::: accounts", "::: acounts"),
        (),
        rf"content/guide/16-contacts\.md:{line(CONTACTS, '::: accounts')}: "
        r"unknown directive '::: acounts' \(did you mean 'accounts'\?\)",
    ),
    (
        "content-wrong-type",
        replace(EVENT, "title: Couvrir un événement", "title: [Couvrir]"),
        (),
        rf"content/checklists/event\.yaml:{EVENT_TITLE}: 'title' must be text, not a list",
    ),
    (
        "content-empty-text",
        replace(EVENT, "title: Couvrir un événement", 'title: ""'),
        (),
        rf"content/checklists/event\.yaml:{EVENT_TITLE}: 'title' is empty",
    ),
    (
        "guide-unknown-callout",
        replace(CHAPTER, "> [!TIP] En une phrase", "> [!HINT] En une phrase"),
        (),
        rf"content/guide/01-pour-qui\.md:{line(CHAPTER, '> [!TIP]')}: "
        r"unknown callout '\[!HINT\]' \(use \[!NOTE\], \[!TIP\], \[!WARNING\]\)",
    ),
    (
        "guide-bad-chapter-id",
        replace(CHAPTER, "# À qui", "---\nid: Pour Qui\n---\n\n# À qui"),
        (),
        r"content/guide/01-pour-qui\.md:2: 'id': invalid value 'Pour Qui'",
    ),
    (
        "content-not-utf8",
        write(EVENT, b"title: caf\xe9\n"),
        (),
        r"content/checklists/event\.yaml:1: file is not valid UTF-8",
    ),
    ("content-empty", write(EVENT, b""), (), r"content/checklists/event\.yaml: file is empty"),
    (
        "content-alias-bomb",
        append(EVENT, BILLION_LAUGHS),
        (),
        r"content/checklists/event\.yaml:\d+: YAML aliases \(\*name\) are not allowed",
    ),
    (
        "content-python-tag",
        append(EVENT, "extra: !!python/object/apply:os.system ['true']\n"),
        (),
        rf"content/checklists/event\.yaml:{appended(EVENT)}: YAML tags such as "
        r"'!!python/object/apply:os\.system' are not allowed",
    ),
    (
        "content-too-large",
        write(EVENT, huge_yaml()),
        (),
        r"content/checklists/event\.yaml: file is larger than 5 MB",
    ),
    # --- YAML mistakes in plain words, with the corrected line ----------------------------------
    (
        "content-french-colon-unquoted",
        replace(EVENT, EVENT_PURPOSE, "purpose: Pour tout préparer : avant, pendant, après"),
        (),
        rf"content/checklists/event\.yaml:{line(EVENT, 'purpose:')}: YAML reads the ':' in this "
        r"text as the start of a key and its value: put the whole text in quotes: "
        r'purpose: "Pour tout préparer : avant, pendant, après"$',
    ),
    (
        "content-french-colon-in-a-list-item",
        replace(EVENT, f'"{OBJECTIVES}"', OBJECTIVES),
        (),
        rf"content/checklists/event\.yaml:{line(EVENT, OBJECTIVES)}: YAML reads the ':' in this "
        r"text as the start of a key and its value: put the whole text in quotes: "
        rf'- "{re.escape(OBJECTIVES)}"$',
    ),
    (
        "content-tab-indent",
        replace(EVENT, "    items:\n      - Une affiche", "\titems:\n      - Une affiche"),
        (),
        rf"content/checklists/event\.yaml:{line(EVENT, 'Une affiche') - 1}: a tab is used here: "
        r"YAML indents with spaces only, as in '  items:'",
    ),
    (
        "content-misaligned-item",
        replace(EVENT, "      - Le téléphone est chargé", "     - Le téléphone est chargé"),
        (),
        rf"content/checklists/event\.yaml:{line(EVENT, 'Le téléphone est chargé')}: this line is "
        rf"not aligned with line {line(EVENT, 'Le téléphone est chargé') - 1}: align it with the "
        r"line above, as in '      - Le téléphone est chargé, avec une batterie de secours\.'",
    ),
    (
        "content-quote-inside-quotes",
        replace(EVENT, "title: Couvrir un événement", 'title: "Couvrir un "grand" événement"'),
        (),
        rf"content/checklists/event\.yaml:{EVENT_TITLE}: a \" inside a text in \"…\" ends the text "
        r"early: write title: 'Couvrir un \"grand\" événement' \(or use « » or ’ inside\)",
    ),
    (
        "brand-unquoted-colour",
        replace("brand/brand.yaml", 'accent: "#B6462A"', "accent: #B6462A"),
        (),
        rf"brand/brand\.yaml:{line('brand/brand.yaml', 'accent:')}: 'accent' has no value: YAML "
        r"reads '#B6462A' as a comment, because # starts one; write it in quotes: "
        r'accent: "#B6462A"',
    ),
    # --- the guide's Markdown ---------------------------------------------------------------------
    (
        "guide-still-in-yaml",
        both(
            write("content/guide.yaml", b"title: Guide\n"),
            replace("livret.yaml", "content: content/guide}", "content: content/guide.yaml}"),
        ),
        (),
        r"content/guide\.yaml: the guide is written in Markdown: 'content' must name a folder",
    ),
    (
        "guide-chapter-links-outside-the-project",
        symlink("content/guide/13-piege.md", "/etc/passwd"),
        (),
        r"content/guide/13-piege\.md: 'chapter file': path 'content/guide/13-piege\.md' leaves "
        r"the project folder",
    ),
    (
        "guide-not-utf8",
        write(CHAPTER, b"# caf\xe9\n"),
        (),
        r"content/guide/01-pour-qui\.md:1: file is not valid UTF-8",
    ),
    (
        "guide-heading-too-deep",
        replace(CHAPTER, "## Pourquoi un guide ?", "### Pourquoi un guide ?"),
        (),
        rf"content/guide/01-pour-qui\.md:{line(CHAPTER, '## Pourquoi un guide ?')}: "
        r"'###' headings are not used: use # for the chapter title and ## for the headings",
    ),
    (
        "guide-second-chapter-title",
        replace(CHAPTER, "## Pourquoi un guide ?", "# Pourquoi un guide ?"),
        (),
        rf"content/guide/01-pour-qui\.md:{line(CHAPTER, '## Pourquoi un guide ?')}: "
        r"a second '#' title: each chapter has one",
    ),
    (
        "guide-quote-without-callout-kind",
        replace(CHAPTER, "> [!TIP] En une phrase\n", ""),
        (),
        rf"content/guide/01-pour-qui\.md:{line(CHAPTER, '> [!TIP]')}: "
        r"a quote \(>\) is a callout: start its first line with \[!NOTE\], \[!TIP\]",
    ),
    (
        "guide-nested-list",
        replace(CHAPTER, "- **Chapitre 16 et annexes**", "  - **Chapitre 16 et annexes**"),
        (),
        r"content/guide/01-pour-qui\.md:\d+: a list item is one paragraph",
    ),
    (
        "guide-code-block",
        append(CHAPTER, "\n```\nprint('hello')\n```\n"),
        (),
        rf"content/guide/01-pour-qui\.md:{appended(CHAPTER, 2)}: code blocks .* are not used",
    ),
    (
        "guide-image-outside-the-images-folder",
        append(CHAPTER, "\n![Le logo](../../brand/logo.svg)\n"),
        (),
        rf"content/guide/01-pour-qui\.md:{appended(CHAPTER, 2)}: "
        r"image '\.\./\.\./brand/logo\.svg': images must be files in content/images/",
    ),
    (
        "guide-image-absolute-path",
        append(CHAPTER, "\n![Un fichier](/etc/passwd)\n"),
        (),
        rf"content/guide/01-pour-qui\.md:{appended(CHAPTER, 2)}: image '/etc/passwd': "
        r"write the path of a file in content/images/",
    ),
    (
        "guide-image-web-address",
        append(CHAPTER, "\n![Un écran](https://example.org/screen.png)\n"),
        (),
        rf"content/guide/01-pour-qui\.md:{appended(CHAPTER, 2)}: image 'https://example\.org/"
        r"screen\.png': write the path of a file in content/images/",
    ),
    (
        "guide-image-missing",
        append(CHAPTER, "\n![Un écran](../images/absent.png)\n"),
        (),
        rf"content/guide/01-pour-qui\.md:{appended(CHAPTER, 2)}: image '\.\./images/absent\.png': "
        r"file not found",
    ),
    (
        "guide-image-not-really-a-png",
        both(
            write("content/images/fake.png", b"GIF89a not a png"),
            append(CHAPTER, "\n![Un écran](../images/fake.png)\n"),
        ),
        (),
        rf"content/guide/01-pour-qui\.md:{appended(CHAPTER, 2)}: image '\.\./images/fake\.png' "
        r"cannot be decoded as a picture",
    ),
    (
        "guide-image-svg-refers-outside",
        both(
            write(
                "content/images/linked.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
            ),
            append(CHAPTER, "\n![Un dessin](../images/linked.svg)\n"),
        ),
        (),
        rf"content/guide/01-pour-qui\.md:{appended(CHAPTER, 2)}: image '\.\./images/linked\.svg' "
        r"refers to 'file:///etc/passwd': an SVG image must be self-contained",
    ),
    (
        "guide-image-without-description",
        append(CHAPTER, "\n![](../images/absent.png)\n"),
        (),
        rf"content/guide/01-pour-qui\.md:{appended(CHAPTER, 2)}: an image needs a description",
    ),
    (
        "guide-image-inside-a-sentence",
        append(CHAPTER, "\nVoici ![un écran](../images/absent.png) dans le texte.\n"),
        (),
        rf"content/guide/01-pour-qui\.md:{appended(CHAPTER, 2)}: an image stands alone",
    ),
    # --- PO files --------------------------------------------------------------------------------
    (
        "po-syntax",
        write(EN_PO, b'msgid "a"\nmsgstr "b\nmsgid'),
        (),
        PO_LINE + "PO syntax error",
    ),
    (
        "po-not-utf8",
        write(EN_PO, b'msgid "Sommaire"\nmsgstr "Sommaire r\xe9sum\xe9"\n'),
        (),
        r"locales/en/LC_MESSAGES/livret\.po:2: file is not valid UTF-8",
    ),
    (
        "po-unknown-placeholder",
        translate("Édition %(date)s", "%(dat)s edition"),
        (),
        PO_LINE + r"the translation of 'Édition %\(date\)s' has a broken placeholder: "
        r"unknown placeholder %\(dat\)",
    ),
    (
        "po-placeholder-wrong-type",
        translate("Édition %(date)s", "Edition no. %(date)d"),
        (),
        PO_LINE + r"the translation of 'Édition %\(date\)s' has a broken placeholder",
    ),
    (
        "po-placeholder-incomplete",
        translate("Édition %(date)s", "%(date)s edition, 100%"),
        (),
        PO_LINE + r"the translation of 'Édition %\(date\)s' has a broken placeholder: incomplete",
    ),
    (
        "po-unknown-brace-placeholder",
        translate("Page {page} sur {pages}", "Page {pgae} of {pages}"),
        (),
        PO_LINE
        + r"the translation of 'Page \{page\} sur \{pages\}' .*unknown placeholder \{pgae\}",
    ),
    (
        "po-bad-plural-forms",
        replace(EN_PO, "plural=(n != 1);", "plural=(n != 1;"),
        (),
        r"locales/en/LC_MESSAGES/livret\.po: invalid Plural-Forms header",
    ),
    (
        "po-missing",
        remove(EN_PO),
        (),
        r"locales/en/LC_MESSAGES/livret\.po: no catalog for language 'en'",
    ),
    (
        "po-too-large",
        write(EN_PO, b'msgid "a"\nmsgstr "' + b"x" * MAX_FILE_BYTES + b'"\n'),
        (),
        r"locales/en/LC_MESSAGES/livret\.po: file is larger than 5 MB",
    ),
    (
        "po-symlink-to-etc-passwd",
        symlink(EN_PO, "/etc/passwd"),
        (),
        r"locales/en/LC_MESSAGES/livret\.po: the catalog is a link to a file outside the project",
    ),
    # --- templates -------------------------------------------------------------------------------
    (
        "template-syntax",
        replace("templates/guide.html.j2", "{% endfor %}", "{% endfo %}"),
        (),
        r"templates/guide\.html\.j2:\d+: template error",
    ),
    (
        "template-undefined-variable",
        replace("templates/guide.html.j2", "{{ brand.name }}</p>", "{{ brand.nom }}</p>"),
        (),
        rf"templates/guide\.html\.j2:{BRAND_NAME}: template error: .*'nom'",
    ),
    (
        "template-missing-include",
        remove("templates/blocks/table.html.j2"),
        (),
        rf"templates/guide\.html\.j2:{INCLUDES}: template error: "
        r"template 'blocks/table\.html\.j2' not found",
    ),
    (
        "template-missing",
        remove("templates/guide.html.j2"),
        (),
        r"templates: template 'guide\.html\.j2' not found",
    ),
    (
        "template-label-placeholder",
        replace(
            "templates/guide.html.j2", "_('Édition %(date)s', date=", "_('Édition %(date)s', dat="
        ),
        (),
        rf"templates/guide\.html\.j2:{EDITION_LABEL}: template error: label 'Édition %\(date\)s': "
        r"broken placeholder: no value for 'date'",
    ),
    (
        "template-reaches-python-internals",
        replace(
            "templates/guide.html.j2",
            "{{ brand.name }}</p>",
            "{{ ''.__class__.__mro__[1].__subclasses__() }}</p>",
        ),
        (),
        rf"templates/guide\.html\.j2:{BRAND_NAME}: template error: .*(unsafe|__class__)",
    ),
    (
        "template-not-utf8",
        write("templates/blocks/p.html.j2", b"<p>{{ block.value }} \xe9</p>\n"),
        (),
        r"templates/blocks/p\.html\.j2:1: file is not valid UTF-8",
    ),
    (
        "template-symlink-to-etc-passwd",
        symlink("templates/blocks/p.html.j2", "/etc/passwd"),
        (),
        r"templates/blocks/p\.html\.j2: the template is a link to a file outside the project",
    ),
    # --- brand/chapters.csv and brand/chapters/<slug>.yaml ---------------------------------------
    (
        "chapters-missing-column",
        replace(CSV, ",city,", ",ville,"),
        ("-c", "lyon"),
        rf"brand/chapters\.csv:{line(CSV, 'slug,name,city')}: missing column 'city'",
    ),
    (
        "chapters-unknown-column",
        replace(CSV, ",account_instagram,", ",acount_instagram,"),
        ("--all-chapters",),
        rf"brand/chapters\.csv:{line(CSV, 'slug,name,city')}: unknown column 'acount_instagram'"
        r".*account_<network>",
    ),
    (
        "chapters-duplicate-slug",
        replace(CSV, "lille,Unité locale de Lille", "lyon,Unité locale de Lille"),
        ("-c", "lyon"),
        rf"brand/chapters\.csv:{line(CSV, 'lille,')}: duplicate slug 'lyon' "
        rf"\(first on line {line(CSV, 'lyon,')}\)",
    ),
    (
        "chapters-bad-slug",
        replace(CSV, "lille,Unité locale de Lille", "Lille Nord,Unité locale de Lille"),
        ("--all-chapters",),
        rf"brand/chapters\.csv:{line(CSV, 'lille,')}: invalid slug 'Lille Nord'",
    ),
    (
        "chapters-bad-email",
        replace(CSV, "aix@phares-solidaires.example", "aix-at-phares-solidaires.example"),
        ("-c", "aix"),
        rf"brand/chapters\.csv:{line(CSV, 'aix@')}: 'email': invalid value 'aix-at-phares",
    ),
    (
        "chapters-line-after-a-blank-line-and-a-two-line-cell",
        both(
            replace(CSV, "8 quai Saint-Vincent, 69001 Lyon", "8 quai Saint-Vincent\n69001 Lyon"),
            replace(CSV, "\naix,", "\n\naix,"),
            replace(CSV, "aix@phares-solidaires.example", "aix-at-phares-solidaires.example"),
        ),
        ("-c", "lyon"),
        rf"brand/chapters\.csv:{line(CSV, 'aix@') + 2}: 'email': invalid value 'aix-at-phares",
    ),
    (
        "chapters-account-not-a-web-address",
        replace(CSV, "https://www.instagram.com/pharessolidaires.aix", "javascript:alert(1)"),
        ("-c", "lyon"),
        rf"brand/chapters\.csv:{line(CSV, 'aix,')}: 'account_instagram': invalid value "
        r"'javascript:alert\(1\)'",
    ),
    (
        "chapters-more-cells-than-the-header",
        replace(CSV, '59000 Lille"', '59000 Lille",extra'),
        ("-c", "lyon"),
        rf"brand/chapters\.csv:{line(CSV, 'lille,')}: this row has more cells than the header",
    ),
    (
        "chapters-control-character",
        replace(CSV, "Unité locale de Lille", "Unité locale de\x00Lille"),
        ("-c", "lille"),
        rf"brand/chapters\.csv:{line(CSV, 'lille,')}: 'name': control character U\+0000",
    ),
    (
        "chapters-not-utf8",
        recode(CSV, "latin-1"),
        ("-c", "lyon"),
        rf"brand/chapters\.csv:{first_non_ascii(CSV)}: file is not valid UTF-8",
    ),
    ("chapters-empty", write(CSV, b""), ("--all-chapters",), r"brand/chapters\.csv: file is empty"),
    (
        "chapters-yaml-bad-email",
        write("brand/chapters/brest.yaml", b"name: Brest\ncity: Brest\nemail: nope\n"),
        ("-c", "brest"),
        r"brand/chapters/brest\.yaml:3: 'email': invalid value 'nope'",
    ),
    (
        "chapters-yaml-and-csv-define-one-slug",
        write("brand/chapters/lyon.yaml", b"name: Lyon\ncity: Lyon\n"),
        ("-c", "lyon"),
        r"brand/chapters/lyon\.yaml: chapter 'lyon' is also defined in brand/chapters\.csv",
    ),
    (
        "chapters-unknown-slug",
        lambda root: None,
        ("-c", "lyonn"),
        r"unknown chapter 'lyonn' \(did you mean 'lyon'\?\) "
        r"\(the chapters are: aix, lille, lyon\)$",
    ),
    # --- the command line ------------------------------------------------------------------------
    (
        "unknown-document",
        lambda root: None,
        ("guidee",),
        r"unknown document 'guidee' \(did you mean 'guide'\?\)",
    ),
    (
        "unknown-language",
        lambda root: None,
        ("-l", "enn"),
        r"unknown language 'enn' \(did you mean 'en'\?\) \(livret\.yaml lists: fr, en\)",
    ),
]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_cases_are_many_and_unique() -> None:
    names = [case[0] for case in CASES]
    assert len(names) >= 40 and len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("name", "edit", "args", "expected"), CASES, ids=[case[0] for case in CASES]
)
def test_bad_input_is_one_line_and_exit_2(
    sample_build: Path, tmp_path: Path, name: str, edit: Edit, args: tuple[str, ...], expected: str
) -> None:
    root = tmp_path / "project"
    shutil.copytree(sample_build, root, symlinks=True)
    before = snapshot(root / "out")
    assert {"fr/guide.pdf", "en/guide.pdf", MANIFEST} <= set(before)
    edit(root)
    result = run_cli("--project", str(root), "build", *args)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    assert lines[0].startswith("error: "), lines[0]
    assert re.search(expected, lines[0]), lines[0]
    assert snapshot(root / "out") == before


# --- Hostile input: each class of issue 15, in a subprocess with a time limit and a memory cap ---

GUIDE_INDEX = "content/guide/00-index.md"
NETWORKS = "content/networks.yaml"
TIME_LIMIT = 60  # seconds: a build that does not finish by then fails the test
MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space (a build of the kit needs ~500 MB)
NBSP = "\u00a0"
# A paragraph of the inputs that made the typography and address patterns quadratic, just
# under the limit of one text (20,000 characters).
ADVERSARIAL = NBSP * 3000 + "a." * 2000 + "’a" * 2000 + "@a." * 1000 + " " * 3000 + "x-" * 1500
LONG_URL = "https://lyon.phares-solidaires.example/" + "a" * 300
TOO_MANY_ITEMS = "".join(
    f"  - title: Groupe {g}\n    items:\n" + "".join(f"      - Point {g}.{i}\n" for i in range(50))
    for g in range(100)
)


def fifo(relative: str) -> Edit:
    def edit(root: Path) -> None:
        (root / relative).unlink(missing_ok=True)
        os.mkfifo(root / relative)

    return edit


def move_out(relative: str) -> Edit:
    """Move a folder out of the project and leave a symlink to it in its place."""

    def edit(root: Path) -> None:
        elsewhere = root.parent / f"elsewhere-{Path(relative).name}"
        shutil.move(root / relative, elsewhere)
        os.symlink(elsewhere, root / relative)

    return edit


def png(width: int, height: int, pixels: bytes) -> bytes:
    """A PNG file of ``width`` x ``height`` pixels whose image data is ``pixels``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def naming_special_files(root: Path) -> None:
    """Text that names special files, in content, in a translation and in a chapter's cell."""
    os.mkfifo(root / "content/fifo")
    names = (
        f"file:///dev/zero file:///dev/stdin file:///proc/self/fd/0 {root.as_uri()}/content/fifo"
    )
    replace(GUIDE_INDEX, "# Guide des réseaux sociaux", f"# Guide {names}")(root)
    translate("Sommaire", f"Contents {names}")(root)
    replace(CSV, "8 quai Saint-Vincent, 69001 Lyon", f"8 quai Saint-Vincent {names}")(root)


def assets_are_served_files(root: Path) -> None:
    entries = json.loads((root / "out" / MANIFEST).read_text(encoding="utf-8"))["outputs"]
    for lang in ("fr", "en"):
        assets = entries[f"chapters/lyon/{lang}/guide.pdf"]["assets"]
        assert "brand/logo.svg" in assets, assets
        assert not [name for name in assets if "dev" in name or "fifo" in name or "proc" in name]


def page_furniture_is_plain_text(root: Path) -> None:
    texts = page_texts(root / "out/en/guide.pdf")
    assert re.search(r'Page 3 of \d+"; \} body \{ display: none \} x \{"', texts[2])  # as text
    assert "Contents" in texts[1], "no rule from the translation hid the contents"


def mail_link_keeps_subject_only(root: Path) -> None:
    links = [uri for uri in link_targets(root / "out/fr/guide.pdf") if "benevoles@" in uri]
    assert links == ["mailto:benevoles@phares-solidaires.example?subject=Bonjour"], links


# (case id, how to break the project, build arguments, exit code, regex for the error line
# or, for a build that must succeed, a check of what it wrote)
LIMITED_CASES: list[tuple[str, Edit, tuple[str, ...], int, str | Callable[[Path], None]]] = [
    # Text reaches CSS only through HTML.
    (
        "css-control-character-in-a-translation",
        translate(
            "Page {page} sur {pages}", "Page {page} of {pages}\f} body { display: none } x {"
        ),
        ("guide", "-l", "en"),
        2,
        PO_LINE + r"control character U\+000C is not allowed",
    ),
    (
        "css-break-out-in-a-translation-prints-as-text",
        translate(
            "Page {page} sur {pages}", 'Page {page} of {pages}"; } body { display: none } x {"'
        ),
        ("guide", "-l", "en"),
        0,
        page_furniture_is_plain_text,
    ),
    # No file is read because text names it.
    (
        "text-names-special-files",
        naming_special_files,
        ("guide", "-c", "lyon"),
        0,
        assets_are_served_files,
    ),
    # Linear time, and bounded strings.
    (
        "paragraph-of-240-kb",
        append(CHAPTER, "\nUn " + NBSP * 240_000 + "!\n"),
        ("guide", "-l", "fr"),
        2,
        rf"content/guide/01-pour-qui\.md:{appended(CHAPTER, 2)}: "
        r"a text may hold at most 20000 characters",
    ),
    (
        "adversarial-paragraph-builds-in-time",
        append(CHAPTER, f"\n{ADVERSARIAL}\n"),
        ("guide", "-l", "fr"),
        0,
        lambda root: None,
    ),
    # Declared limits.
    (
        "limit-nplurals",
        replace(EN_PO, "nplurals=2;", "nplurals=100000000;"),
        ("guide", "-l", "en"),
        2,
        PO_LINE + r"Plural-Forms: nplurals must be between 1 and 6, not 100000000",
    ),
    (
        "limit-plural-expression",
        replace(EN_PO, "plural=(n != 1);", "plural=(n != 1" + " && n != 1" * 30 + ");"),
        ("guide", "-l", "en"),
        2,
        PO_LINE + r"Plural-Forms: the plural expression may have at most 200 characters",
    ),
    (
        "limit-yaml-nesting",
        append(NETWORKS, "deep: " + "[" * 500 + "]" * 500 + "\n"),
        ("cheatsheets", "-l", "fr"),
        2,
        rf"content/networks\.yaml:{appended(NETWORKS)}: "
        r"lists and mappings may be nested at most 32 levels deep",
    ),
    (
        "limit-number-digits",
        replace("content/networks.yaml", "value: 63206,", "value: " + "9" * 5000 + ","),
        ("cheatsheets", "-l", "fr"),
        2,
        rf"content/networks\.yaml:{line('content/networks.yaml', 'value: 63206,')}: "
        r"a number may have at most 15 digits",
    ),
    (
        "limit-size-digits",
        replace("content/networks.yaml", "size: 1080x1350,", "size: 1x" + "9" * 5000 + ","),
        ("cheatsheets", "-l", "fr"),
        2,
        rf"content/networks\.yaml:{line('content/networks.yaml', 'size: 1080x1350,')}: "
        r"'size': '1x9+\.\.\.' is not a size in pixels such as 1080x1350",
    ),
    (
        "limit-checklist-items",
        write(
            "content/checklists/event.yaml",
            ("title: Trop long\npurpose: Beaucoup trop.\ngroups:\n" + TOO_MANY_ITEMS).encode(),
        ),
        ("checklist-event", "-l", "fr"),
        2,
        r"content/checklists/event\.yaml:4: "
        r"a checklist may have at most 100 items in all, not 5000",
    ),
    (
        "limit-list-entries",
        append(NETWORKS, "many: [" + "x, " * 5000 + "x]\n"),
        ("cheatsheets", "-l", "fr"),
        2,
        rf"content/networks\.yaml:{appended(NETWORKS)}: "
        r"a list or mapping may hold at most 1000 entries",
    ),
    (
        "limit-logo-pixels",
        both(
            replace("brand/brand.yaml", "logo: logo.svg", "logo: logo.png"),
            write("brand/logo.png", png(6_000, 6_000, zlib.compress(b"\0" * 1000))),
        ),
        ("guide", "-l", "fr"),
        2,
        rf"brand/brand\.yaml:{LOGO}: 'logo': 'brand/logo\.png' is 6000 × 6000 pixels: "
        r"it has more than 25,000,000 pixels",
    ),
    # Every file confined the same way.
    (
        "symlink-chapters-csv",
        symlink(CSV, "/etc/passwd"),
        ("-c", "lyon"),
        2,
        r"brand/chapters\.csv: the spreadsheet is a link to a file outside the project",
    ),
    (
        "symlink-chapter-yaml",
        symlink("brand/chapters/brest.yaml", "/etc/passwd"),
        ("-c", "brest"),
        2,
        r"brand/chapters/brest\.yaml: the file is a link to a file outside the project",
    ),
    (
        "symlink-templates-folder",
        move_out("templates"),
        ("guide", "-l", "fr"),
        2,
        r"templates/guide\.html\.j2: the template is a link to a file outside the project",
    ),
    (
        "fifo-content-file",
        fifo(NETWORKS),
        ("cheatsheets", "-l", "fr"),
        2,
        r"content/networks\.yaml: the file is not a regular file \(a folder, a FIFO or a device\)",
    ),
    (
        "fifo-catalog",
        fifo(EN_PO),
        ("guide", "-l", "en"),
        2,
        r"locales/en/LC_MESSAGES/livret\.po: the catalog is not a regular file",
    ),
    (
        "fifo-chapters-csv",
        fifo(CSV),
        ("-c", "lyon"),
        2,
        r"brand/chapters\.csv: the spreadsheet is not a regular file",
    ),
    (
        "fifo-template",
        fifo("templates/blocks/p.html.j2"),
        ("guide", "-l", "fr"),
        2,
        r"templates/blocks/p\.html\.j2: the template is not a regular file",
    ),
    # Links allow what they need and no more.
    (
        "link-mailto-query-in-brand",
        replace(
            "brand/brand.yaml",
            "contact@phares-solidaires.example",
            "a@b.example?attach=/etc/passwd",
        ),
        ("guide", "-l", "fr"),
        2,
        rf"brand/brand\.yaml:{line('brand/brand.yaml', 'contact@phares')}: "
        r"'email': invalid value 'a@b\.example\?attach=/etc/passwd'",
    ),
    (
        "link-mailto-query-in-chapters-csv",
        replace(CSV, "lyon@phares-solidaires.example", "lyon@phares-solidaires.example?attach=x"),
        ("-c", "lyon"),
        2,
        rf"brand/chapters\.csv:{line(CSV, 'lyon,')}: 'email': invalid value",
    ),
    (
        "link-mailto-fields-in-content",
        append(
            CHAPTER,
            "\nPour nous [écrire](mailto:benevoles@phares-solidaires.example"
            "?subject=Bonjour&attach=/etc/passwd&bcc=x@y.example).\n",
        ),
        ("guide", "-l", "fr"),
        0,
        mail_link_keeps_subject_only,
    ),
    # Every failure a clear line, on the file that holds the bad value.
    (
        "logo-png-does-not-decode",
        both(
            replace("brand/brand.yaml", "logo: logo.svg", "logo: logo.png"),
            write("brand/logo.png", png(64, 64, b"not zlib data at all")),
        ),
        ("guide", "-l", "fr"),
        2,
        rf"brand/brand\.yaml:{LOGO}: 'logo': 'brand/logo\.png' cannot be decoded as a picture",
    ),
    (
        "chapter-website-too-long-for-a-qr-code",
        replace(CSV, "https://lyon.phares-solidaires.example", LONG_URL),
        ("guide", "-c", "lyon"),
        2,
        rf"brand/chapters\.csv:{line(CSV, 'lyon,')}: 'website' may have at most 300 characters",
    ),
    (
        "chapter-name-the-font-cannot-draw",
        replace(CSV, "Unité locale de Lyon", "Unité locale de Lyon 漢字"),
        ("guide", "-c", "lyon"),
        2,
        rf"brand/chapters\.csv:{line(CSV, 'lyon,')}: chapter 'lyon': the body font .* "
        r"cannot draw '字' \(U\+5B57\), '漢' \(U\+6F22\)",
    ),
    (
        "output-is-a-file",
        replace("livret.yaml", "output: out", "output: brand/brand.yaml"),
        ("guide", "-l", "fr"),
        2,
        rf"livret\.yaml:{OUTPUT}: 'output': brand\.yaml is a file, not a folder",
    ),
]


def _limited() -> None:
    """Runs in the child before livret starts: cap its address space."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_limited_cases_cover_every_class() -> None:
    prefixes = {case[0].split("-")[0] for case in LIMITED_CASES}
    assert {"css", "text", "paragraph", "limit", "symlink", "fifo", "link", "logo"} <= prefixes
    assert len({case[0] for case in LIMITED_CASES}) == len(LIMITED_CASES)


@pytest.mark.parametrize(
    ("name", "edit", "args", "code", "expected"),
    LIMITED_CASES,
    ids=[case[0] for case in LIMITED_CASES],
)
def test_hostile_input_is_bounded_in_time_and_memory(
    sample_build: Path,
    tmp_path: Path,
    name: str,
    edit: Edit,
    args: tuple[str, ...],
    code: int,
    expected: str | Callable[[Path], None],
) -> None:
    root = tmp_path / "project"
    shutil.copytree(sample_build, root, symlinks=True)
    before = snapshot(root / "out")
    edit(root)
    command = [sys.executable, "-m", "livret", "--project", str(root), "build", *args]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limited
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build did not finish within {TIME_LIMIT} s")
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    assert result.returncode == code, output
    if code == 0:
        assert callable(expected)
        expected(root)
        return
    assert isinstance(expected, str)
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert re.search(expected, lines[0]), lines[0]
    assert snapshot(root / "out") == before
