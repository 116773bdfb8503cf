"""The one place that reads WeasyPrint's private box tree: how much of a page its content
fills, and the HTML element tree a page was laid out from.

A laid-out ``weasyprint.Page`` has no public way to tell the height of its content or to
reach its HTML, so :func:`content_heights` and :func:`root_element` read
``Page._page_box`` and the boxes under it, as do :func:`boxes_of_class` and
:func:`place_of_class` and :func:`holds_only`. They are stable
within the WeasyPrint release that ``pyproject.toml`` pins (:data:`SUPPORTED_WEASYPRINT`);
``tests/test_fit.py`` measures known pages with it and fails first if an upgrade changes them.
"""

from __future__ import annotations

from typing import Any

SUPPORTED_WEASYPRINT = "70."  # the release line this module was written against


def content_heights(page: Any) -> tuple[float, float]:
    """The height of a laid-out page's flow content and of its content area, in CSS px."""
    page_box = page._page_box
    used = max(0.0, _content_bottom(page_box) - page_box.content_box_y())
    return used, float(page_box.height)


def root_element(page: Any) -> Any:
    """The ``<html>`` element (an ElementTree element) that a laid-out page comes from."""
    return page._page_box.children[0].element


def _content_bottom(page_box: Any) -> float:
    """The lowest edge of the page's flow content: its lines, images and empty boxes.

    Containers are left out: a container cut by a page break stretches to the page end.
    """
    from weasyprint.formatting_structure.boxes import MarginBox, ParentBox

    bottom = 0.0
    for root in page_box.children:
        if isinstance(root, MarginBox):
            continue
        for box in root.descendants():
            if isinstance(box, ParentBox) and box.children:
                continue
            bottom = max(bottom, box.border_box_y() + box.border_height())
    return float(bottom)


def boxes_of_class(page: Any, css_class: str) -> list[tuple[Any, float]]:
    """The block-level boxes of ``css_class`` on a laid-out page (a block, a grid, a flex
    container): each one's HTML element, and how far its lowest child runs below the box's
    own height, in CSS px (0 or less: it holds)."""
    from weasyprint.formatting_structure.boxes import BlockLevelBox, ParentBox

    found = []
    for box in page._page_box.descendants():
        if not isinstance(box, BlockLevelBox) or not isinstance(box, ParentBox):
            continue
        element = box.element
        if box.children and element is not None and css_class in element.get("class", "").split():
            bottom = max(child.position_y + child.margin_height() for child in box.children)
            found.append((element, float(bottom - (box.content_box_y() + box.height))))
    return found


def place_of_class(page: Any, css_class: str) -> tuple[float, float] | None:
    """The top and the height of the border box of the first box of ``css_class`` on a
    laid-out page, in CSS px; None when the page has none."""
    for box in page._page_box.descendants():
        element = box.element
        if element is not None and css_class in element.get("class", "").split():
            return float(box.border_box_y()), float(box.border_height())
    return None


def holds_only(page: Any, css_class: str) -> bool:
    """Whether the page's body holds nothing but one element of ``css_class``: a chain of
    only children, with no text of their own, leads down to it."""
    element = root_element(page).find("body")
    while element is not None and css_class not in element.get("class", "").split():
        children = list(element)
        if len(children) != 1 or (element.text or "").strip() or (children[0].tail or "").strip():
            return False
        element = children[0]
    return element is not None
