"""Chapter editions of a one-page sheet, made from the national sheet without its footer.

A checklist's chapter editions differ only in their footer (the chapter's contacts), so a
batch lays each sheet out twice per language (to find its fit and the footer's place,
then without the footer), and for each chapter only the footer, alone on a page. The
footer's page is stamped onto the shared sheet with pikepdf:

- its content stream is added after the sheet's, moved down to the footer's place (a
  ``cm`` translation), with its resources renamed so that they cannot clash;
- its marked-content ids are numbered after the sheet's, and its structure elements
  become the last children of the sheet's element, where the footer stands in a full
  render (the template ends the sheet with its footer);
- figure bounding boxes move with the content.

The result reads, draws and is tagged like a full render (``tests/test_footers.py``
compares the two). When the shapes do not fit (a footer of another height, an
annotation in the footer, a structure other than one sheet), :func:`stamp_footer` returns
``None`` and the caller renders in full.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

from livret.pdf.streams import Node, set_stream
from livret.pdf.tags import ParentTree, child_elements, descendants, kids

PT_PER_PX = Decimal("0.75")
# Which operand of an operator names a resource, and in which category.
_RESOURCE_OPERANDS = {
    "Tf": (0, "/Font"),
    "Do": (0, "/XObject"),
    "gs": (0, "/ExtGState"),
    "sh": (0, "/Shading"),
    "cs": (0, "/ColorSpace"),
    "CS": (0, "/ColorSpace"),
    "scn": (-1, "/Pattern"),
    "SCN": (-1, "/Pattern"),
    "BDC": (1, "/Properties"),
    "DP": (1, "/Properties"),
}
_PREFIX = "ft"  # stamped resources are renamed /ft<name>


def stamp_footer(sheet: bytes, footer: bytes, shift_px: float) -> bytes | None:
    """``sheet`` with the one page of ``footer`` drawn on it, ``shift_px`` CSS px lower.

    Returns ``None`` when the shapes do not fit (the caller then renders in full).
    """
    with pikepdf.open(io.BytesIO(sheet)) as base, pikepdf.open(io.BytesIO(footer)) as own:
        if len(base.pages) != 1 or len(own.pages) != 1 or "/Annots" in own.pages[0].obj:
            return None
        base_sheet, own_sheet = _sheet_element(base), _sheet_element(own)
        if base_sheet is None or own_sheet is None:
            return None
        page = base.pages[0].obj
        tree = ParentTree(base.Root.StructTreeRoot)
        mapping = tree.entries[int(page.StructParents)]
        shift = -Decimal(repr(shift_px)) * PT_PER_PX  # PDF y goes up
        contents, resources, tops, own_mapping = base.copy_foreign(
            _footer_bundle(own, own_sheet, shift, offset=len(mapping))
        )
        for top in tops:
            top.P = base_sheet
            kids(base_sheet).append(top)
            for element in descendants(top):
                if element.get("/Pg") == Name.ThisPage:
                    element.Pg = page
        for element in own_mapping:
            mapping.append(element)
        tree.save()
        _merge_resources(page, resources)
        before, after = base.make_stream(b"q\n"), base.make_stream(b"\nQ\n")
        page.Contents = Array([before, *_streams(page), after, contents])
        output = io.BytesIO()
        base.save(output, compress_streams=False, deterministic_id=True)
    return output.getvalue()


def _footer_bundle(own: pikepdf.Pdf, own_sheet: Node, shift: Decimal, offset: int) -> Node:
    """One array of what moves to the sheet: the footer's content (moved by ``shift``
    points, with marked-content ids from ``offset``), its resources, its structure
    elements and its parent-tree entry. References to its page become a marker (qpdf
    would drop them when copying), to be replaced by the sheet's page."""
    source = own.pages[0].obj
    tops = list(child_elements(own_sheet))
    for top in tops:
        del top["/P"]
        for element in descendants(top):
            _renumber(element, offset)
            _move_box(element, shift)
            if element.get("/Pg") == source:
                element.Pg = Name.ThisPage
    entry = ParentTree(own.Root.StructTreeRoot).entries[int(source.StructParents)]
    stream = _stamped_stream(own, shift, offset)
    return own.make_indirect(Array([stream, source.Resources, Array(tops), entry]))


def _sheet_element(pdf: pikepdf.Pdf) -> Node | None:
    """The one structure element under the document element: the sheet."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/StructParents" not in pdf.pages[0].obj:
        return None
    document = kids(root)[0] if len(kids(root)) == 1 else None
    if document is None:
        return None
    tops = list(child_elements(document))
    return tops[0] if len(tops) == 1 and len(kids(document)) == 1 else None


def _renumber(element: Node, offset: int) -> None:
    """Number ``element``'s marked-content ids after the sheet's."""
    items = kids(element)
    for index, kid in enumerate(items):
        if isinstance(kid, int):
            items[index] = kid + offset
        elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
            kid.MCID = int(kid.MCID) + offset


def _move_box(element: Node, shift: Decimal) -> None:
    """Move the ``/BBox`` attribute of ``element`` (a figure's) by ``shift`` points up."""
    attributes = element.get("/A")
    for owner in attributes if isinstance(attributes, Array) else [attributes]:
        if isinstance(owner, Dictionary) and "/BBox" in owner:
            box: Node = owner.BBox
            owner.BBox = Array([box[0], Decimal(box[1]) + shift, box[2], Decimal(box[3]) + shift])


def _stamped_stream(pdf: pikepdf.Pdf, shift: Decimal, offset: int) -> Node:
    """The footer page's content, moved by ``shift``, with renamed resources and
    marked-content ids numbered from ``offset``."""
    page = pdf.pages[0]
    resources = page.obj.Resources
    move = pikepdf.ContentStreamInstruction([1, 0, 0, 1, 0, shift], pikepdf.Operator("cm"))
    operations: list[Any] = [move]
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            operations.append(instruction)
            continue
        operator = str(instruction.operator)
        operands = list(instruction.operands)
        if operator in _RESOURCE_OPERANDS and operands:
            position, category = _RESOURCE_OPERANDS[operator]
            name = operands[position]
            if isinstance(name, Name) and name in resources.get(category, Dictionary()):
                operands[position] = _renamed(name)
        if operator == "BDC" and isinstance(operands[-1], Dictionary) and "/MCID" in operands[-1]:
            operands[-1].MCID = int(operands[-1].MCID) + offset  # a direct copy, parsed here
        operations.append(pikepdf.ContentStreamInstruction(operands, instruction.operator))
    stream = pdf.make_stream(b"")
    set_stream(stream, b"q\n" + pikepdf.unparse_content_stream(operations) + b"\nQ\n")
    return stream


def _renamed(name: Node) -> Name:
    return Name("/" + _PREFIX + str(name)[1:])


def _merge_resources(page: Node, stamped: Node) -> None:
    """Add the footer's resources, renamed, to the sheet page's."""
    resources = page.Resources
    for category in stamped:
        if category == "/ProcSet":
            continue
        target = resources.get(category)
        if target is None:
            resources[category] = target = Dictionary()
        for name, value in stamped[category].items():
            target[_renamed(name)] = value


def _streams(page: Node) -> list[Node]:
    contents = page.Contents
    return list(contents) if isinstance(contents, Array) else [contents]
