"""``--booklet``, read back: sheet order, page count, title, language, outline, links."""

from __future__ import annotations

from pathlib import Path

import pagecheck as pc
import pypdf
import pytest
from conftest import copy_sample, run_cli

from livret.pdf.booklet import padded

DOCUMENTS = [(lang, doc) for lang in ("fr", "en") for doc in ("guide", "cheatsheets")]


@pytest.fixture(scope="module")
def booklets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide and the cheat sheets with their booklets, in both languages."""
    root = copy_sample(tmp_path_factory.mktemp("booklet") / "project")
    result = run_cli("--project", str(root), "build", "guide", "cheatsheets", "--booklet")
    assert result.exit_code == 0, result.output
    return root / "out"


def test_blanks_go_before_the_last_page() -> None:
    assert padded(18) == [*range(17), None, None, 17]
    assert padded(16) == list(range(16))
    assert padded(1) == [0, None, None, None]


@pytest.mark.parametrize(("lang", "doc"), DOCUMENTS)
def test_first_sheet_holds_the_back_cover_and_the_cover(
    booklets: Path, lang: str, doc: str
) -> None:
    pages = pc.page_texts(booklets / lang / f"{doc}.pdf")
    sheets = pc.halves(booklets / lang / f"{doc}-booklet.pdf")
    assert len(sheets) == (len(pages) + -len(pages) % 4) // 2
    outside_back, outside_front = sheets[0]
    assert pc.letters(outside_back) == pc.letters(pages[-1])
    assert pc.letters(outside_front) == pc.letters(pages[0])
    printed = [pc.letters(half) for sheet in sheets for half in sheet if half.strip()]
    assert sorted(printed) == sorted(pc.letters(page) for page in pages), "every page, once"


@pytest.mark.parametrize(("lang", "doc"), DOCUMENTS)
def test_booklet_keeps_title_language_and_outline(booklets: Path, lang: str, doc: str) -> None:
    original = pypdf.PdfReader(booklets / lang / f"{doc}.pdf")
    path = booklets / lang / f"{doc}-booklet.pdf"
    booklet = pypdf.PdfReader(path)
    assert original.metadata is not None and booklet.metadata is not None
    assert booklet.metadata.title == original.metadata.title
    assert booklet.metadata.author == original.metadata.author
    assert booklet.root_object["/Lang"] == original.root_object["/Lang"]
    titles = [entry.title for entry in original.outline if not isinstance(entry, list)]
    entries = [entry for entry in booklet.outline if not isinstance(entry, list)]
    assert [entry.title for entry in entries] == titles and len(titles) >= 10
    for entry in entries:
        box = _box_below(booklet, entry)
        shown = pc.text_in(path, booklet.get_destination_page_number(entry), box)
        assert pc.letters(entry.title) in pc.letters(shown), (entry.title, shown)


@pytest.mark.parametrize(("lang", "doc"), DOCUMENTS)
def test_booklet_internal_links_lead_to_their_targets(booklets: Path, lang: str, doc: str) -> None:
    path = booklets / lang / f"{doc}-booklet.pdf"
    booklet = pypdf.PdfReader(path)
    destinations = booklet.named_destinations
    internal = [
        annotation["/Dest"]
        for page in booklet.pages
        for annotation in (a.get_object() for a in page.get("/Annots", []))
        if "/Dest" in annotation
    ]
    assert len(internal) >= 10, "the table of contents links are kept"
    for name in internal:
        assert isinstance(name, str) and name in destinations, name
        target = destinations[name]
        page = booklet.get_destination_page_number(target)
        shown = pc.text_in(path, page, _box_below(booklet, target))
        assert shown.strip(), f"{name} leads to an empty place"


def _box_below(pdf: pypdf.PdfReader, destination: pypdf.generic.Destination) -> tuple[float, ...]:
    """The half sheet of a destination, from its top down by 40 points."""
    page = pdf.pages[pdf.get_destination_page_number(destination)]
    half = float(page.mediabox.width) / 2
    left, top = float(destination.left or 0), float(destination.top or 0)
    start = 0.0 if left < half else half
    return (start, top - 40, start + half, top + 2)
