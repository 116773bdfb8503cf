"""Raster pictures of the brand kit must decode, so that a broken logo is an error on
``brand/brand.yaml`` and never a picture that WeasyPrint silently leaves out."""

from __future__ import annotations

import io
import warnings

from livret.limits import MAX_IMAGE_PIXELS


def raster_problem(data: bytes) -> str | None:
    """Why a PNG or JPEG cannot be used (it does not decode, or is too large), or None."""
    from PIL import Image, UnidentifiedImageError  # imported here: few commands need it

    too_large = f"has more than {MAX_IMAGE_PIXELS:,} pixels"
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return f"is {width} × {height} pixels: it {too_large}"
                image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return too_large
        except UnidentifiedImageError:
            return "cannot be decoded as a picture"
        except Exception as error:  # Pillow raises many exception types on a broken file
            reason = str(error) or type(error).__name__
            return f"cannot be decoded as a picture ({reason})"
    return None
