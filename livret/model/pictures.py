"""Raster pictures of the brand kit must decode, so that a broken logo is an error on
``brand/brand.yaml`` and never a picture that WeasyPrint silently leaves out."""

from __future__ import annotations

import io

from livret.limits import MAX_IMAGE_PIXELS


def raster_problem(data: bytes) -> str | None:
    """Why a PNG or JPEG cannot be used (it does not decode, or is too large), or None."""
    from PIL import Image  # imported here: most commands never decode a picture

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return f"is {width} × {height} pixels, more than {MAX_IMAGE_PIXELS:,} in all"
            image.load()
    except Exception as error:  # Pillow raises many exception types on a broken file
        reason = str(error) or type(error).__name__
        return f"cannot be decoded as a picture ({reason})"
    return None
