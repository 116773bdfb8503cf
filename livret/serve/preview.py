"""Pictures of built PDFs: one PNG per page, a contact sheet, thumbnails and the outline.

pypdfium2 rasterises the pages and Pillow assembles the contact sheet; both are
imported here only, so commands that draw no picture never load them.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from livret.build.pipeline import BuildListener, build
from livret.build.plan import BuildOptions, Job, plan
from livret.errors import LivretError
from livret.files import atomic_write
from livret.model.brand import Chapter
from livret.model.project import Project

DEFAULT_DPI = 100
DPI_RANGE = (36, 300)

# Contact sheet layout, in pixels.
SHEET_THUMB_WIDTH = 240
SHEET_GAP = 24
SHEET_MAX_COLUMNS = 6
SHEET_BACKGROUND = (229, 231, 235)
SHEET_BORDER = (156, 163, 175)


@dataclass(frozen=True)
class Bookmark:
    """One entry of a PDF's outline: its title, depth and 1-based page."""

    title: str
    level: int
    page: int | None


@dataclass
class Preview:
    """The pictures made for one built document."""

    job: Job
    pdf: Path
    pages: list[Path]
    sheet: Path


def page_images(pdf: Path, dpi: float | None = None, width: int | None = None) -> list[Image.Image]:
    """Rasterise every page, at ``dpi`` or scaled so that each page is ``width`` pixels wide."""
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            page_width = page.get_width()
            scale = width / page_width if width else (dpi or DEFAULT_DPI) / 72
            images.append(page.render(scale=scale).to_pil().convert("RGB"))
            page.close()
        return images
    finally:
        document.close()


def page_picture(pdf: Path, page: int, width: int) -> bytes:
    """Page ``page`` (1-based) of a PDF as a PNG ``width`` pixels wide."""
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        raise ValueError(f"{pdf}: {error}") from None
    try:
        if not 1 <= page <= len(document):
            raise ValueError(f"{pdf} has no page {page}")
        sheet = document[page - 1]
        image = sheet.render(scale=width / sheet.get_width()).to_pil().convert("RGB")
        sheet.close()
        return png_bytes(image)
    finally:
        document.close()


def outline(pdf: Path) -> list[Bookmark]:
    """The PDF's bookmarks, in order."""
    document = pdfium.PdfDocument(pdf)
    try:
        marks = []
        for item in document.get_toc():
            destination = item.get_dest()
            index = destination.get_index() if destination else None
            page = index + 1 if index is not None else None
            marks.append(Bookmark(item.get_title(), item.level, page))
        return marks
    finally:
        document.close()


def pdf_title(pdf: Path) -> str:
    """The PDF's title from its metadata (empty when it has none)."""
    document = pdfium.PdfDocument(pdf)
    try:
        return str(document.get_metadata_value("Title"))
    finally:
        document.close()


def contact_sheet(pages: Sequence[Image.Image]) -> Image.Image:
    """All pages side by side on a grey sheet, up to six per row, each with a thin border."""
    if not pages:
        raise ValueError("a contact sheet needs at least one page")
    thumbs = [_fit_width(page, SHEET_THUMB_WIDTH) for page in pages]
    columns = min(len(thumbs), SHEET_MAX_COLUMNS)
    rows = math.ceil(len(thumbs) / columns)
    cell_height = max(thumb.height for thumb in thumbs)
    width = columns * SHEET_THUMB_WIDTH + (columns + 1) * SHEET_GAP
    height = rows * cell_height + (rows + 1) * SHEET_GAP
    sheet = Image.new("RGB", (width, height), SHEET_BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for number, thumb in enumerate(thumbs):
        row, column = divmod(number, columns)
        x = SHEET_GAP + column * (SHEET_THUMB_WIDTH + SHEET_GAP)
        y = SHEET_GAP + row * (cell_height + SHEET_GAP)
        sheet.paste(thumb, (x, y))
        draw.rectangle((x - 1, y - 1, x + thumb.width, y + thumb.height), outline=SHEET_BORDER)
    return sheet


def png_bytes(image: Image.Image) -> bytes:
    """A PNG encoding of ``image`` (no timestamp, so identical pages give identical files).

    zlib level 3: on the sample's pages, five times faster than ``optimize``, for files of
    about the same size (the README's pictures: 804 KB instead of 792 KB).
    """
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


@dataclass(frozen=True)
class Thumbnail:
    """One page's thumbnail: its PNG, and a key that changes only when its pixels do."""

    key: str
    png: bytes


def thumbnails(pdf: Path, width: int, previous: Sequence[Thumbnail] = ()) -> tuple[Thumbnail, ...]:
    """Every page of ``pdf`` drawn ``width`` pixels wide. A page drawn as in ``previous``
    keeps its PNG: only the pages that changed are encoded again."""
    known = {thumbnail.key: thumbnail for thumbnail in previous}
    made = []
    for image in page_images(pdf, width=width):
        digest = hashlib.sha256(f"{image.size}".encode())
        digest.update(image.tobytes())
        key = digest.hexdigest()[:16]
        made.append(known.get(key) or Thumbnail(key, png_bytes(image)))
    return tuple(made)


def write_pictures(job: Job, pdf: Path, out_dir: Path, dpi: float) -> Preview:
    """Write ``<lang>/<doc>-NN.png`` for each page and ``<lang>/<doc>-sheet.png`` (under
    ``chapters/<slug>/`` for a chapter's edition, as in ``out/``)."""
    folder = job.output(out_dir).parent
    images = page_images(pdf, dpi=dpi)
    digits = max(2, len(str(len(images))))
    pages = []
    for number, image in enumerate(images, start=1):
        path = folder / f"{job.document}-{number:0{digits}d}.png"
        atomic_write(path, png_bytes(image))
        pages.append(path)
    _remove_stale_pages(folder, job.document, set(pages))
    sheet = folder / f"{job.document}-sheet.png"
    atomic_write(sheet, png_bytes(contact_sheet(images)))
    return Preview(job, pdf, pages, sheet)


def preview(
    project: Project,
    documents: Sequence[str],
    languages: Sequence[str],
    out_dir: Path,
    dpi: float = DEFAULT_DPI,
    options: BuildOptions | None = None,
    listener: BuildListener | None = None,
    chapters: Sequence[Chapter] = (),
) -> tuple[list[Preview], list[str]]:
    """Build the documents, then draw their pages; returns the pictures and the build failures."""
    low, high = DPI_RANGE
    if not low <= dpi <= high:
        raise LivretError(f"--dpi must be between {low} and {high}, not {dpi:g}")
    jobs = plan(project, documents, languages, chapters)
    report = build(project, jobs, options or BuildOptions(), listener)
    previews = [
        write_pictures(result.job, result.path, out_dir, dpi)
        for result in report.results
        if result.path is not None
    ]
    return previews, [result.error for result in report.failed if result.error]


def _fit_width(image: Image.Image, width: int) -> Image.Image:
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _remove_stale_pages(folder: Path, document: str, keep: set[Path]) -> None:
    """Delete page pictures left from an earlier, longer edition of the document."""
    pattern = re.compile(rf"{re.escape(document)}-\d+\.png")
    for path in folder.glob(f"{document}-*.png"):
        if pattern.fullmatch(path.name) and path not in keep:
            path.unlink()
