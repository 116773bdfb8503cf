"""Brand validation, chapters from a spreadsheet, contrast, print marks, booklet, tagged PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from pdfread import page_texts, reader

from livret.errors import LivretError
from livret.model.chapters import parse_csv
from livret.model.project import load_project
from livret.pdf.booklet import booklet_order

ODD_NAME = "Les Amis d’Ève & Cie « Solidarité »"
CHAPTERS_CSV = (
    "slug,name,city,email,phone,website,account_instagram\n"
    "evry,Unité d’Évry & Essonne,Évry-Courcouronnes,evry@amis.example,+33 1 60 00 00 00,"
    "https://evry.amis.example,https://www.instagram.com/amis.evry\n"
    "besancon,Antenne de Besançon,Besançon,besancon@amis.example,+33 3 81 00 00 00,,\n"
    "ile-de-re,Unité locale de l’Île-de-Ré,Saint-Martin-de-Ré,re@amis.example,+33 5 46 00 00 00,,\n"
)


@pytest.fixture
def other_brand(project: Path) -> Path:
    """The sample project rebranded: odd characters in the name, an SVG logo, 3 chapters."""
    brand = project / "brand/brand.yaml"
    text = brand.read_text(encoding="utf-8").replace(
        "name: Les Phares Solidaires", f'name: "{ODD_NAME}"'
    )
    brand.write_text(text.replace("logo: logo.svg", "logo: amis.svg"), encoding="utf-8")
    (project / "brand/amis.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<rect width="10" height="10" fill="#7a1f5c"/></svg>',
        encoding="utf-8",
    )
    (project / "brand/chapters.csv").write_text(CHAPTERS_CSV, encoding="utf-8")
    return project


def test_all_chapters_get_their_own_edition(other_brand: Path, cli) -> None:
    result = cli(
        "--project",
        str(other_brand),
        "build",
        "guide",
        "checklist-event",
        "-l",
        "fr",
        "--all-chapters",
    )
    assert result.exit_code == 0, result.output
    expected = {
        "evry": ("Unité d’Évry & Essonne", "evry@amis.example"),
        "besancon": ("Antenne de Besançon", "besancon@amis.example"),
        "ile-de-re": ("Unité locale de l’Île-de-Ré", "re@amis.example"),
    }
    for slug, (name, email) in expected.items():
        texts = page_texts(other_brand / f"out/chapters/{slug}/fr/guide.pdf")
        cover, everything = texts[0], "\n".join(texts)
        assert name in cover
        assert ODD_NAME.replace(" »", "\u00a0»").replace("« ", "«\u00a0").upper() in cover.upper()
        assert "&amp;" not in everything
        assert email in everything
        checklist = page_texts(other_brand / f"out/chapters/{slug}/fr/checklist-event.pdf")
        assert len(checklist) == 1
        assert name in checklist[0] and email in checklist[0]
    assert not (other_brand / "out/fr").exists(), "a chapter build writes only chapter editions"


def test_csv_errors_name_the_line() -> None:
    header = "slug,name,city,email,phone,website\n"
    cases = {
        "slug,name,city,phone,website\nx,X,Y,1,\n": r"chapters.csv:1: missing column 'email'",
        header + "a,A,B,a@x.org,1,\na,A2,B,b@x.org,2,\n": "chapters.csv:3: duplicate slug 'a'",
        header + "a,A,B,not-an-email,1,\n": "chapters.csv:2: 'email': invalid value",
        "slug,name,city,email,phone,website,town\n": "chapters.csv:1: unknown column 'town'",
    }
    for text, message in cases.items():
        with pytest.raises(LivretError) as caught:
            parse_csv(text, "brand/chapters.csv")
        assert message.replace("\\", "") in str(caught.value).replace("brand/", "")


def test_semicolon_spreadsheet_export_is_accepted() -> None:
    chapters = parse_csv("slug;name;city;email;phone;website\nnice;Nice & Côte;Nice;n@x.org;1;\n")
    assert chapters[0].name == "Nice & Côte"


def test_unknown_chapter_is_a_usage_error(project: Path, cli) -> None:
    (project / "brand/chapters.csv").write_text(CHAPTERS_CSV, encoding="utf-8")
    result = cli("--project", str(project), "build", "guide", "-c", "evri")
    assert result.exit_code == 2
    assert "unknown chapter 'evri' (did you mean 'evry'?)" in result.output


def test_pale_primary_is_a_contrast_warning_of_check(project: Path) -> None:
    """What ``livret check`` finds in the brand (its exit codes, with and without
    --strict, and its JSON: test_cli.py; a full check of the sample: below)."""
    from livret.build.check import WARNING, Diagnostic, check_brand

    brand = project / "brand/brand.yaml"
    brand.write_text(brand.read_text().replace('"#0B4F6C"', '"#FFF7A1"'))
    findings: list[Diagnostic] = []
    check_brand(load_project(project), findings)
    assert any(
        item.level == WARNING and "#fff7a1" in item.message and "1.10:1" in item.message
        for item in findings
    )
    assert all(item.file == "brand/brand.yaml" for item in findings)


def test_sample_brand_passes_check(project: Path, cli) -> None:
    result = cli("--project", str(project), "check")
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def print_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_sample, run_cli

    root = copy_sample(tmp_path_factory.mktemp("print") / "project")
    result = run_cli(
        "--project", str(root), "build", "guide", "-l", "fr", "--print-marks", "--booklet"
    )
    assert result.exit_code == 0, result.output
    return root


def test_print_marks_add_a_bleed(print_build: Path) -> None:
    page = reader(print_build / "out/fr/guide.pdf").pages[0]
    bleed, trim = page.bleedbox, page.trimbox
    assert float(bleed.width) > float(trim.width) and float(bleed.height) > float(trim.height)
    assert float(trim.left) - float(bleed.left) == pytest.approx(3 / 25.4 * 72, abs=0.1)


def test_booklet_is_imposed_two_up(print_build: Path) -> None:
    original = reader(print_build / "out/fr/guide.pdf")
    booklet = reader(print_build / "out/fr/guide-booklet.pdf")
    padded = len(original.pages) + (-len(original.pages) % 4)
    assert len(booklet.pages) == padded // 2
    for page in booklet.pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)
    first_sheet = booklet.pages[0].extract_text()
    cover = original.pages[0].extract_text().splitlines()[0]
    assert cover in first_sheet
    assert original.pages[-1].extract_text().splitlines()[0] in first_sheet, "the back cover"
    uris = [
        a.get_object()
        for page in booklet.pages
        for a in page.get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert uris, "links survive imposition"


def test_booklet_order_puts_last_and_first_on_the_first_sheet() -> None:
    assert booklet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]


def test_default_and_ua_output_are_tagged(project: Path, cli) -> None:
    result = cli("--project", str(project), "build", "guide", "-l", "en", "--variant", "pdf/ua-1")
    assert result.exit_code == 0, result.output
    pdf = pypdf.PdfReader(project / "out/en/guide.pdf")
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert pdf.metadata is not None and pdf.metadata.title
    tags = _structure_tags(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/L", "/Table", "/Figure"} <= tags, tags


def _structure_tags(node: object, seen: set[str] | None = None) -> set[str]:
    """Every structure type (/S) under a structure tree node."""
    seen = set() if seen is None else seen
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, pypdf.generic.DictionaryObject):
        if "/S" in node:
            seen.add(str(node["/S"]))
        _structure_tags(node.get("/K"), seen)
    elif isinstance(node, pypdf.generic.ArrayObject):
        for child in node:
            _structure_tags(child, seen)
    return seen


@pytest.mark.parametrize(
    ("lang", "locale", "size"),
    [("en", "en_GB", (595, 842)), ("en", "en_CA", (612, 792)), ("fr", "fr_FR", (595, 842))],
)
def test_paper_follows_the_locale(
    project: Path, cli, lang: str, locale: str, size: tuple[int, int]
) -> None:
    config = project / "livret.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(rf"(?m)^  {lang}: \w+$", f"  {lang}: {locale}", text), "utf-8")
    result = cli("--project", str(project), "build", "checklist-event", "-l", lang)
    assert result.exit_code == 0, result.output
    page = reader(project / f"out/{lang}/checklist-event.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size


def test_paper_option_overrides_the_locale(project: Path, cli) -> None:
    result = cli("--project", str(project), "build", "checklist-event", "-l", "en", "--paper", "a4")
    assert result.exit_code == 0, result.output
    page = reader(project / "out/en/checklist-event.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
