"""The guide written in Markdown: the README's example built for real, French typography,
translation units with their Markdown file and line, and the guide's text in the PDFs."""

from __future__ import annotations

import html
import re
from pathlib import Path

import polib
import pytest
from conftest import REPO
from pdfread import page_texts

from livret.html.markup import inline
from livret.i18n.extract import build_template
from livret.i18n.placeholders import from_catalog, to_catalog
from livret.i18n.typography import apply
from livret.model.content import messages
from livret.model.project import load_content, load_project

EN_PO = "locales/en/LC_MESSAGES/livret.po"
NO_BREAK = "\u00a0\u202f"


def readme_example() -> str:
    """The example chapter of the README's "Writing the guide" section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Writing the guide\n", 1)[1]
    found = re.search(r"^````markdown\n(.*?)^````$", section, re.MULTILINE | re.DOTALL)
    assert found, "the README's Markdown example"
    return found.group(1)


def squeezed(text: str) -> str:
    """Text with every space, hyphen and soft hyphen removed, to compare across lines."""
    return re.sub(r"[\s\u00ad\-‐]", "", text)


def plain(message_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", message_html))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_sample, run_cli

    root = copy_sample(tmp_path_factory.mktemp("example") / "project")
    (root / "content/guide/13-exemple.md").write_text(readme_example(), encoding="utf-8")
    result = run_cli("--project", str(root), "build", "guide", "-l", "fr", "--html")
    assert result.exit_code == 0, result.output
    return root


def test_readme_example_is_every_construct_and_builds(example: Path) -> None:
    page = (example / "out/fr/guide.html").read_text(encoding="utf-8")
    chapter = page.split('<section class="chapter" id="exemple">', 1)[1].split("</section>")[0]
    assert '<span class="chapter-number">13</span> Un chapitre d’exemple</h2>' in chapter
    assert "<h3>Un intertitre</h3>" in chapter
    assert chapter.count("<ul>") == 1 and chapter.count('<ol class="steps">') == 1
    assert chapter.count("<table>") == 2
    # The form: blank cells stay empty, one box per cell.
    form = chapter.split("<table>")[2]
    assert form.count('<th scope="row"></th>') == 2 and form.count("<td></td>") == 4
    assert '<aside class="callout callout-tip">' in chapter
    assert '<aside class="callout callout-warning">' in chapter
    assert '<p class="callout-title">À ne jamais faire</p>' in chapter
    assert '<ul class="accounts">' in chapter and "facebook.com/pharessolidaires" in chapter
    image = (example / "content/images/double-authentification.svg").as_uri()
    assert f'<img src="{image}" alt="Dessin d’un écran de paramètres de sécurité.">' in chapter
    assert "<figcaption>La légende, sous l’image.</figcaption>" in chapter
    assert (
        '<a href="https://www.cnil.fr">lien</a>' in chapter and "<strong>gras</strong>" in chapter
    )

    text = squeezed(" ".join(page_texts(example / "out/fr/guide.pdf")))
    for printed in (
        "Unchapitred’exemple",
        "Lesétapesnumérotéessontunelisteordonnée.",
        "InstagramLesphotosduterrain",
        "Unconseil",
        "Lalégende,sousl’image.",
    ):
        assert printed in text, printed
    assert "Dessind’unécran" not in text, "the description is for screen readers only"


def test_french_colon_and_semicolon_in_markdown_get_no_break_spaces(example: Path) -> None:
    text = " ".join(page_texts(example / "out/fr/guide.pdf"))
    # "le deux-points : livret pose les espaces insécables ; vous n’y pensez plus !"
    assert re.search(rf"deux-points[{NO_BREAK}]:", text), "no-break space before ':'"
    assert re.search(rf"insécables[{NO_BREAK}];", text), "no-break space before ';'"
    assert re.search(rf"plus[{NO_BREAK}]!", text), "no-break space before '!'"
    assert not re.search(r" [;:!?]", text), "an ordinary space before high punctuation"


def test_each_translation_unit_points_to_its_markdown_line(example: Path) -> None:
    catalog = build_template(load_project(example))
    source = readme_example().splitlines()

    def entry(msgid: str) -> tuple[list[tuple[str, int]], list[str]]:
        found = catalog.get(msgid)
        assert found is not None, msgid
        return list(found.locations), list(found.auto_comments)

    def line_of(start: str) -> int:
        return next(n for n, text in enumerate(source, 1) if text.startswith(start))

    file = "content/guide/13-exemple.md"
    expected = {
        "Un chapitre d’exemple": (line_of("# Un"), "guide › section 13 › title"),
        "Un intertitre": (line_of("## Un"), "guide › section 13 › block 2"),
        "Une liste à puces : un élément par ligne.": (line_of("- Une liste"), None),
        "Un élément peut continuer sur la ligne suivante, en retrait de deux espaces.": (
            line_of("- Un élément"),
            None,
        ),
        "Chaque étape est un élément.": (line_of("2. Chaque"), None),
        "Ce qu’on y publie": (line_of("| Réseau"), None),
        "Les photos du terrain": (line_of("| Instagram"), None),
        "Un conseil": (line_of("> [!TIP]"), None),
        "Ne publiez jamais le mot de passe d’un compte.": (line_of("> Ne publiez"), None),
        "Dessin d’un écran de paramètres de sécurité.": (line_of("![Dessin"), None),
        "La légende, sous l’image.": (line_of("![Dessin"), None),
    }
    for msgid, (line, place) in expected.items():
        locations, comments = entry(msgid)
        assert (file, line) in locations, (msgid, locations)
        if place:
            assert place in comments, (msgid, comments)


def test_the_guide_prints_every_message_in_order(sample_build: Path) -> None:
    """Every paragraph, item, cell, title and caption of the Markdown is on the pages, in
    the order of the files, in French and (from the complete catalog) in English."""
    project = load_project(sample_build)
    guide = load_content(project, project.documents["guide"])
    printed = [m for m in messages(guide) if not m.place.endswith("› alt")]
    catalog = polib.pofile(str(sample_build / EN_PO))
    english = {entry.msgid: entry.msgstr for entry in catalog if entry.msgstr and not entry.fuzzy}
    for lang in ("fr", "en"):
        text = squeezed(" ".join(page_texts(sample_build / f"out/{lang}/guide.pdf")))
        position = 0
        locale = project.locale(lang)

        def typography(part: str, locale: str = locale) -> str:
            return apply(part, locale)

        for message in printed:
            msgid = to_catalog(message.text)
            source = message.text if lang == "fr" else from_catalog(english[msgid])
            wanted = squeezed(plain(inline(source, typography)))
            found = text.find(wanted, position)
            assert found >= 0, (lang, message.file, message.line, wanted[:60])
            position = found + len(wanted)
