"""Find and load ``livret.yaml`` (languages, locales, documents, output, edition date) and the
content file of each document."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from livret.errors import LivretError
from livret.kinds import KINDS, DocumentKind
from livret.model.schema import Date, Field, ListOf, MapOf, Record, Str
from livret.model.yamlfile import load_yaml

CONFIG_NAME = "livret.yaml"
LANG_PATTERN = r"[a-z]{2,3}(_[A-Z]{2})?"

_DOCUMENT = Record(
    {
        "template": Field(Str(r"[a-z][a-z0-9-]*", "(a template name such as 'guide')")),
        "content": Field(Str()),
    }
)
_CONFIG = Record(
    {
        "source_language": Field(Str(LANG_PATTERN, "(a language code such as 'fr')")),
        "languages": Field(
            ListOf(Str(LANG_PATTERN, "(a language code such as 'en')"), "language", 1)
        ),
        "locales": Field(MapOf(Str(), LANG_PATTERN), required=False, default={}),
        "documents": Field(MapOf(_DOCUMENT, r"[a-z0-9][a-z0-9-]*"), required=True),
        "output": Field(Str(), required=False, default="out"),
        "edition_date": Field(Date(), required=False),
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


def resolve_inside(root: Path, relative: str, file: str, key: str, line: int | None = None) -> Path:
    """Resolve a path written in a config file; it must stay inside the project."""
    try:
        candidate = (root / relative).resolve()
        candidate.is_file()  # raises for a name the system cannot handle (too long, ...)
    except (OSError, ValueError, RuntimeError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise LivretError(f"'{key}': invalid path {relative!r} ({reason})", file, line) from None
    if not candidate.is_relative_to(root.resolve()):
        raise LivretError(f"'{key}': path '{relative}' leaves the project folder", file, line)
    return candidate


def load_project(root: Path) -> Project:
    """Load and validate ``livret.yaml`` in ``root``."""
    root = root.resolve()
    raw = load_yaml(root / CONFIG_NAME, CONFIG_NAME)
    data = _CONFIG.check(raw, None, (CONFIG_NAME,))
    languages = tuple(data["languages"])
    source = data["source_language"]
    if source not in languages:
        raise LivretError(f"source_language '{source}' is not in languages", CONFIG_NAME, raw.line)
    if len(set(languages)) != len(languages):
        raise LivretError(
            "a language is listed twice in 'languages'", CONFIG_NAME, raw["languages"].line
        )
    locales = {lang: data["locales"].get(lang, lang) for lang in languages}
    for lang, name in locales.items():
        try:
            Locale.parse(name)
        except (ValueError, UnknownLocaleError):
            line = raw.get("locales", raw).line
            raise LivretError(
                f"unknown locale '{name}' for language '{lang}'", CONFIG_NAME, line
            ) from None
    documents = {}
    for doc_id, spec in data["documents"].items():
        line = raw["documents"][doc_id].line
        if spec["template"] not in KINDS:
            kinds = ", ".join(KINDS)
            raise LivretError(
                f"document '{doc_id}': unknown template '{spec['template']}' (use one of: {kinds})",
                CONFIG_NAME,
                line,
            )
        content = resolve_inside(
            root, spec["content"], CONFIG_NAME, f"documents.{doc_id}.content", line
        )
        documents[doc_id] = Document(doc_id, spec["template"], content)
    output_line = getattr(raw.get("output"), "line", None)
    output = resolve_inside(root, data["output"], CONFIG_NAME, "output", output_line)
    return Project(
        root=root,
        source_language=source,
        languages=languages,
        locales=locales,
        documents=documents,
        output=output,
        edition_date=data["edition_date"] or _date_from_environment(),
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
    """Load and validate the content file of ``document`` against its kind's schema."""
    display = project.relative(document.content)
    raw = load_yaml(document.content, display)
    data: dict[str, Any] = document.kind.schema.check(raw, None, (document.id,))
    return data
