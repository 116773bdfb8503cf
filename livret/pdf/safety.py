"""A last check on every PDF before it is written: no active content, no embedded files.

WeasyPrint emits none of these for livret's templates; this check makes sure that no
template, content or translation can change that. It reads the PDF back with pypdf and
walks every object, reachable or not.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import unquote

import pypdf
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

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


def unsafe_content(pdf: bytes) -> list[str]:
    """What in ``pdf`` could run, embed or reach outside: an empty list when it is clean."""
    try:
        reader = pypdf.PdfReader(BytesIO(pdf), strict=False)
        stack: list[Any] = [reader.trailer, *_all_objects(reader)]
    except (PyPdfError, ValueError, KeyError) as error:
        return [f"unreadable PDF ({error})"]
    found: dict[str, None] = {}
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                for name in (key, value):
                    if isinstance(name, NameObject) and name in FORBIDDEN:
                        found[FORBIDDEN[name]] = None
                if key == "/URI" and not _allowed_uri(value):
                    found[f"a link to '{value}'"] = None
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return list(found)


def _allowed_uri(value: Any) -> bool:
    """A link that the link policy keeps as it is (give or take percent-encoding)."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, (str, TextStringObject)):
        return False
    kept = safe_link(str(value))
    return kept is not None and unquote(kept) == unquote(str(value).strip())


def _all_objects(reader: pypdf.PdfReader) -> list[IndirectObject]:
    """Every object listed in the cross-reference tables, also the unreachable ones."""
    numbers = {(num, gen) for gen, table in reader.xref.items() for num in table}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    return [IndirectObject(num, gen, reader) for num, gen in sorted(numbers)]
