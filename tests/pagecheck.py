"""Print checks on built PDFs: running headers, empty bands, line ends, text margins and
ruled lines.

Everything here reads the finished PDF with pypdfium2 (the engine of Chrome's viewer):
text with its position, and pages rendered to pixels; ruled lines are also drawn by
poppler.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
from PIL import Image

MM = 72 / 25.4
# pdfium's mark for a hyphen at the end of a line (the line break itself is dropped).
LINE_END_HYPHEN = "\ufffe"
# The running header sits in the top margin (8 % of the page height in base.css),
# above this share of the page height from the top edge.
HEADER_SHARE = 0.075


@dataclass(frozen=True)
class Chapter:
    """A chapter as the outline gives it: its label, page (0-based) and top (PDF points)."""

    title: str
    page: int
    top: float


def chapters(path: Path) -> list[Chapter]:
    """The outline's numbered top-level entries (the chapters), in order."""
    pdf = pypdf.PdfReader(str(path))
    chapter_list = []
    for item in pdf.outline:
        title = "" if isinstance(item, list) else " ".join(item.title.split())
        if re.match(r"\d+ ", title):
            page = pdf.get_destination_page_number(item)
            chapter_list.append(Chapter(title, page, float(item.top)))
    return chapter_list


def _text_page(path: Path) -> Iterator[tuple[int, pdfium.PdfPage, pdfium.PdfTextPage]]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            yield index, page, page.get_textpage()
    finally:
        pdf.close()


def page_texts(path: Path) -> list[str]:
    """The text of every page as pdfium reads it, line-end hyphens marked."""
    return [text.get_text_range() for _, _, text in _text_page(path)]


def header_texts(path: Path) -> list[str]:
    """The text printed in the top margin of every page (the running header)."""
    headers = []
    for _, page, text in _text_page(path):
        width, height = page.get_size()
        band = text.get_text_bounded(0, height * (1 - HEADER_SHARE), width, height)
        headers.append(" ".join(band.split()))
    return headers


def text_in(path: Path, page_index: int, box: tuple[float, float, float, float]) -> str:
    """The text of a page inside ``box`` (left, bottom, right, top in PDF points)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdf[page_index].get_textpage().get_text_bounded(*box)
    finally:
        pdf.close()


def halves(path: Path) -> list[tuple[str, str]]:
    """The text of the left and the right half of every page (of a booklet)."""
    texts = []
    for _, page, text in _text_page(path):
        width, height = page.get_size()
        left = text.get_text_bounded(0, 0, width / 2, height)
        texts.append((left, text.get_text_bounded(width / 2, 0, width, height)))
    return texts


def letters(value: str) -> str:
    """Letters only, lowercased: what survives line breaks and hyphens, and the order in
    which pdfium reads it (the numbers of steps are drawn apart from their text)."""
    return re.sub(r"[\W\d_]+", "", value).lower()


def text_above(path: Path, page_index: int, top: float) -> str:
    """The page's text between ``top`` (PDF points) and the header band."""
    for index, page, text in _text_page(path):
        if index == page_index:
            width, height = page.get_size()
            bottom = height * (1 - HEADER_SHARE)
            return text.get_text_bounded(0, top + 1, width, bottom).strip()
    raise IndexError(page_index)


def chapter_at_top(chapter_list: list[Chapter], path: Path, page_index: int) -> str:
    """The header a page should carry: the chapter in force at its top, or "" on a page
    that opens with a chapter title."""
    in_force = ""
    for chapter in chapter_list:
        if chapter.page < page_index:
            in_force = chapter.title
        elif chapter.page == page_index and not text_above(path, page_index, chapter.top):
            return ""
    return in_force


def text_extents(path: Path) -> list[tuple[float, float, float, float]]:
    """Per page, the distance in mm from the outermost text to the left, bottom, right and
    top edges of the page (the trim box)."""
    extents = []
    for _, page, text in _text_page(path):
        width, height = page.get_size()
        boxes = [text.get_charbox(i) for i in range(text.count_chars())]
        boxes = [box for box in boxes if box[2] > box[0] and box[3] > box[1]]
        left = min(box[0] for box in boxes)
        bottom = min(box[1] for box in boxes)
        right = max(box[2] for box in boxes)
        top = max(box[3] for box in boxes)
        extents.append((left / MM, bottom / MM, (width - right) / MM, (height - top) / MM))
    return extents


