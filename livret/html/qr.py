"""QR codes for print: vector SVG from segno, as ``data:`` URIs for an ``<img>``."""

from __future__ import annotations

from functools import cache

import segno

# Two modules of quiet zone inside the image; templates leave white space around it.
_BORDER = 2


@cache
def qr_data_uri(url: str, dark: str = "#000000") -> str:
    """A ``data:image/svg+xml`` URI of the QR code of ``url`` (error correction M)."""
    code = segno.make(url, error="m", micro=False)
    return str(code.svg_data_uri(dark=dark, border=_BORDER, omitsize=True))
