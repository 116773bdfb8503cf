"""Reading facts back from built PDFs, for the tests."""

from __future__ import annotations

from pathlib import Path

import pypdf


def reader(path: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(str(path))


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in reader(path).pages]


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
