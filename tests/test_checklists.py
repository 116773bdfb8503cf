"""One-page checklists, built for real in French and English, on A4 and Letter."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import copy_sample, run_cli
from pagecheck import ruled_lines_drawn
from pdfread import font_names, fonts_embedded, page_texts, reader
from qrdecode import page_qr_codes

from livret.model.project import load_content, load_project

REPO = Path(__file__).resolve().parent.parent
CHECKLISTS = [
    "checklist-before-posting",
    "checklist-event",
    "checklist-daily-watch",
    "checklist-crisis",
    "checklist-fundraising",
]
PAPERS = {"a4": (595.3, 841.9), "letter": (612.0, 792.0)}
LANGS = ["fr", "en"]


# The paper each language of the sample gets by default (fr_FR and en_GB: A4).
DEFAULT_PAPER = {"fr": "a4", "en": "a4"}


@pytest.fixture(scope="session")
def built_checklists(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five checklists in both languages on A4 and on Letter, in out/<paper>/<lang>/.

    Each language's default paper comes from the shared sample build; only the other
    paper is built here.
    """
    root = copy_sample(tmp_path_factory.mktemp("checklists") / "project")
    for lang, default in DEFAULT_PAPER.items():
        folder = root / "out" / default / lang
        folder.mkdir(parents=True)
        for doc in CHECKLISTS:
            for suffix in (".pdf", ".html"):
                shutil.copy2(sample_build / "out" / lang / f"{doc}{suffix}", folder)
        other = next(paper for paper in PAPERS if paper != default)
        result = run_cli(
            "--project", str(root), "build", *CHECKLISTS, "-l", lang, "--paper", other,
            "-o", str(root / "out" / other), "--html",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    return root


def content(root: Path, doc: str) -> dict:
    project = load_project(root)
    return load_content(project, project.documents[doc])


def fields_of_kind(path: Path, kind: str) -> dict[str, dict]:
    fields = reader(path).get_fields() or {}
    return {name: field for name, field in fields.items() if field.get("/FT") == kind}


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", CHECKLISTS)
def test_every_checklist_is_exactly_one_page(
    built_checklists: Path, doc: str, lang: str, paper: str
) -> None:
    pdf = reader(built_checklists / "out" / paper / lang / f"{doc}.pdf")
    assert len(pdf.pages) == 1
    width, height = (float(value) for value in pdf.pages[0].mediabox[2:])
    assert (round(width, 1), round(height, 1)) == PAPERS[paper]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", CHECKLISTS)
def test_one_checkbox_per_item_and_a_text_field_per_fill_in(
    built_checklists: Path, doc: str, lang: str
) -> None:
    path = built_checklists / "out/a4" / lang / f"{doc}.pdf"
    data = content(built_checklists, doc)
    items = sum(len(group["items"]) for group in data["groups"])
    checkboxes = fields_of_kind(path, "/Btn")
    assert len(checkboxes) == items
    assert all(field.get("/V") == "/Off" for field in checkboxes.values()), "printed unticked"
    text_fields = fields_of_kind(path, "/Tx")
    assert len(text_fields) == len(data["fields"]) + 1  # the fill-ins, then the notes


def test_fields_carry_their_labels_in_each_language(built_checklists: Path) -> None:
    fr = reader(built_checklists / "out/a4/fr/checklist-event.pdf").get_fields() or {}
    en = reader(built_checklists / "out/a4/en/checklist-event.pdf").get_fields() or {}
    assert fr["checklist-event-field-1"]["/TU"] == "Événement"
    assert en["checklist-event-field-1"]["/TU"] == "Event"
    assert en["checklist-event-1-1"]["/TU"].startswith("Goals are set")


@pytest.mark.parametrize("lang", LANGS)
def test_checklist_text_and_footer(built_checklists: Path, lang: str) -> None:
    text = page_texts(built_checklists / f"out/a4/{lang}/checklist-crisis.pdf")[0]
    title = {"fr": "En cas de crise", "en": "In a crisis"}[lang]
    assert text.startswith("Les Phares Solidaires") and title in text
    brand = yaml.safe_load((built_checklists / "brand/brand.yaml").read_text(encoding="utf-8"))
    assert brand["contact"]["email"] in text
    assert brand["contact"]["on_call"] in text, "the on-call line, for the evening and weekend"
    assert "phares-solidaires.example" in text
    assert "Page 1" not in text, "a one-page sheet needs no page number"


@pytest.mark.parametrize("lang", LANGS)
def test_only_the_embedded_brand_font(built_checklists: Path, lang: str) -> None:
    path = built_checklists / f"out/letter/{lang}/checklist-event.pdf"
    assert fonts_embedded(path)
    assert all(name.startswith("brand-sourcesanspro") for name in font_names(path))


@pytest.mark.parametrize("paper", PAPERS)
def test_website_qr_code_scans_to_the_brand_website(built_checklists: Path, paper: str) -> None:
    brand = yaml.safe_load((built_checklists / "brand/brand.yaml").read_text(encoding="utf-8"))
    path = built_checklists / "out" / paper / "fr/checklist-before-posting.pdf"
    assert page_qr_codes(path, 0) == [brand["contact"]["website"]]


def test_notes_area_takes_the_space_left(built_checklists: Path) -> None:
    """A short sheet gets more ruled lines than a long one: the page is always used."""
    spaces = {}
    for doc in ("checklist-crisis", "checklist-fundraising"):
        html = (built_checklists / f"out/a4/fr/{doc}.html").read_text(encoding="utf-8")
        spaces[doc] = float(re.search(r"--free-space: ([\d.]+)mm", html)[1])
    assert spaces["checklist-fundraising"] > spaces["checklist-crisis"] + 10


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", ["checklist-event", "checklist-fundraising"])
def test_the_notes_lines_are_drawn_by_pdfium_and_poppler(
    built_checklists: Path, doc: str, lang: str
) -> None:
    """Chrome's reader (pdfium) and poppler both draw every ruled line of the notes area,
    and no other, from a 300 px thumbnail's size (36 dpi) to a screen at 100 % zoom
    (96 dpi). (pdfium drew none at 96 dpi when the lines were a tiled gradient, and
    dropped some at 65 dpi when they were one repeating gradient.)"""
    path = built_checklists / f"out/a4/{lang}/{doc}.pdf"
    page = reader(path).pages[0]
    notes = next(
        annotation.get_object()
        for annotation in page["/Annots"]
        if str(annotation.get_object().get("/T", "")).endswith("-notes")
    )
    x1, y1, x2, y2 = (float(value) for value in notes["/Rect"])
    left, bottom, right, top = min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)
    html = path.with_suffix(".html").read_text(encoding="utf-8")
    em = float(re.search(r"--type-size: ([\d.]+)pt", html)[1])
    lines_high = (top - bottom) / (2 * em)
    expected = round(lines_high)
    assert abs(lines_high - expected) < 1e-3  # a whole number of lines: none cut by the edge
    assert expected >= 3

    height = float(page.mediabox.height)
    box = (left, height - top, right, height - bottom)
    for dpi in (36, 65, 96):
        lines = ruled_lines_drawn(path, 0, box, dpi)
        assert set(lines.values()) == {expected}, (dpi, expected, lines)


