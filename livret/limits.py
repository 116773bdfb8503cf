"""The declared limits on what an input may hold.

Each limit is checked where the input is read, and going over it is a user error that
names the file (and the line where there is one). SECURITY.md lists them.
"""

from __future__ import annotations

MEGABYTE = 1024 * 1024

MAX_TEXT_FILE_BYTES = 5 * MEGABYTE  # livret.yaml, brand, chapters, content, catalogs, templates
MAX_BINARY_FILE_BYTES = 32 * MEGABYTE  # fonts and images (the logo, what templates load)
MAX_IMAGE_PIXELS = 25_000_000  # pixels of a PNG or JPEG logo (5000 × 5000)
MAX_NESTING = 32  # levels of YAML lists and mappings inside one another
MAX_ITEMS = 1000  # entries of one YAML list or mapping
MAX_CHAPTERS = 10_000  # rows of the chapters spreadsheet
MAX_TEXT_CHARS = 20_000  # characters of one YAML value, spreadsheet cell or translation
MAX_NUMBER_DIGITS = 15  # digits of a number written in content (a figure, a range, a size)
MAX_WEB_ADDRESS_CHARS = 300  # characters of a website or account address (it becomes a QR code)
MAX_PLURAL_FORMS = 6  # nplurals in a catalog's Plural-Forms header (Arabic has 6)
MAX_PLURAL_EXPRESSION = 200  # characters of its plural= expression (Arabic's is about 80)
MAX_CHECKLIST_ITEMS = 100  # items of one checklist, all groups together (one page holds ~40)


def size_text(limit: int) -> str:
    """``5 MB`` for a limit in bytes."""
    return f"{limit // MEGABYTE} MB"
