"""Find and load ``livret.yaml`` (languages, locales, documents, output, edition date) and the
content file of each document."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from livret.errors import LivretError
from livret.kinds import KINDS, DocumentKind
from livret.model.images import IMAGES_FOLDER
from livret.model.markdown import guide_files, load_guide
from livret.model.parts import CONFIG_NAME
from livret.model.schema import (
    Choice,
    Custom,
    Date,
    Field,
    Int,
    ListOf,
    MapOf,
    ProjectPath,
    Record,
)
from livret.model.yamlfile import load_yaml

LANG_PATTERN = r"[a-z]{2,3}(_[A-Z]{2})?"


def _known_locale(name: str) -> str:
    """A locale that Babel knows, such as ``fr_FR`` or ``en``."""
    try:
        Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        raise ValueError(f"unknown locale '{name}'") from None
    return name


def _language(code: str) -> str:
    """A language code such as ``en`` or ``fr_CA`` that Babel knows."""
    if not re.fullmatch(LANG_PATTERN, code):
        raise ValueError(f"invalid value '{code}' (a language code such as 'en')")
    return _known_locale(code)


GNU_PO_WIDTH = 79  # msgmerge's and Poedit's default


def _schema(root: Path) -> Record:
    """The schema of ``livret.yaml``: its paths must stay inside ``root``."""
    language = Custom(_language)
    document = Record(
        {"template": Field(Choice(KINDS, "template")), "content": Field(ProjectPath(root))}
    )
    return Record(
        {
            "source_language": Field(language),
            "languages": Field(ListOf(language, "language", 1, unique=True)),
            "locales": Field(
                MapOf(Custom(_known_locale), LANG_PATTERN), required=False, default={}
            ),
            "documents": Field(MapOf(document, r"[a-z0-9][a-z0-9-]*"), required=True),
            "output": Field(ProjectPath(root), required=False),
            "edition_date": Field(Date(), required=False),
            # Columns at which catalogs are wrapped, as msgcat --width (0: no wrapping).
            "po_width": Field(Int(0), required=False, default=GNU_PO_WIDTH),
        }
    )


@dataclass(frozen=True)
class Document:
    """One document of the project: its id, template kind and content file."""

    id: str
    template: str
    content: Path

    @property
    def kind(self) -> DocumentKind:
        return KINDS[self.template]


@dataclass(frozen=True)
class Project:
    """A loaded ``livret.yaml`` and the paths derived from it."""

    root: Path
    source_language: str
    languages: tuple[str, ...]
    locales: dict[str, str]
    documents: dict[str, Document]
    output: Path
    edition_date: dt.date
    po_width: int = GNU_PO_WIDTH

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def brand_file(self) -> Path:
        return self.root / "brand" / "brand.yaml"

    def locale(self, lang: str) -> str:
        """The Babel locale identifier of a language, e.g. ``fr_FR`` for ``fr``."""
        return self.locales.get(lang, lang)

    def relative(self, path: Path) -> str:
        """A project path as shown to users in messages."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def find_root(start: Path) -> Path:
    """Return the folder holding ``livret.yaml``, searching ``start`` and its parents."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise LivretError(f"no {CONFIG_NAME} found in {start} or its parents (use --project DIR)")


def load_project(root: Path) -> Project:
    """Load and validate ``livret.yaml`` in ``root``."""
    root = root.resolve()
    raw = load_yaml(root / CONFIG_NAME, CONFIG_NAME, root)
    data = _schema(root).check(raw, None, (CONFIG_NAME,))
    languages = tuple(data["languages"])
    source = data["source_language"]
    if source not in languages:
        raise LivretError(f"source_language '{source}' is not in languages", CONFIG_NAME, raw.line)
    locales = {lang: data["locales"].get(lang, lang) for lang in languages}
    output = data["output"] or ProjectPath(root).check("out", raw, (CONFIG_NAME, "output"))
    if output.exists() and not output.is_dir():
        line = raw["output"].line if "output" in raw else raw.line
        raise LivretError(f"'output': {output.name} is a file, not a folder", CONFIG_NAME, line)
    return Project(
        root=root,
        source_language=source,
        languages=languages,
        locales=locales,
        documents={doc_id: Document(doc_id, **spec) for doc_id, spec in data["documents"].items()},
        output=output,
        edition_date=data["edition_date"] or _date_from_environment(),
        po_width=data["po_width"],
    )


def _date_from_environment() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        raise LivretError("set 'edition_date' (YYYY-MM-DD) or SOURCE_DATE_EPOCH", CONFIG_NAME)
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    except (ValueError, OverflowError):
        raise LivretError(f"SOURCE_DATE_EPOCH is not a number of seconds: '{epoch}'") from None


def load_content(project: Project, document: Document) -> dict[str, Any]:
    """Load and validate the content of ``document`` against its kind's schema."""
    if document.kind.markdown:
        raw = load_guide(project.root, document.content)
    else:
        raw = load_yaml(document.content, project.relative(document.content), project.root)
    data: dict[str, Any] = document.kind.schema.check(raw, None, (document.id,))
    return data


def content_files(project: Project, document: Document) -> list[Path]:
    """The files that the content of ``document`` is read from: its YAML file, or the
    Markdown files of a guide and the images they may show."""
    if not document.kind.markdown or not document.content.is_dir():
        return [document.content]
    images = project.root / IMAGES_FOLDER
    pictures = sorted(path for path in images.rglob("*") if path.is_file())
    return [*guide_files(document.content), *pictures]
