"""The last check on every PDF before it is written: no active content, no embedded files.

Active content is kept out where a PDF is made: the fetcher serves only the project's files
(:mod:`livret.pdf.fetch`), links keep only allowed schemes (:mod:`livret.html.links`), the
renderer refuses attachments, and WeasyPrint's options ask for none of it. This check makes
sure that no template, content or translation can change that. It walks every object of
the document that :mod:`livret.pdf.finish` has open anyway (reachable or not), so the PDF is
not parsed a second time.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

import pikepdf

from livret.html.links import safe_link

# PDF names that run code, open or embed files, or send data somewhere.
FORBIDDEN = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EmbeddedFiles": "embedded files",
    "/EmbeddedFile": "an embedded file",
    "/FileAttachment": "a file attachment",
    "/Launch": "a launch action",
    "/GoToR": "a link into another file",
    "/GoToE": "a link into an embedded file",
    "/ImportData": "a data import action",
    "/SubmitForm": "a form submission action",
    "/RichMedia": "rich media",
    "/XFA": "an XFA form",
    "/AA": "an automatic action",
    "/OpenAction": "an action run on opening",
}


def unsafe_objects(document: pikepdf.Pdf) -> list[str]:
    """What in an open PDF could run, embed or reach outside: empty when it is clean."""
    found: dict[str, None] = {}
    stack: list[pikepdf.Object] = [document.trailer, *document.objects]
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Name):
            if str(item) in FORBIDDEN:
                found[FORBIDDEN[str(item)]] = None
            continue
        if isinstance(item, pikepdf.Stream):
            item = item.stream_dict
        if isinstance(item, pikepdf.Dictionary):
            for key, value in item.items():
                if key in FORBIDDEN:
                    found[FORBIDDEN[key]] = None
                if key == "/URI" and not _allowed_uri(value):
                    found[f"a link to '{value}'"] = None
                stack += _objects([value])
        elif isinstance(item, pikepdf.Array):
            stack += _objects(item)
    return list(found)


def _objects(values: Any) -> list[pikepdf.Object]:
    """The PDF objects among ``values`` (pikepdf gives numbers and booleans as Python's)."""
    return [value for value in values if isinstance(value, pikepdf.Object)]


def unsafe_content(pdf: bytes) -> list[str]:
    """:func:`unsafe_objects` of PDF bytes (for tests and for files read back)."""
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            return unsafe_objects(document)
    except pikepdf.PdfError as error:
        return [f"unreadable PDF ({error})"]


def _allowed_uri(value: Any) -> bool:
    """A link that the link policy keeps as it is (give or take percent-encoding)."""
    if not isinstance(value, pikepdf.String):
        return False
    text = str(value)
    kept = safe_link(text)
    return kept is not None and unquote(kept) == unquote(text.strip())
