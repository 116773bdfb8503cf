"""Paper sizes that documents can be printed on, as CSS ``@page`` sizes."""

from __future__ import annotations

from livret.errors import LivretError

# CSS page sizes (keywords are case-insensitive), also used as labels in messages.
PAPER_SIZES = {"a4": "A4", "letter": "Letter", "a5": "A5"}
DEFAULT_PAPER = "a4"


def page_size(paper: str) -> str:
    """The CSS ``size`` value of a paper name such as ``a4`` or ``letter``."""
    try:
        return PAPER_SIZES[paper]
    except KeyError:
        choices = ", ".join(PAPER_SIZES)
        raise LivretError(f"unknown paper size '{paper}' (use one of: {choices})") from None
