"""Message extraction: content (the guide's Markdown, YAML), brand texts and Jinja templates into
``locales/livret.pot``.

``extract_content_yaml`` is also registered as the Babel extractor ``livret_yaml``, so
``pybabel extract -F babel.cfg`` produces the same messages.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from babel.messages.catalog import Catalog
from babel.messages.extract import extract

from livret import __version__
from livret.i18n.placeholders import to_catalog
from livret.inputs import read_bytes
from livret.limits import MAX_TEXT_FILE_BYTES
from livret.model.brand import BRAND_FILE, load_brand
from livret.model.content import messages
from livret.model.project import Project, find_root, load_content, load_project
from livret.model.schema import Message

TEMPLATE_KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true", "newstyle_gettext": "true"}


def source_messages(project: Project) -> Iterator[tuple[str, Message]]:
    """Every translatable message of the brand and the content, with its document name."""
    brand = load_brand(project)
    yield "brand", brand.tagline
    yield "brand", brand.legal
    seen: set[Path] = set()
    for document in sorted(project.documents.values(), key=lambda doc: _walk_order(doc.content)):
        if document.content in seen:
            continue
        seen.add(document.content)
        for message in messages(load_content(project, document)):
            yield document.id, message


def _walk_order(path: Path) -> tuple[tuple[str, ...], str]:
    """Files in the order ``pybabel extract`` walks them: a folder's files, then its
    subfolders; a guide's folder of Markdown files is one of those subfolders."""
    return (path.parts, "") if path.is_dir() else (path.parent.parts, path.name)


def build_template(project: Project) -> Catalog:
    """The ``.pot`` catalog of the project, in document order, with no clock in it."""
    created = dt.datetime.combine(project.edition_date, dt.time(), dt.UTC)
    catalog = Catalog(
        project="livret",
        version=__version__,
        copyright_holder=None,
        msgid_bugs_address=None,
        creation_date=created,
        revision_date=created,
        fuzzy=False,
    )
    for _document, message in source_messages(project):
        _add(catalog, message)
    for path in sorted(project.templates_dir.rglob("*.j2")):
        relative = project.relative(path)
        source = read_bytes(path, project.root, relative, "template", MAX_TEXT_FILE_BYTES)
        for lineno, msgid, comments, context in extract(
            "jinja2",
            io.BytesIO(source),
            keywords=TEMPLATE_KEYWORDS,
            comment_tags=("NOTE:",),
            options=JINJA_OPTIONS,
        ):
            existing = catalog.get(msgid, context)
            locations = [*(existing.locations if existing else []), (relative, lineno)]
            auto = list(existing.auto_comments) if existing else []
            auto += [c for c in comments if c not in auto]
            catalog.add(msgid, locations=locations, auto_comments=auto, context=context)
    return catalog


def _add(catalog: Catalog, message: Message) -> None:
    comments = [message.place] if message.place else []
    if message.note:
        comments.append(f"NOTE: {message.note}")
    msgid = to_catalog(message.text)
    existing = catalog.get(msgid, message.context)
    if existing is not None:
        existing.locations.append((message.file, message.line))
        existing.auto_comments.extend(c for c in comments if c not in existing.auto_comments)
        return
    flags = ["python-brace-format"] if "{" in message.text else []
    catalog.add(
        msgid,
        locations=[(message.file, message.line)],
        auto_comments=comments,
        context=message.context,
        flags=flags,
    )


def extract_content_yaml(
    fileobj: BinaryIO,
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel extractor for livret content (YAML and the guide's Markdown) and the brand, as
    in ``babel.cfg``."""
    path = Path(getattr(fileobj, "name", "")).resolve()
    project = load_project(find_root(path.parent))
    wanted = project.relative(path)
    for _document, message in source_messages(project):
        if message.file != wanted and not (wanted == BRAND_FILE and message.file == BRAND_FILE):
            continue
        comments = [message.place] + ([f"NOTE: {message.note}"] if message.note else [])
        msgid = to_catalog(message.text)
        if message.context:
            yield message.line, "pgettext", (message.context, msgid), comments
        else:
            yield message.line, "gettext", msgid, comments


def pot_path(project: Project) -> Path:
    return project.locales_dir / "livret.pot"


def write_template(project: Project) -> tuple[Path, int]:
    """Regenerate ``locales/livret.pot``; returns its path and message count."""
    from livret.i18n.po import template_entries, write_catalog

    template = template_entries(build_template(project))
    path = pot_path(project)
    write_catalog(template, path, project.po_width)
    return path, len(template)
