"""Saddle-stitch imposition of a finished PDF, for duplex printing on an office printer.

Pages are padded with blanks to a multiple of 4, then placed two by two on landscape
sheets of the same paper size, in booklet order: fold the printed stack in half and
staple it. The finished PDF is imposed with pypdf; nothing is laid out twice, so text
stays selectable and web links keep working.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation


def booklet_order(page_count: int) -> list[tuple[int, int]]:
    """(left, right) 0-based page indexes for each sheet side; ``page_count`` % 4 == 0."""
    sides = []
    for sheet in range(page_count // 4):
        last, first = page_count - 1 - 2 * sheet, 2 * sheet
        sides.append((last, first))  # front: the outer pages
        sides.append((first + 1, last - 1))  # back: the inner pages
    return sides


def impose(pdf: bytes) -> bytes:
    """Return a booklet of ``pdf``: half as many landscape pages as padded pages."""
    source = PdfReader(io.BytesIO(pdf))
    width = float(source.pages[0].mediabox.width)
    height = float(source.pages[0].mediabox.height)
    pages: list[PageObject | None] = list(source.pages)
    pages += [None] * (-len(pages) % 4)
    # Each page is scaled to fit half of a landscape sheet of the same size.
    scale = min((height / 2) / width, width / height)
    slot_width, slot_height = width * scale, height * scale
    writer = PdfWriter()
    for left, right in booklet_order(len(pages)):
        sheet = writer.add_blank_page(width=height, height=width)
        for slot, index in enumerate((left, right)):
            page = pages[index]
            if page is None:
                continue
            x = slot * (height / 2) + (height / 2 - slot_width) / 2
            y = (width - slot_height) / 2
            sheet.merge_transformed_page(page, Transformation().scale(scale).translate(x, y))
    if source.metadata:
        writer.add_metadata({key: str(value) for key, value in source.metadata.items()})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