def repeated(root: Path, source: str, times: int, doc_id: str) -> None:
    """Add a checklist ``doc_id`` made of the groups of ``source`` repeated ``times``."""
    data = yaml.safe_load((root / source).read_text(encoding="utf-8"))
    data["groups"] = [copy.deepcopy(group) for group in data["groups"] * times]
    target = f"content/checklists/{doc_id}.yaml"
    (root / target).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with (root / "livret.yaml").open("a", encoding="utf-8") as config:
        config.write(f"  {doc_id}: {{template: checklist, content: {target}}}\n")


def test_long_checklist_shrinks_its_type_to_fit(project: Path, cli) -> None:
    repeated(project, "content/checklists/daily-watch.yaml", 2, "big")  # 28 items
    result = cli("--project", str(project), "build", "big", "-l", "fr", "--html")
    assert result.exit_code == 0, result.output
    assert len(reader(project / "out/fr/big.pdf").pages) == 1
    html = (project / "out/fr/big.html").read_text(encoding="utf-8")
    size = float(re.search(r"--type-size: ([\d.]+)pt", html)[1])
    assert 8.5 <= size < 11


def test_overlong_checklist_fails_alone_with_a_clear_message(project: Path, cli) -> None:
    repeated(project, "content/checklists/event.yaml", 4, "checklist-long")
    result = cli(
        "--project", str(project), "build", "checklist-long", "checklist-event", "-l", "fr"
    )
    assert result.exit_code == 1, result.output
    failures = [line for line in result.output.splitlines() if line.startswith("failed")]
    assert len(failures) == 1
    match = re.fullmatch(
        r"failed +fr/checklist-long: overflows one A4 page by (?:at least )?(\d+) mm "
        r"even at 8\.5 pt "
        r"\(shorten content/checklists/checklist-long\.yaml\)",
        failures[0],
    )
    assert match, failures
    assert 20 < int(match[1]) < 600  # four times the content of a sheet that fits
    assert not (project / "out/fr/checklist-long.pdf").exists()
    assert len(reader(project / "out/fr/checklist-event.pdf").pages) == 1


