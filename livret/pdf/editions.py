"""Chapter editions of a long document, made from shared national pages.

When a batch builds the guide for many chapters, only the cover and the back cover carry
chapter data. Each chapter's two pages are rendered alone, and their content is put into
a copy of the national PDF, page object by page object.

Method (chosen over WeasyPrint's ``Document.copy()``, whose maintainer calls it unreliable
for metadata, fonts and counters): the finished national PDF is cloned with pypdf, and the
content stream, resources and annotations of its first and last pages are replaced by
those of the chapter's pages. Page objects keep their identity, so the outline, the table
of contents links and named destinations stay valid; text stays text.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

EDITION_PAGES = 2  # the cover and the back cover


def _swap(target: PageObject, source: PageObject, writer: PdfWriter) -> None:
    """Give ``target`` the content, resources and links of ``source``."""
    imported = writer.add_page(source)  # brings the page's objects into the writer
    target[NameObject("/Resources")] = imported["/Resources"]
    target[NameObject("/Contents")] = imported["/Contents"]
    annotations = imported.get("/Annots")
    if annotations:
        target[NameObject("/Annots")] = ArrayObject(annotations)
    elif "/Annots" in target:
        del target["/Annots"]
    writer.remove_page(len(writer.pages) - 1)


def merge_edition(national: bytes, edition: bytes) -> bytes | None:
    """The national PDF with its first and last pages taken from ``edition``.

    Returns ``None`` when the shapes do not fit (the caller then renders in full).
    """
    edition_reader = PdfReader(io.BytesIO(edition))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(national)))
    if len(edition_reader.pages) != EDITION_PAGES or len(writer.pages) <= EDITION_PAGES:
        return None
    first, last = writer.pages[0], writer.pages[len(writer.pages) - 1]
    _swap(first, edition_reader.pages[0], writer)
    _swap(last, edition_reader.pages[1], writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
