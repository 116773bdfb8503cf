"""Saddle-stitch imposition of a finished PDF, for duplex printing on an office printer.

Pages are padded with blanks to a multiple of 4, inserted before the last page (the
back cover stays the outside back), then placed two by two on landscape sheets of the
same paper size, in booklet order: fold the printed stack in half and staple it. The
first sheet side holds the back cover on the left and the cover on the right.

The finished PDF is imposed with pypdf; nothing is laid out twice, so text stays
selectable and web links keep working. The booklet keeps the title and the other
metadata, the language, the outline, and the internal links (table of contents),
which point to where their pages now sit on the sheets. It drops the tagged structure,
which described pages that no longer exist.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    Destination,
    DictionaryObject,
    Fit,
    IndirectObject,
    NameObject,
    TextStringObject,
)


def booklet_order(page_count: int) -> list[tuple[int, int]]:
    """(left, right) 0-based page indexes for each sheet side; ``page_count`` % 4 == 0."""
    sides = []
    for sheet in range(page_count // 4):
        last, first = page_count - 1 - 2 * sheet, 2 * sheet
        sides.append((last, first))  # front: the outer pages
        sides.append((first + 1, last - 1))  # back: the inner pages
    return sides


def padded(page_count: int) -> list[int | None]:
    """The source pages in reading order with blanks (``None``) before the last page, so
    that there are a multiple of 4 and the last page stays the outside back."""
    blanks: list[int | None] = [None] * (-page_count % 4)
    pages: list[int | None] = list(range(page_count))
    if page_count < 2:
        return pages + blanks
    return pages[:-1] + blanks + pages[-1:]


@dataclass(frozen=True)
class Placement:
    """Where a source page went: the booklet page (sheet side) and the transformation."""

    side: int
    scale: float
    x: float
    y: float

    def point(self, left: float, top: float) -> tuple[float, float]:
        return left * self.scale + self.x, top * self.scale + self.y


def impose(pdf: bytes) -> bytes:
    """Return a booklet of ``pdf``: half as many landscape pages as padded pages."""
    source = PdfReader(io.BytesIO(pdf))
    width = float(source.pages[0].mediabox.width)
    height = float(source.pages[0].mediabox.height)
    order = padded(len(source.pages))
    # Each page is scaled to fit half of a landscape sheet of the same size.
    scale = min((height / 2) / width, width / height)
    slot_width, slot_height = width * scale, height * scale
    writer = PdfWriter()
    placements: dict[int, Placement] = {}
    for side, pair in enumerate(booklet_order(len(order))):
        sheet = writer.add_blank_page(width=height, height=width)
        for slot, position in enumerate(pair):
            index = order[position]
            if index is None:
                continue
            x = slot * (height / 2) + (height / 2 - slot_width) / 2
            y = (width - slot_height) / 2
            transformation = Transformation().scale(scale).translate(x, y)
            sheet.merge_transformed_page(source.pages[index], transformation)
            placements[index] = Placement(side, scale, x, y)
    _copy_document_data(source, writer)
    _copy_destinations(source, writer, placements)
    _copy_outline(source, writer, placements, source.outline, None)
    _drop_dead_links(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _copy_document_data(source: PdfReader, writer: PdfWriter) -> None:
    """Metadata (title, author…), language and the viewer's use of the title."""
    if source.metadata:
        writer.add_metadata({key: str(value) for key, value in source.metadata.items()})
    language = source.root_object.get("/Lang")
    if language:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(language))
    preferences = {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject(preferences)


def _target(
    source: PdfReader, destination: Destination, placements: dict[int, Placement]
) -> tuple[int, Fit] | None:
    """The booklet page and view of a destination of the source, if its page is there."""
    index = source.get_destination_page_number(destination)
    placement = None if index is None else placements.get(index)
    if placement is None:
        return None
    left, top = placement.point(float(destination.left or 0), float(destination.top or 0))
    return placement.side, Fit.xyz(left=left, top=top, zoom=0)


def _copy_destinations(
    source: PdfReader, writer: PdfWriter, placements: dict[int, Placement]
) -> None:
    """The named destinations that the internal links use, moved to the sheets."""
    for name, destination in source.named_destinations.items():
        target = _target(source, destination, placements)
        if target is not None:
            side, fit = target
            page = writer.pages[side].indirect_reference
            assert page is not None
            writer.add_named_destination_object(Destination(name, page, fit))


def _copy_outline(
    source: PdfReader,
    writer: PdfWriter,
    placements: dict[int, Placement],
    items: Sequence[object],
    parent: IndirectObject | None,
) -> None:
    """The outline, each entry pointing to where its page went."""
    last: IndirectObject | None = None
    for item in items:
        if isinstance(item, list):
            if last is not None:
                _copy_outline(source, writer, placements, item, last)
            continue
        assert isinstance(item, Destination)
        target = _target(source, item, placements)
        if target is not None:
            side, fit = target
            title = item.title or ""
            last = writer.add_outline_item(title=title, page_number=side, parent=parent, fit=fit)


def _drop_dead_links(writer: PdfWriter) -> None:
    """Remove any internal link whose target is not a named destination of the booklet
    (its page was not imposed, or it pointed straight at a source page object)."""
    names = set(writer.named_destinations)
    for page in writer.pages:
        annotations = page.get("/Annots")
        if not annotations:
            continue
        kept = ArrayObject(
            reference
            for reference in annotations
            if _link_target(reference.get_object()) in (None, *names)
        )
        if len(kept) != len(annotations):
            page[NameObject("/Annots")] = kept


def _link_target(annotation: DictionaryObject) -> object:
    """The name an internal link goes to (an explicit target counts as dead); ``None``
    for anything else, such as a web link."""
    action = annotation.get("/A")
    target = annotation.get("/Dest")
    if target is None and action is not None and action.get_object().get("/S") == "/GoTo":
        target = action.get_object().get("/D")
    if target is None:
        return None
    return str(target) if isinstance(target, str) else target
