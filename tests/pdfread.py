"""Reading facts back from built PDFs, for the tests."""

from __future__ import annotations

from pathlib import Path

import pypdf


def reader(path: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(str(path))


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in reader(path).pages]


def link_targets(path: Path) -> set[str]:
    """The ``/URI`` of every link annotation on any page."""
    uris = set()
    for page in reader(path).pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A", {})
            if "/URI" in action:
                uris.add(str(action["/URI"]))
    return uris


def font_names(path: Path) -> set[str]:
    """Base names (subset prefix removed) of every font used on any page."""
    names = set()
    for page in reader(path).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            base = str(font.get_object()["/BaseFont"]).lstrip("/")
            names.add(base.split("+", 1)[-1])
    return names


def fonts_embedded(path: Path) -> bool:
    """True when every font on every page carries its font program."""
    for page in reader(path).pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            font = font.get_object()
            descriptor_owner = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descriptor_owner["/FontDescriptor"].get_object()
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                return False
    return True


def _kids(element: pypdf.generic.DictionaryObject) -> list[object]:
    kids = element.get("/K", [])
    return [kid.get_object() for kid in (kids if isinstance(kids, list) else [kids])]


def structure_elements(path: Path) -> list[tuple[int, pypdf.generic.DictionaryObject]]:
    """(depth, element) for every structure element reachable from the tree's root."""
    found = []
    stack = [(0, kid) for kid in reversed(_kids(reader(path).trailer["/Root"]["/StructTreeRoot"]))]
    while stack:
        depth, element = stack.pop()
        if not isinstance(element, dict) or element.get("/Type") in ("/OBJR", "/MCR"):
            continue
        found.append((depth, element))
        stack += [(depth + 1, kid) for kid in reversed(_kids(element))]
    return found


def page_structure(path: Path, index: int) -> list[tuple[object, ...]]:
    """What a screen reader meets on page ``index``: each element's depth, type, alternative
    text and content (marked-content ids, and the description and target of annotations)."""
    page = reader(path).pages[index].indirect_reference
    rows = []
    for depth, element in structure_elements(path):
        on = element.get("/Pg")
        if on is None or (on.idnum, on.generation) != (page.idnum, page.generation):
            continue
        content: list[object] = []
        for kid in _kids(element):
            if isinstance(kid, int):
                content.append(kid)
            elif isinstance(kid, dict) and kid.get("/Type") == "/OBJR":
                annotation = kid["/Obj"].get_object()
                target = annotation.get("/A", {}).get("/URI") or annotation.get("/Dest")
                content.append(("annotation", annotation.get("/Contents"), target))
        rows.append(
            (depth, element["/S"], element.get("/Alt"), element.get("/ActualText"), content)
        )
    return rows
