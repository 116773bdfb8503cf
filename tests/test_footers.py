"""Chapter checklists made of the chapter's footer stamped onto the shared national sheet
(livret.pdf.footers) read, draw and are tagged like the chapter's checklist rendered
whole; a footer that would not take the national footer's place is rendered in full."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2
import pytest
from conftest import copy_sample, run_cli
from pdfread import page_structure
from PIL import ImageChops

from livret.build.plan import BuildOptions, plan
from livret.build.prepare import prepare
from livret.kinds import KINDS
from livret.model.chapters import load_chapters
from livret.model.project import load_project
from livret.pdf.footers import stamp_footer
from livret.pdf.renderer import PdfRenderer

SHEET = "checklist-fundraising"
LONG_ADDRESS = ", ".join(["Maison des associations, bureau 12, 3 allée des Tilleuls"] * 4)


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Lyon's fundraising checklist, and one of a chapter whose address takes four lines
    more than the national footer holds, built as a batch (both languages), and again
    rendered whole (``full/``)."""
    project = copy_sample(tmp_path_factory.mktemp("footers") / "project")
    with (project / "brand/chapters.csv").open(encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    rows.append(
        {**rows[0], "slug": "tall", "name": "Unité locale de Tall", "address": LONG_ADDRESS}
    )
    with (project / "brand/chapters.csv").open("w", encoding="utf-8", newline="") as table:
        writer = csv.DictWriter(table, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    args = ("--project", str(project), "build", SHEET, "-c", "lyon", "-c", "tall", "-j", "2")
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(KINDS, "checklist", replace(KINDS["checklist"], chapter_footer=None))
        result = run_cli(*args, "-o", str(project / "full"))
    assert result.exit_code == 0, result.output
    return project


def stamped(path: Path) -> bool:
    """Whether the page is the shared sheet with a footer stamped on (four content
    streams: save, the sheet, restore, the footer), not a page rendered whole."""
    with pikepdf.open(path) as pdf:
        contents = pdf.pages[0].obj.Contents
        return isinstance(contents, pikepdf.Array) and len(contents) == 4


def layout_text(path: Path) -> str:
    """The page's text where it stands (poppler), whatever order it was drawn in."""
    command = ["pdftotext", "-layout", str(path), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def reading_structure(path: Path) -> list[tuple[object, ...]]:
    """What a screen reader meets, with marked content counted rather than numbered: the
    footer's marked content is numbered after the sheet's."""
    rows = []
    for depth, kind, alt, actual, content in page_structure(path, 0):
        marked = [item if not isinstance(item, int) else "content" for item in content]
        rows.append((depth, kind, alt, actual, marked))
    return rows


def drawn(path: Path) -> pypdfium2.PdfDocument:
    return pypdfium2.PdfDocument(str(path))[0].render(scale=100 / 72).to_pil().convert("L")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_chapter_checklist_is_its_footer_stamped_on_the_national_sheet(
    editions: Path, lang: str
) -> None:
    made = editions / f"out/chapters/lyon/{lang}/{SHEET}.pdf"
    whole = editions / f"full/chapters/lyon/{lang}/{SHEET}.pdf"
    assert stamped(made) and not stamped(whole)
    assert layout_text(made) == layout_text(whole)
    assert "Unité locale de Lyon" in layout_text(made)
    assert "8 quai Saint-Vincent" in layout_text(made)
    structure = reading_structure(made)
    assert len(structure) > 50 and structure == reading_structure(whole)
    made_pdf, whole_pdf = pypdf.PdfReader(made), pypdf.PdfReader(whole)
    assert made_pdf.metadata == whole_pdf.metadata
    fields = made_pdf.get_fields() or {}
    assert len(fields) > 10 and set(fields) == set(whole_pdf.get_fields() or {})
    # Drawn at the same place: only the edges of the footer's regular text differ (its
    # font is a subset of its own, which pdfium smooths slightly differently), by less
    # than a quarter of full contrast; a line moved by a pixel differs by far more.
    difference = ImageChops.difference(drawn(made), drawn(whole))
    assert difference.getextrema()[1] < 64


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_footer_taller_than_the_national_one_is_rendered_in_full(
    editions: Path, lang: str
) -> None:
    made = editions / f"out/chapters/tall/{lang}/{SHEET}.pdf"
    whole = editions / f"full/chapters/tall/{lang}/{SHEET}.pdf"
    assert not stamped(made)
    assert len(pypdf.PdfReader(made).pages) == 1
    assert layout_text(made) == layout_text(whole)
    assert "allée des Tilleuls" in layout_text(made)


def test_a_template_without_the_footer_parts_renders_chapters_in_full(tmp_path: Path) -> None:
    """A project's checklist template from before footer editions ignores their flags:
    its chapter editions are rendered whole, never a sheet stamped with itself."""
    project = copy_sample(tmp_path / "project")
    template = project / "templates/checklist.html.j2"
    text = template.read_text(encoding="utf-8")
    for flag in ("edition_footer_only", "edition_without_footer"):
        text = text.replace(flag, "false")
    template.write_text(text, encoding="utf-8")
    for folder, expected in ((project, None), (copy_sample(tmp_path / "current"), "sheet-foot")):
        loaded = load_project(folder)
        jobs = plan(loaded, [SHEET], ["fr"], [load_chapters(loaded)["lyon"]])
        prepared, _ = prepare(loaded, jobs, BuildOptions(workers=1))
        assert [item.chapter_footer for item in prepared] == [expected]
        assert (prepared[0].edition_html is None) == (expected is None)


def test_a_footer_with_a_link_or_two_pages_is_not_stamped(tmp_path: Path) -> None:
    """Only a footer page without annotations (links would need their own structure
    entries) and of one page is stamped onto a one-page sheet."""
    sheet = '<html lang="en"><div><p>Sheet</p></div>'
    linked = '<html lang="en"><div><footer><a href="https://example.org/">site</a></footer></div>'
    two_pages = '<html lang="en"><div><p style="break-after: page">1</p><p>2</p></div>'
    footer = '<html lang="en"><div><footer><p>Footer</p></footer></div>'
    options = {"pdf_tags": True}
    with PdfRenderer(dt.date(2026, 1, 1)) as renderer:
        pdfs = [
            renderer.write(
                renderer.layout(html, tmp_path.as_uri() + "/", [tmp_path], **options), **options
            )
            for html in (sheet, linked, two_pages, footer)
        ]
    assert stamp_footer(pdfs[0], pdfs[1], 10) is None
    assert stamp_footer(pdfs[0], pdfs[2], 10) is None
    assert stamp_footer(pdfs[2], pdfs[3], 10) is None
    made = stamp_footer(pdfs[0], pdfs[3], 10)
    assert made is not None
    path = tmp_path / "stamped.pdf"
    path.write_bytes(made)
    assert layout_text(path).split() == ["Sheet", "Footer"]
    assert [row[1] for row in page_structure(path, 0)] == [
        "/Div",
        "/P",
        "/Span",
        "/NonStruct",
        "/P",
        "/Span",
    ]
