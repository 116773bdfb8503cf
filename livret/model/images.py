"""Images in the guide: files in ``content/images/`` that really are PNG, JPEG or SVG.

The file is checked when the Markdown is read; WeasyPrint then reads it through the
project's confined URL fetcher like every other file.
"""

from __future__ import annotations

import io
from pathlib import Path

from livret.errors import LivretError
from livret.inputs import read_bytes
from livret.limits import MAX_TEXT_FILE_BYTES
from livret.model.svgcheck import svg_problems

IMAGES_FOLDER = "content/images"
_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
_TYPES = "a PNG, JPEG or SVG file"


def check_image(root: Path, base: Path, source: str, file: str, line: int) -> Path:
    """The image that ``source`` (relative to the Markdown file's folder ``base``) names.

    It must be a file inside the project's ``content/images/`` and a valid image.
    """
    shown = f"image '{source}'"
    folder = (root / IMAGES_FOLDER).resolve()
    if ":" in source.split("/", 1)[0] or source.startswith("/"):
        raise LivretError(
            f"{shown}: write the path of a file in {IMAGES_FOLDER}/, such as "
            "../images/screen.png (web addresses are not used)",
            file,
            line,
        )
    try:
        path = (base / source).resolve()
        exists = path.is_file()
    except (OSError, ValueError, RuntimeError):
        raise LivretError(f"{shown}: invalid path", file, line) from None
    if not path.is_relative_to(folder):
        raise LivretError(f"{shown}: images must be files in {IMAGES_FOLDER}/", file, line)
    if path.suffix.lower() not in (*_FORMATS, ".svg"):
        raise LivretError(f"{shown}: use {_TYPES}", file, line)
    if not exists:
        raise LivretError(f"{shown}: file not found", file, line)
    try:
        data = read_bytes(path, folder, shown, "image", MAX_TEXT_FILE_BYTES)
    except LivretError as error:  # a FIFO, or larger than 5 MB
        raise LivretError(f"{shown}: {error.message}", file, line) from None
    if path.suffix.lower() == ".svg":
        problems = svg_problems(data)
        if problems:
            raise LivretError(f"{shown} {problems[0].message}", file, line)
    else:
        _check_bitmap(data, _FORMATS[path.suffix.lower()], shown, file, line)
    return path


def _check_bitmap(data: bytes, expected: str, shown: str, file: str, line: int) -> None:
    """The picture decodes, and is of the type its name says."""
    from PIL import Image, UnidentifiedImageError  # imported here: --help stays light

    try:
        with Image.open(io.BytesIO(data)) as picture:
            found = picture.format
            picture.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise LivretError(f"{shown} is not {_TYPES} that can be read", file, line) from None
    if found != expected:
        raise LivretError(f"{shown} is a {found} file, not {expected}", file, line)
