"""Chapter editions of a long document, made from shared national pages.

When a batch builds the guide for many chapters, only the cover and the back cover carry
chapter data. Each chapter's two pages are rendered alone (a two-page PDF, finished like
any other), and spliced into the finished national PDF with pikepdf.

Method (chosen over WeasyPrint's ``Document.copy()``, whose maintainer calls it unreliable
for metadata, fonts and counters): the national cover and back-cover page objects are kept,
so the outline, the contents page's links and the named destinations stay valid, and they
receive the chapter pages' content stream (as an indirect object, as every reader
requires), resources and annotations. The structure tree can be spliced soundly because
WeasyPrint builds it page by page: the Document element's children are, page after page,
the elements of each page, and the parent tree has one entry per page plus one per
annotation. So the national elements of the two pages are replaced by the chapter's, the
two pages' parent-tree entries by the chapter's, and the chapter's annotations get fresh
``/StructParent`` numbers. The result reads, draws and is tagged like a full render of the
chapter's guide (``tests/test_standards.py`` compares the two element by element).

When the shapes do not fit (page counts, or a bookmark or anchor on a swapped page, whose
position would be the national one), ``merge_edition`` returns ``None`` and the caller
renders in full.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array

from livret.pdf.streams import Node
from livret.pdf.tags import ParentTree, child_elements, descendants, kids

EDITION_PAGES = 2  # the cover and the back cover


def merge_edition(national: bytes, edition: bytes) -> bytes | None:
    """The national PDF with its first and last pages taken from ``edition``.

    Returns ``None`` when the shapes do not fit (the caller then renders in full).
    """
    with pikepdf.open(io.BytesIO(national)) as base, pikepdf.open(io.BytesIO(edition)) as pages:
        if len(pages.pages) != EDITION_PAGES or len(base.pages) <= EDITION_PAGES:
            return None
        targets = [base.pages[0].obj, base.pages[len(base.pages) - 1].obj]
        if _pointed_at(base, targets) or not _tagged(base) or not _tagged(pages):
            return None
        tree = ParentTree(base.Root.StructTreeRoot)
        for index, target in enumerate(targets):
            _splice_page(base, tree, target, pages, index)
        tree.save()
        output = io.BytesIO()
        base.save(output, compress_streams=False, deterministic_id=True)
    return output.getvalue()


def _tagged(pdf: pikepdf.Pdf) -> bool:
    return "/StructTreeRoot" in pdf.Root and all("/StructParents" in p.obj for p in pdf.pages)


def _pointed_at(pdf: pikepdf.Pdf, targets: list[Node]) -> bool:
    """True when a bookmark or a named destination points to one of ``targets``."""
    wanted = {target.objgen for target in targets}
    empty = pikepdf.Dictionary()
    names: Node = pdf.Root.get("/Names", empty).get("/Dests", empty).get("/Names", Array())
    destinations = [names[i] for i in range(1, len(names), 2)]
    stack = [pdf.Root.get("/Outlines", empty).get("/First")]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary):
            destinations.append(item.get("/Dest"))
            stack += [item.get("/Next"), item.get("/First")]
    return any(
        isinstance(dest, Array) and len(dest) and dest[0].objgen in wanted for dest in destinations
    )


def _splice_page(
    base: pikepdf.Pdf, tree: ParentTree, target: Node, edition: pikepdf.Pdf, index: int
) -> None:
    """Give national page ``target`` the content and structure of ``edition``'s page ``index``."""
    source = edition.pages[index].obj
    source_tree = ParentTree(edition.Root.StructTreeRoot)
    document = edition.Root.StructTreeRoot.K[0]
    tops = [e for e in child_elements(document) if e.get("/Pg") == source]
    annotations = list(source.get("/Annots", Array()))
    owners = [source_tree.entries[int(a.StructParent)] for a in annotations]
    # References to the edition's page become a marker before copying (qpdf would drop
    # them), and the national page after.
    for element in tops:
        del element["/P"]
    for item in [*(e for top in tops for e in descendants(top)), *_object_refs(tops)]:
        for key in ("/Pg", "/P"):
            if item.get(key) == source:
                item[key] = pikepdf.Name.ThisPage
    for annotation in annotations:
        if annotation.get("/P") == source:
            annotation.P = pikepdf.Name.ThisPage
    bundle = edition.make_indirect(
        Array(
            [
                source.Contents,
                source.Resources,
                Array(annotations),
                Array(owners),
                Array(tops),
                source_tree.entries[int(source.StructParents)],
            ]
        )
    )
    contents, resources, new_annotations, new_owners, new_tops, mapping = base.copy_foreign(bundle)
    copied = [*new_annotations, *(e for top in new_tops for e in descendants(top))]
    copied += _object_refs(new_tops)
    for item in copied:
        for key in ("/Pg", "/P"):
            if item.get(key) == pikepdf.Name.ThisPage:
                item[key] = target

    for old in target.get("/Annots", Array()):
        tree.entries.pop(int(old.get("/StructParent", -1)), None)
    target.Contents = contents
    target.Resources = resources
    if len(new_annotations):
        for annotation, owner in zip(new_annotations, new_owners, strict=True):
            annotation.StructParent = number = tree.next_key()
            tree.entries[number] = owner
        target.Annots = new_annotations
    elif "/Annots" in target:
        del target["/Annots"]
    tree.entries[int(target.StructParents)] = mapping

    national_document = base.Root.StructTreeRoot.K[0]
    siblings = kids(national_document)
    on_page = [i for i, e in enumerate(siblings) if e.get("/Pg") == target]
    start = on_page[0] if on_page else (0 if index == 0 else len(siblings))
    for i in reversed(on_page):
        del siblings[i]
    for offset, element in enumerate(new_tops):
        element.P = national_document
        siblings.insert(start + offset, element)


def _object_refs(elements: Node) -> list[Node]:
    """The ``/OBJR`` dictionaries (links to annotations) under ``elements``."""
    return [
        kid
        for top in elements
        for element in descendants(top)
        for kid in kids(element)
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
    ]