def readme_checklist_example() -> tuple[str, str, str]:
    """The README's "add a checklist" example: (content path, content, livret.yaml line)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Add a checklist without code", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 2, "the README example has a content file and a livret.yaml line"
    path = re.match(r"# (content/\S+\.yaml)\n", blocks[0])
    assert path, "the content block starts with its path"
    return path[1], blocks[0], blocks[1].strip()


def test_readme_example_adds_a_sixth_checklist_without_code(project: Path, cli) -> None:
    path, text, line = readme_checklist_example()
    (project / path).write_text(text, encoding="utf-8")
    with (project / "livret.yaml").open("a", encoding="utf-8") as config:
        config.write(f"  {line}\n")
    doc = line.split(":", 1)[0]
    result = cli("--project", str(project), "build", doc, "--paper", "letter")
    assert result.exit_code == 0, result.output
    title = yaml.safe_load(text)["title"]
    for lang in LANGS:
        pdf = project / "out" / lang / f"{doc}.pdf"
        assert len(reader(pdf).pages) == 1
        assert title in page_texts(pdf)[0]  # untranslated yet: English falls back to French
        items = sum(len(group["items"]) for group in yaml.safe_load(text)["groups"])
        assert len(fields_of_kind(pdf, "/Btn")) == items
    assert "untranslated" in result.output  # and the translator is told


def test_unknown_paper_is_a_usage_error(project: Path, cli) -> None:
    result = cli("--project", str(project), "build", "checklist-event", "--paper", "a3")
    assert result.exit_code == 2
    assert not (project / "out").exists()


def test_check_reports_a_checklist_that_cannot_fit(project: Path, cli) -> None:
    repeated(project, "content/checklists/event.yaml", 4, "checklist-long")
    result = cli("--project", str(project), "check", "--format", "json")
    assert result.exit_code == 1, result.output
    errors = [item for item in json.loads(result.output) if item["level"] == "error"]
    assert {item["file"] for item in errors} == {"content/checklists/checklist-long.yaml"}
    assert all("overflows one" in item["message"] for item in errors)
    assert not (project / "out").exists(), "check writes no PDF"


def test_a_failed_documents_previous_pdf_is_renamed_not_left_to_print(project: Path, cli) -> None:
    """Exit code 1: the PDF of the failed document is renamed <doc>.pdf.failed, and the
    summary says so; the next good build removes it."""
    args = ("--project", str(project), "build", "checklist-event", "checklist-crisis", "-l", "fr")
    assert cli(*args, "--html").exit_code == 0
    out = project / "out/fr"
    good = (out / "checklist-event.pdf").read_bytes()
    content = project / "content/checklists/event.yaml"
    original = content.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    data["groups"] = [copy.deepcopy(group) for group in data["groups"] * 4]
    content.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert not (out / "checklist-event.pdf").exists()
    assert (out / "checklist-event.pdf.failed").read_bytes() == good
    assert (out / "checklist-event.html.failed").is_file()
    assert not (out / "checklist-event.html").exists()
    assert (out / "checklist-crisis.pdf").is_file()  # the other document is untouched
    lines = result.output.splitlines()
    renamed = f"its previous PDF is out of date, renamed {out / 'checklist-event.pdf.failed'}"
    assert any(line.strip() == renamed for line in lines), lines
    assert lines[-1].endswith("(1 out-of-date PDF renamed to .pdf.failed)")

    content.write_text(original, encoding="utf-8")
    assert cli(*args).exit_code == 0
    assert (out / "checklist-event.pdf").is_file()
    assert sorted(path.name for path in out.glob("*.failed")) == []
