"""Bad input: one clear line with file and line, exit code 2, nothing written.

Every case starts from a copy of a project whose PDFs were already built, breaks one
input, runs a build, and checks: exit code 2, exactly one output line matching the
expected ``file:line: message``, no traceback, and ``out/`` byte-identical, manifest
included (no new file, not even a temporary one or a cache file). Line numbers are
found in the sample files, so that editing them does not break the table. To add a
case, append a row to ``CASES``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from conftest import REPO, run_cli

from livret.model.fonts import package_font_dir
from livret.model.yamlfile import MAX_FILE_BYTES

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
        r"is not a PNG, JPEG or SVG file that can be read",
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
