"""The guide, built for real in French and English, read back from the PDFs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polib
import pypdf
import pytest
from pdfread import font_names, fonts_embedded, page_texts, reader

from livret.model.project import load_content, load_project

LOCALES = {"fr": "fr-FR", "en": "en-GB"}


def english(root: Path, msgid: str) -> str:
    """The English catalog's translation of ``msgid``."""
    entry = polib.pofile(str(root / "locales/en/LC_MESSAGES/livret.po")).find(msgid)
    assert entry is not None and entry.msgstr
    return entry.msgstr


def section_titles(root: Path, lang: str) -> list[str]:
    project = load_project(root)
    titles = [
        section["title"].text
        for section in load_content(project, project.documents["guide"])["sections"]
    ]
    return titles if lang == "fr" else [english(root, title) for title in titles]


def normalize(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").replace("’", "'").split())


def test_cover_is_translated(sample_build: Path) -> None:
    fr_cover = page_texts(sample_build / "out/fr/guide.pdf")[0]
    en_cover = page_texts(sample_build / "out/en/guide.pdf")[0]
    assert fr_cover != en_cover
    assert "Guide des réseaux sociaux" in fr_cover
    assert english(sample_build, "Guide des réseaux sociaux") in en_cover
    assert "novembre 2026" in fr_cover
    assert "November 2026" in en_cover
    assert "les phares solidaires" in en_cover.lower()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pages_outline_language_and_metadata(sample_build: Path, lang: str) -> None:
    pdf = reader(sample_build / f"out/{lang}/guide.pdf")
    titles = section_titles(sample_build, lang)
    assert len(pdf.pages) >= len(titles) + 2  # cover, contents, then the chapters
    assert pdf.trailer["/Root"]["/Lang"] == LOCALES[lang]
    assert pdf.metadata is not None
    assert pdf.metadata.author == "Les Phares Solidaires"
    assert pdf.metadata.title == (
        "Guide des réseaux sociaux"
        if lang == "fr"
        else english(sample_build, "Guide des réseaux sociaux")
    )
    outline = [normalize(item.title) for item in pdf.outline if not isinstance(item, list)]
    for number, title in enumerate(titles, 1):
        assert f"{number} {normalize(title)}" in outline


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_fonts_are_the_embedded_brand_font(sample_build: Path, lang: str) -> None:
    path = sample_build / f"out/{lang}/guide.pdf"
    assert fonts_embedded(path)
    names = font_names(path)
    assert names, "no font found"
    assert all(name.startswith("brand-sourcesanspro") for name in names), names


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_table_of_contents_points_to_real_pages(sample_build: Path, lang: str) -> None:
    path = sample_build / f"out/{lang}/guide.pdf"
    texts = [normalize(text) for text in page_texts(path)]
    toc = texts[1]
    for number, title in enumerate(section_titles(sample_build, lang), 1):
        heading = f"{number} {normalize(title)}"
        # Chapters follow one another, so a chapter may open in the middle of a page.
        actual = next(i for i, text in enumerate(texts) if i > 1 and heading in text) + 1
        # Each entry reads in order: its number, its title, its page.
        printed = re.search(rf"(?:^| ){number} {re.escape(normalize(title))} (\d+)(?: |$)", toc)
        assert printed, f"{title!r} missing from the table of contents"
        assert int(printed.group(1)) == actual, (title, printed.group(0), actual)
    links = [a.get_object() for a in reader(path).pages[1].get("/Annots", [])]
    assert {str(link["/Dest"]) for link in links if "/Dest" in link} >= {"pour-qui", "qui-parle"}


def test_page_footer_is_localized(sample_build: Path) -> None:
    fr = page_texts(sample_build / "out/fr/guide.pdf")
    en = page_texts(sample_build / "out/en/guide.pdf")
    assert f"Page 3 sur {len(fr)}" in fr[2]
    assert f"Page 3 of {len(en)}" in en[2]
    assert "Page" not in fr[0], "the cover has no footer"


def test_html_renders_the_same_with_plain_weasyprint(sample_build: Path, tmp_path: Path) -> None:
    html = sample_build / "out/en/guide.html"
    target = tmp_path / "plain.pdf"
    subprocess.run([sys.executable, "-m", "weasyprint", str(html), str(target)], check=True)
    assert page_texts(target) == page_texts(sample_build / "out/en/guide.pdf")
    assert font_names(target) == font_names(sample_build / "out/en/guide.pdf")


def test_french_typography_in_output(sample_build: Path) -> None:
    text = "\n".join(page_texts(sample_build / "out/fr/guide.pdf"))
    assert "l’association" in text
    assert not re.search(r" [;:!?]", text), "ordinary space before French high punctuation"


def test_help_does_not_import_weasyprint() -> None:
    code = (
        "import sys; from livret.cli import main\n"
        "try:\n main(['--help'])\nexcept SystemExit: pass\n"
        "print('weasyprint' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().endswith("False")


def test_edition_date_from_source_date_epoch(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project / "livret.yaml"
    config.write_text(re.sub(r"edition_date: .*\n", "", config.read_text()))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28
    result = cli("--project", str(project), "build", "guide", "-l", "fr")
    assert result.exit_code == 0, result.output
    assert "mai 2026" in page_texts(project / "out/fr/guide.pdf")[0]


def test_project_option_and_output_folder(
    project: Path, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(
        "--project", str(project), "build", "guide", "-l", "en", "-o", str(tmp_path / "elsewhere")
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "elsewhere/en/guide.pdf").is_file()
    assert not (tmp_path / "elsewhere/fr").exists()
    assert isinstance(
        pypdf.PdfReader(tmp_path / "elsewhere/en/guide.pdf").pages[0], pypdf.PageObject
    )


def test_missing_translations_fall_back_with_a_count(project: Path, cli) -> None:
    po_path = project / "locales/en/LC_MESSAGES/livret.po"
    catalog = polib.pofile(str(po_path))
    read_by_the_guide = [
        entry
        for entry in catalog
        if any(file.startswith(("brand/", "content/guide/")) for file, _ in entry.occurrences)
    ]
    for entry in read_by_the_guide[:3]:
        entry.msgstr = ""
    catalog.save(str(po_path))
    result = cli("--project", str(project), "build", "guide", "-l", "en")
    assert result.exit_code == 0
    assert "en: 3 untranslated and 0 fuzzy strings fall back" in result.output
    strict = cli("--project", str(project), "build", "guide", "-l", "en", "--strict")
    assert strict.exit_code == 2
