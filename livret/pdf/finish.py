"""The last pass over every PDF that WeasyPrint writes, so that all readers and validators agree.

WeasyPrint 70 tags each PDF and can claim PDF/UA-1 or PDF/A-3b, but what it writes falls
short of both standards in a few places (each module below says where). This pass opens
the PDF once with pikepdf (qpdf), applies the repairs, and saves it once, deterministically:

- :mod:`livret.pdf.tags`: structure tree and marked content (artifacts, links, table headers);
- :mod:`livret.pdf.tounicode`: ToUnicode maps (ligatures, invalid values);
- :mod:`livret.pdf.forms`: form fields (appearance streams, descriptions);
- :mod:`livret.pdf.streams`: the file's bytes (uncompressed XMP, stream lengths);

and :mod:`livret.pdf.safety` refuses active content in what is about to be saved.

Some repairs need what only the layout knows (the text of a link, the words of a field's
label): ``layout_hints`` reads them from the WeasyPrint document before it is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from livret.errors import LivretError
from livret.pdf import forms, streams, tags, tounicode
from livret.pdf.boxes import root_element
from livret.pdf.safety import unsafe_objects


@dataclass(frozen=True)
class LayoutHints:
    """Facts from the layout that the PDF does not keep."""

    # For each page, the description of each link annotation, in the order WeasyPrint
    # writes them.
    links: tuple[tuple[str, ...], ...] = ()
    # Field name → the words of its label.
    fields: dict[str, str] = field(default_factory=dict)


def layout_hints(document: Any) -> LayoutHints:
    """Link and field descriptions from a laid-out ``weasyprint.Document``."""
    if not document.pages:
        return LayoutHints()
    root = root_element(document.pages[0])
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    anchors = {name for page in document.pages for name in page.anchors}
    links = []
    for page in document.pages:
        descriptions = []
        for link_type, target, _rectangle, box in page.links:
            # WeasyPrint writes an annotation for these links only (see resolve_links).
            if link_type == "external" or (link_type == "internal" and target in anchors):
                descriptions.append(_describe_link(box.element, link_type, target, by_id))
        links.append(tuple(descriptions))
    return LayoutHints(tuple(links), _field_descriptions(root, by_id))


def finish(pdf: bytes, hints: LayoutHints) -> bytes:
    """``pdf`` with every repair applied, checked for active content
    (:mod:`livret.pdf.safety`) before it is saved; see the module docstring."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tags.repair(document, hints.links)
        tounicode.repair(document)
        forms.repair(document, hints.fields)
        streams.repair(document)
        problems = unsafe_objects(document)
        if problems:
            raise LivretError(f"refused to write a PDF that carries {', '.join(problems)}")
        output = io.BytesIO()
        # Streams are compressed by the repairs themselves: qpdf must not compress again,
        # or it could undo what streams.repair ensured about their last byte.
        document.save(output, compress_streams=False, deterministic_id=True)
    return output.getvalue()


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _describe_link(element: Any, link_type: str, target: str, by_id: dict[str, Any]) -> str:
    """What a link says, else what it points to: its target's heading, or its address."""
    text = _text(element)
    if text:
        return text
    if link_type == "internal" and target in by_id:
        destination = by_id[target]
        heading = next(
            (e for e in destination.iter() if e.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}),
            destination,
        )
        return _text(heading)
    return target.split(":", 1)[-1].lstrip("/")


def _field_descriptions(root: Any, by_id: dict[str, Any]) -> dict[str, str]:
    """Field name → the text of its label (wrapping it, or naming it with ``for``)."""
    descriptions: dict[str, str] = {}
    for label in root.iter("label"):
        text = _text(label)
        fields = [e for e in label.iter() if e.tag in {"input", "textarea", "select"}]
        if label.get("for") in by_id:
            fields.append(by_id[label.get("for")])
        for element in fields:
            if element.get("name") and text:
                descriptions.setdefault(element.get("name"), text)
    return descriptions
