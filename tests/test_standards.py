"""Chapter editions, PDF/UA-1 and PDF/A-3b, read back as readers and validators see them.

``readers.problems`` (qpdf, pdfium, poppler, page-validation) runs on every PDF that any
test writes; these tests build what it must see, and check what the validator's rules do
not: the tree of a chapter edition, artifacts, links, field names, header scopes.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
import readers
from conftest import copy_sample, run_cli
from pdfread import page_structure, page_texts, reader, structure_elements

from livret.kinds import KINDS

DOCS = ("guide", "checklist-fundraising", "cheatsheets")


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Guide, one checklist and the cheat sheets, default output, fr and en."""
    root = copy_sample(tmp_path_factory.mktemp("standards") / "project")
    result = run_cli("--project", str(root), "build", *DOCS)
    assert result.exit_code == 0, result.output
    return root


def test_chapter_editions_match_a_full_render(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_cli("--project", str(project), "build", "guide", "--all-chapters")
    assert result.exit_code == 0, result.output
    monkeypatch.setitem(KINDS, "guide", replace(KINDS["guide"], shared_body=False))
    full = project / "full"
    result = run_cli("--project", str(project), "build", "guide", "-c", "lyon", "-o", str(full))
    assert result.exit_code == 0, result.output
    for lang in ("fr", "en"):
        spliced = project / f"out/chapters/lyon/{lang}/guide.pdf"
        rendered = full / f"chapters/lyon/{lang}/guide.pdf"
        pages = len(reader(rendered).pages)
        assert len(reader(spliced).pages) == pages
        for index in (0, pages - 1):  # the cover and the back cover
            expected = page_structure(rendered, index)
            assert len(expected) > 10
            assert page_structure(spliced, index) == expected
            assert page_texts(spliced)[index] == page_texts(rendered)[index]
        assert "Unité locale de Lyon" in page_texts(spliced)[0]
        _assert_unique_struct_parents(spliced)
        assert readers.problems(spliced) == []
        _assert_mupdf_draws(spliced, [1, pages])


def _assert_unique_struct_parents(path: Path) -> None:
    numbers = []
    for page in reader(path).pages:
        numbers.append(page["/StructParents"])
        numbers += [a.get_object()["/StructParent"] for a in page.get("/Annots", [])]
    assert len(numbers) == len(set(numbers))


def _assert_mupdf_draws(path: Path, pages: list[int]) -> None:
    from PIL import Image

    for number in pages:
        image = path.parent / f"mupdf-{number}.png"
        subprocess.run(
            ["mutool", "draw", "-q", "-r", "20", "-o", str(image), str(path), str(number)],
            check=True,
            capture_output=True,
        )
        low, high = Image.open(image).convert("L").getextrema()
        image.unlink()
        assert low != high, f"MuPDF draws page {number} of {path} blank"


@pytest.mark.parametrize(("variant", "profile"), [("pdf/ua-1", "ua1"), ("pdf/a-3b", "3b")])
def test_variants_pass_the_validator(project: Path, variant: str, profile: str) -> None:
    for extra in ((), ("-c", "lyon")):
        result = run_cli("--project", str(project), "build", *DOCS, "--variant", variant, *extra)
        assert result.exit_code == 0, result.output
    outputs = [
        p for p in sorted((project / "out").rglob("*.pdf")) if ".livret-cache" not in p.parts
    ]
    assert len(outputs) == 2 * 2 * len(DOCS)  # national and lyon, fr and en
    for path in outputs:
        assert profile in readers.claimed_profiles(path.read_bytes()), path
        assert readers.problems(path) == [], path


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_default_output_claims_and_passes_pdf_ua_1(kit: Path, lang: str) -> None:
    for doc in DOCS:
        path = kit / f"out/{lang}/{doc}.pdf"
        assert readers.claimed_profiles(path.read_bytes()) == ["ua1"]
        assert readers.validation_problems(path, "ua1") == []
        metadata = reader(path).trailer["/Root"]["/Metadata"].get_object()
        assert "/Filter" not in metadata  # PDF/A: XMP readable as it is
        assert b"<dc:title>" in metadata.get_data()


def test_contents_page_one_described_link_per_entry_in_reading_order(kit: Path) -> None:
    path = kit / "out/fr/guide.pdf"
    page = reader(path).pages[1]
    annotations = [a.get_object() for a in page["/Annots"]]
    entries = re.findall(r"^(\d+ .+?) (\d+)$", page.extract_text(), re.MULTILINE)
    assert len(entries) == len(annotations) >= 10
    assert [a["/Contents"] for a in annotations] == [title for title, _ in entries]
    assert all(a["/F"] & 4 for a in annotations)  # printed
    assert page.extract_text().startswith("Sommaire\n1 ")  # not the page numbers first


def test_page_furniture_and_decoration_are_artifacts(kit: Path) -> None:
    guide = reader(kit / "out/fr/guide.pdf")
    body = guide.pages[3].get_contents().get_data()
    assert re.search(rb"/Artifact\s*<<\s*/Type\s*/Pagination\s*>>\s*BDC", body)
    for doc in DOCS:
        figures = [
            e for _, e in structure_elements(kit / f"out/fr/{doc}.pdf") if e["/S"] == "/Figure"
        ]
        assert figures and all(str(figure.get("/Alt", "")) for figure in figures), doc
    path = kit / "out/fr/guide.pdf"
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


def test_cheat_sheet_account_box_is_in_the_tree(kit: Path) -> None:
    alts = [
        str(e.get("/Alt", ""))
        for _, e in structure_elements(kit / "out/fr/cheatsheets.pdf")
        if e["/S"] == "/Figure"
    ]
    assert any(alt.startswith("Code QR vers https://www.instagram.com/") for alt in alts)
    headers = [e for _, e in structure_elements(kit / "out/fr/cheatsheets.pdf") if e["/S"] == "/TH"]
    assert headers and {str(h["/A"]["/Scope"]) for h in headers} == {"/Column", "/Row"}


def test_ligatures_and_field_names_keep_their_text(kit: Path) -> None:
    path = kit / "out/en/checklist-fundraising.pdf"
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
