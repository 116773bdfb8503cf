"""PDF/UA-1 and PDF/A-3b, read back as readers and validators see them.

``readers.problems`` (qpdf, pdfium, poppler, page-validation) runs on every PDF that any
test writes, and the default output is PDF/UA-1; these tests build the PDF/A variant, and
check what the validator's rules do not: artifacts, links, field names, header scopes.
(The tree of a chapter edition: ``test_engine.test_chapter_edition_matches_a_full_render``.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
import readers
from conftest import run_cli
from pdfread import page_texts, reader, structure_elements

DOCS = ("guide", "checklist-fundraising", "cheatsheets")


def test_pdf_a_variant_passes_the_validator(project: Path) -> None:
    """PDF/A-3b, national and chapter editions. (The default output is the PDF/UA-1
    variant, which every build of the suite writes and ``readers`` validates.)"""
    for extra in ((), ("-c", "lyon")):
        result = run_cli("--project", str(project), "build", *DOCS, "--variant", "pdf/a-3b", *extra)
        assert result.exit_code == 0, result.output
    outputs = [
        p for p in sorted((project / "out").rglob("*.pdf")) if ".livret-cache" not in p.parts
    ]
    assert len(outputs) == 2 * 2 * len(DOCS)  # national and lyon, fr and en
    for path in outputs:
        assert "3b" in readers.claimed_profiles(path.read_bytes()), path
        assert readers.problems(path) == [], path


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_default_output_claims_and_passes_pdf_ua_1(sample_build: Path, lang: str) -> None:
    for doc in DOCS:
        path = sample_build / f"out/{lang}/{doc}.pdf"
        assert readers.claimed_profiles(path.read_bytes()) == ["ua1"]
        assert readers.validation_problems(path, "ua1") == []
        metadata = reader(path).trailer["/Root"]["/Metadata"].get_object()
        assert "/Filter" not in metadata  # PDF/A: XMP readable as it is
        assert b"<dc:title>" in metadata.get_data()


def test_contents_page_one_described_link_per_entry_in_reading_order(sample_build: Path) -> None:
    path = sample_build / "out/fr/guide.pdf"
    page = reader(path).pages[1]
    annotations = [a.get_object() for a in page["/Annots"]]
    entries = re.findall(r"^(\d+ .+?) (\d+)$", page.extract_text(), re.MULTILINE)
    assert len(entries) == len(annotations) >= 10
    assert [a["/Contents"] for a in annotations] == [title for title, _ in entries]
    assert all(a["/F"] & 4 for a in annotations)  # printed
    assert page.extract_text().startswith("Sommaire\n1 ")  # not the page numbers first


def test_page_furniture_and_decoration_are_artifacts(sample_build: Path) -> None:
    guide = reader(sample_build / "out/fr/guide.pdf")
    body = guide.pages[3].get_contents().get_data()
    assert re.search(rb"/Artifact\s*<<\s*/Type\s*/Pagination\s*>>\s*BDC", body)
    for doc in DOCS:
        figures = [
            e
            for _, e in structure_elements(sample_build / f"out/fr/{doc}.pdf")
            if e["/S"] == "/Figure"
        ]
        assert figures and all(str(figure.get("/Alt", "")) for figure in figures), doc
    path = sample_build / "out/fr/guide.pdf"
    mapped = _parent_tree_elements(path)
    reachable = {e.indirect_reference.idnum for _, e in structure_elements(path)}
    assert mapped and mapped <= reachable  # no marked content hangs outside the tree


def _parent_tree_elements(path: Path) -> set[int]:
    """Object numbers of the elements that the parent tree maps content to."""
    nums = reader(path).trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    found = set()
    for value in nums[1::2]:
        for item in value.get_object() if isinstance(value.get_object(), list) else [value]:
            if isinstance(item, pypdf.generic.IndirectObject):
                found.add(item.idnum)
    return found


def test_cheat_sheet_account_box_is_in_the_tree(sample_build: Path) -> None:
    alts = [
        str(e.get("/Alt", ""))
        for _, e in structure_elements(sample_build / "out/fr/cheatsheets.pdf")
        if e["/S"] == "/Figure"
    ]
    assert any(alt.startswith("Code QR vers https://www.instagram.com/") for alt in alts)
    headers = [
        e
        for _, e in structure_elements(sample_build / "out/fr/cheatsheets.pdf")
        if e["/S"] == "/TH"
    ]
    assert headers and {str(h["/A"]["/Scope"]) for h in headers} == {"/Column", "/Row"}


def test_ligatures_and_field_names_keep_their_text(sample_build: Path) -> None:
    path = sample_build / "out/en/checklist-fundraising.pdf"
    assert "gifts" in page_texts(path)[0]
    fields = reader(path).get_fields() or {}
    names = [str(field.get("/TU", "")) for field in fields.values()]
    text = " ".join(page_texts(path)[0].split()).replace("- ", "-")  # "thank- you"
    assert len(names) > 10
    for name in names:  # words that wrapped in the label keep their space
        assert " ".join(name.split()) in text, name
    form = reader(path).trailer["/Root"]["/AcroForm"]
    assert "/NeedAppearances" not in form
    for annotation in reader(path).pages[0]["/Annots"]:
        assert "/N" in annotation.get_object()["/AP"]