def empty_bands(path: Path, top: float, bottom: float, scale: float = 0.5) -> list[float]:
    """Per page, the tallest band with nothing printed in it, as a share of the type area.

    ``top`` and ``bottom`` are the page margins as shares of the page height: the band is
    measured between them (the running header and the footer sit outside). A pixel
    counts as printed when it differs from the page's background, read in the top-left
    corner.
    """
    shares = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            image = pdf[index].render(scale=scale, grayscale=True).to_pil().convert("L")
            width, height = image.size
            pixels = image.tobytes()
            background = pixels[0]
            first = round(top * height)
            last = height - round(bottom * height)
            tallest = run = 0
            for row in range(first, last):
                line = pixels[row * width : (row + 1) * width]
                if max(line) - background > 12 or background - min(line) > 12:
                    run = 0
                else:
                    run += 1
                    tallest = max(tallest, run)
            shares.append(tallest / (last - first))
    finally:
        pdf.close()
    return shares


_LETTERS = re.compile(r"[^\W\d_]+$")
_LEADING_LETTERS = re.compile(r"^[^\W\d_]+")


def hyphen_breaks(page_text: str) -> list[tuple[str, str]]:
    """Every word broken by a hyphen at a line end: (letters before, letters after)."""
    breaks = []
    for before, after in zip(
        page_text.split(LINE_END_HYPHEN)[:-1], page_text.split(LINE_END_HYPHEN)[1:], strict=True
    ):
        head = _LETTERS.search(before)
        tail = _LEADING_LETTERS.search(after)
        breaks.append((head.group() if head else "", tail.group() if tail else ""))
    return breaks


def token_breaks(page_text: str, token: str) -> list[str]:
    """Where ``token`` (a URL, address or handle) is split over two lines on this page:
    for each split, the token up to the break, ending in ``LINE_END_HYPHEN`` when the
    line ends with a hyphen there."""
    parts = []
    for char in token:
        parts.append(f"(?:-|{LINE_END_HYPHEN})" if char == "-" else re.escape(char))
        parts.append("(?:\r\n)?")
    breaks = []
    for match in re.finditer("".join(parts[:-1]), page_text):
        text = match.group()
        for split in re.finditer(f"\r\n|{LINE_END_HYPHEN}", text):
            hyphen = split.group() == LINE_END_HYPHEN
            breaks.append(text[: split.end() if hyphen else split.start()])
    return breaks


def ruled_lines(image: Image.Image) -> int:
    """How many horizontal lines cross ``image`` (a greyscale crop) from side to side: runs
    of rows whose median pixel is darker than the paper."""
    width, height = image.size
    dark = [
        statistics.median(image.getpixel((x, y)) for x in range(0, width, 2)) < 245
        for y in range(height)
    ]
    return sum(1 for y in range(1, height) if dark[y] and not dark[y - 1])


def ruled_lines_drawn(
    path: Path, index: int, box: tuple[float, float, float, float], dpi: int
) -> dict[str, int]:
    """The ruled lines that pdfium and poppler each draw at ``dpi`` in ``box`` (left, top,
    right, bottom, in pt from the top-left corner) of page ``index``."""
    pixels = tuple(round(value * dpi / 72) for value in box)
    document = pdfium.PdfDocument(path)
    try:
        drawn = {"pdfium": document[index].render(scale=dpi / 72).to_pil().convert("L")}
    finally:
        document.close()
    with tempfile.TemporaryDirectory() as folder:
        page = str(index + 1)
        prefix = f"{folder}/page"
        poppler = ["pdftoppm", "-r", str(dpi), "-gray", "-f", page, "-l", page, "-singlefile"]
        subprocess.run([*poppler, str(path), prefix], check=True)
        drawn["poppler"] = Image.open(f"{prefix}.pgm").copy()
    return {name: ruled_lines(image.crop(pixels)) for name, image in drawn.items()}
