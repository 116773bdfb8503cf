"""`livret preview`: one PNG per page and a contact sheet, read back and measured."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import REPO, copy_sample, run_cli
from pdfread import page_texts, reader
from PIL import Image

from livret.serve.preview import (
    SHEET_BACKGROUND,
    SHEET_GAP,
    SHEET_MAX_COLUMNS,
    SHEET_THUMB_WIDTH,
)

DPI = 50


@pytest.fixture(scope="module")
def previewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Result]:
    """The sample's French guide previewed once: (project, picture folder, CLI result)."""
    root = copy_sample(tmp_path_factory.mktemp("preview") / "project")
    pictures = root.parent / "pictures"
    result = run_cli(
        "--project", str(root), "preview", "guide", "-l", "fr", "-o", str(pictures),
        "--dpi", str(DPI),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return root, pictures, result


def test_one_png_per_page_at_the_requested_resolution(
    previewed: tuple[Path, Path, Result],
) -> None:
    root, pictures, result = previewed
    pdf = reader(root / "out/fr/guide.pdf")
    pages = sorted((pictures / "fr").glob("guide-[0-9]*.png"))
    assert len(pdf.pages) >= 5
    assert [page.name for page in pages] == [
        f"guide-{n:02d}.png" for n in range(1, len(pdf.pages) + 1)
    ]
    for page, pdf_page in zip(pages, pdf.pages, strict=True):
        width, height = Image.open(page).size
        assert abs(width - float(pdf_page.mediabox.width) * DPI / 72) <= 1
        assert abs(height - float(pdf_page.mediabox.height) * DPI / 72) <= 1
    printed = [Path(line) for line in result.output.split()]
    resolved = [path if path.is_absolute() else Path.cwd() / path for path in printed]
    assert resolved == [*pages, pictures / "fr/guide-sheet.png"]


def test_pages_show_the_document(previewed: tuple[Path, Path, Result]) -> None:
    """The cover is mostly the brand's primary colour; an inner page is mostly white."""
    _, pictures, _ = previewed
    cover = Image.open(pictures / "fr/guide-01.png").convert("RGB")
    inner = Image.open(pictures / "fr/guide-03.png").convert("RGB")
    assert cover.getpixel((cover.width // 2, cover.height // 3)) != (255, 255, 255)
    assert inner.getpixel((inner.width // 2, inner.height - 5)) == (255, 255, 255)
    colours = inner.crop((0, 0, inner.width, inner.height // 3)).getcolors(1 << 16) or []
    assert len(colours) > 20  # anti-aliased text


def test_contact_sheet_holds_every_page(previewed: tuple[Path, Path, Result]) -> None:
    root, pictures, _ = previewed
    count = len(reader(root / "out/fr/guide.pdf").pages)
    sheet = Image.open(pictures / "fr/guide-sheet.png").convert("RGB")
    columns = min(count, SHEET_MAX_COLUMNS)
    rows = math.ceil(count / columns)
    assert sheet.width == columns * SHEET_THUMB_WIDTH + (columns + 1) * SHEET_GAP
    cell = (sheet.height - (rows + 1) * SHEET_GAP) / rows
    assert cell == pytest.approx(SHEET_THUMB_WIDTH * math.sqrt(2), abs=2)  # A4 portrait
    for number in range(columns * rows):
        row, column = divmod(number, columns)
        x = SHEET_GAP + column * (SHEET_THUMB_WIDTH + SHEET_GAP) + SHEET_THUMB_WIDTH // 2
        y = round(SHEET_GAP + row * (cell + SHEET_GAP) + cell - 10)
        drawn = sheet.getpixel((x, y)) != SHEET_BACKGROUND
        assert drawn == (number < count), f"cell {number + 1} of {count} pages"
    assert sheet.getpixel((SHEET_GAP // 2, SHEET_GAP // 2)) == SHEET_BACKGROUND


def test_bad_resolution_is_refused_before_building(
    project: Path, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    pictures = tmp_path / "pictures"
    result = cli("--project", str(project), "preview", "guide", "--dpi", "5", "-o", str(pictures))
    assert result.exit_code == 2
    assert "--dpi must be between 36 and 300" in result.output
    assert not (project / "out").exists()
    assert not pictures.exists()


def test_unknown_document_is_a_usage_error(project: Path, cli: Callable[..., Result]) -> None:
    result = cli("--project", str(project), "preview", "gide")
    assert result.exit_code == 2
    assert "unknown document 'gide' (did you mean 'guide'?)" in result.output


def test_help_loads_no_renderer() -> None:
    """The CLI starts fast: no WeasyPrint, pypdfium2, Pillow or watchfiles for --help."""
    code = (
        "import sys\nfrom livret.cli import main\n"
        "for args in (['--help'], ['serve', '--help'], ['preview', '--help']):\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "heavy = ('weasyprint', 'pypdfium2', 'PIL', 'watchfiles')\n"
        "print(sorted(name for name in heavy if name in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert output.splitlines()[-1] == "[]"


def test_preview_of_a_chapter_edition(project: Path, cli: Callable[..., Result]) -> None:
    pictures = project / "pictures"
    result = cli(
        "--project", str(project), "preview", "checklist-event", "-c", "lyon", "-l", "fr",
        "-o", str(pictures), "--dpi", str(DPI),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    folder = pictures / "chapters/lyon/fr"
    assert result.output.split() == [
        str(folder / "checklist-event-01.png"), str(folder / "checklist-event-sheet.png"),
    ]  # fmt: skip
    pdf = project / "out/chapters/lyon/fr/checklist-event.pdf"
    (text,) = page_texts(pdf)
    assert "lyon@phares-solidaires.example" in text  # the chapter's own contact
    assert not (project / "out/fr").exists() and not (pictures / "fr").exists()
    width, height = Image.open(folder / "checklist-event-01.png").size
    page = reader(pdf).pages[0]
    assert abs(width - float(page.mediabox.width) * DPI / 72) <= 1
    assert abs(height - float(page.mediabox.height) * DPI / 72) <= 1

    unknown = cli("--project", str(project), "preview", "guide", "-c", "lyn")
    assert unknown.exit_code == 2
    assert unknown.output.startswith("error: unknown chapter 'lyn' (did you mean 'lyon'?)")
