"""Local chapters: ``brand/chapters.csv`` kept in a spreadsheet, or ``brand/chapters/<slug>.yaml``.

A chapter inherits every brand field and overrides what it sets: its name and city
appear on covers, and its contact and accounts replace the national ones.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import Any

from livret.errors import LivretError, did_you_mean
from livret.inputs import read_text
from livret.limits import MAX_CHAPTERS, MAX_TEXT_CHARS
from livret.model.brand import Chapter
from livret.model.project import Project
from livret.model.schema import (
    Field,
    MapOf,
    Record,
    Str,
    Type,
    email,
    web_address,
)
from livret.model.yamlfile import LocatedStr, load_yaml

CSV_FILE = "brand/chapters.csv"
REQUIRED_COLUMNS = ("slug", "name", "city", "email", "phone", "website")
KNOWN_COLUMNS = (*REQUIRED_COLUMNS, "address")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
ACCOUNT_PREFIX = "account_"

_YAML = Record(
    {
        "name": Field(Str()),
        "city": Field(Str()),
        "email": Field(email(), required=False),
        "phone": Field(Str(), required=False),
        "website": Field(web_address(), required=False),
        "address": Field(Str(), required=False),
        "accounts": Field(MapOf(web_address()), required=False, default={}),
    }
)


def load_chapters(project: Project) -> dict[str, Chapter]:
    """Every chapter of the project, from the CSV and the YAML files; slugs are unique."""
    chapters: dict[str, Chapter] = {}
    csv_path = project.root / CSV_FILE
    if csv_path.exists() or csv_path.is_symlink():
        for chapter in parse_csv(read_text(csv_path, project.root, CSV_FILE, "spreadsheet")):
            chapters[chapter.slug] = chapter
    folder = project.root / "brand" / "chapters"
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            display = project.relative(path)
            slug = path.stem
            if not SLUG.fullmatch(slug):
                raise LivretError(
                    f"chapter file name '{slug}' must be a slug (a-z, 0-9, -)", display
                )
            if slug in chapters:
                raise LivretError(
                    f"chapter '{slug}' is also defined in {chapters[slug].source}", display
                )
            raw = load_yaml(path, display, project.root)
            data = _YAML.check(raw, None, (slug,))
            chapters[slug] = Chapter(slug=slug, source=display, line=None, **data)
    return chapters


def select_chapters(
    chapters: dict[str, Chapter], slugs: tuple[str, ...], every: bool
) -> list[Chapter]:
    """The chapters asked for on the command line; unknown slugs are usage errors."""
    if every:
        if not chapters:
            raise LivretError(f"--all-chapters: the project has no chapters ({CSV_FILE})")
        return list(chapters.values())
    selected = []
    for slug in dict.fromkeys(slugs):
        if slug not in chapters:
            raise LivretError(
                f"unknown chapter '{slug}'{did_you_mean(slug, chapters)} ({_listed(chapters)})"
            )
        selected.append(chapters[slug])
    return selected


def _listed(chapters: dict[str, Chapter], shown: int = 12) -> str:
    """The valid slugs, for a message: ``the chapters are: aix, lille, lyon``."""
    if not chapters:
        return f"the project has no chapters: add them to {CSV_FILE}"
    slugs = sorted(chapters)
    more = f" and {len(slugs) - shown} more in {CSV_FILE}" if len(slugs) > shown else ""
    return f"the chapters are: {', '.join(slugs[:shown])}{more}"


def parse_csv(text: str, display: str = CSV_FILE) -> list[Chapter]:
    """Parse the chapters spreadsheet (comma or semicolon separated, UTF-8)."""
    if not text.strip():
        raise LivretError("file is empty", display)
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_line, header = _next_row(reader, display) or (1, [])
    columns = [name.strip() for name in header]
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            raise LivretError(f"missing column '{column}'", display, header_line)
    for column in columns:
        if column not in KNOWN_COLUMNS and not column.startswith(ACCOUNT_PREFIX):
            hint = did_you_mean(column, KNOWN_COLUMNS)
            raise LivretError(
                f"unknown column '{column}'{hint} (accounts go in account_<network>)",
                display,
                header_line,
            )
    chapters: list[Chapter] = []
    seen: dict[str, int] = {}
    while row := _next_row(reader, display):
        number, cells = row
        if len(chapters) >= MAX_CHAPTERS:
            raise LivretError(
                f"the spreadsheet may hold at most {MAX_CHAPTERS} chapters", display, number
            )
        if len(cells) > len(columns):
            raise LivretError("this row has more cells than the header", display, number)
        cells += [""] * (len(columns) - len(cells))  # short rows: empty cells
        values = {column: cell.strip() for column, cell in zip(columns, cells, strict=True)}
        if not any(values.values()):
            continue
        _check_cells(values, display, number)
        chapters.append(_chapter_from_row(values, display, number, seen))
    return chapters


def _next_row(reader: Any, display: str) -> tuple[int, list[str]] | None:
    """The next non-blank row of a ``csv.reader`` and the line it starts on, or None."""
    while True:
        line = reader.line_num + 1  # rows may span lines (quoted line breaks)
        try:
            cells = next(reader, None)
        except csv.Error as error:
            raise LivretError(f"CSV error: {error}", display, reader.line_num) from None
        if cells is None:
            return None
        if cells:
            return line, cells


def _check_cells(values: dict[str, str], display: str, line: int) -> None:
    """No cell is too long or holds a control character."""
    for column, value in values.items():
        if len(value) > MAX_TEXT_CHARS:
            raise LivretError(
                f"'{column}': a cell may hold at most {MAX_TEXT_CHARS} characters", display, line
            )
        for character in value:
            if unicodedata.category(character) == "Cc" and character not in "\t\n\r":
                raise LivretError(
                    f"'{column}': control character U+{ord(character):04X} is not allowed",
                    display,
                    line,
                )


def _chapter_from_row(
    values: dict[str, str], display: str, line: int, seen: dict[str, int]
) -> Chapter:
    slug = values["slug"]
    if not SLUG.fullmatch(slug):
        raise LivretError(f"invalid slug '{slug}' (use a-z, 0-9 and -)", display, line)
    if slug in seen:
        raise LivretError(f"duplicate slug '{slug}' (first on line {seen[slug]})", display, line)
    seen[slug] = line
    for column in ("name", "city"):
        if not values[column]:
            raise LivretError(f"'{column}' is empty for chapter '{slug}'", display, line)

    def checked(column: str, kind: Type) -> str | None:
        """A cell checked by the same schema type as the chapter YAML files use."""
        if not values.get(column):
            return None
        cell = LocatedStr(values[column])
        cell.file, cell.line = display, line
        return str(kind.check(cell, None, (column,)))

    accounts = {
        column.removeprefix(ACCOUNT_PREFIX): checked(column, web_address())
        for column, value in values.items()
        if column.startswith(ACCOUNT_PREFIX) and value
    }
    return Chapter(
        slug=slug,
        name=values["name"],
        city=values["city"],
        email=checked("email", email()),
        phone=values["phone"] or None,
        website=checked("website", web_address()),
        address=values.get("address") or None,
        accounts={network: url for network, url in accounts.items() if url},
        source=display,
        line=line,
    )
