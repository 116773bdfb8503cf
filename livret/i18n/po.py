"""PO and POT files of a project: where they live, reading them, writing them.

Catalogs are read with the strict reader of :mod:`livret.i18n.pofile` (a syntax error is
a user error with the file and line) and written as GNU gettext writes them, at the
project's ``po_width``, so that msgmerge, Poedit and livret agree byte for byte.
Babel builds the template (extraction); it never reads or writes a catalog.
"""

from __future__ import annotations

from pathlib import Path

import polib
from babel.messages.catalog import Catalog, Message

from livret.files import atomic_write
from livret.i18n import placeholders
from livret.i18n.pofile import GNU_WIDTH, dump, parse
from livret.model.yamlfile import read_text

DOMAIN = "livret"
Key = tuple[str | None, str]  # (msgctxt, msgid)
# Headers that only add noise to diffs: a tool version, and Babel's placeholder address.
_DROPPED_HEADERS = {("Generated-By", None), ("Report-Msgid-Bugs-To", "EMAIL@ADDRESS")}


def entry_key(entry: polib.POEntry) -> Key:
    """The context and the (singular) msgid of an entry."""
    return entry.msgctxt, entry.msgid


def catalog_path(locales_dir: Path, lang: str) -> Path:
    """Where the catalog of ``lang`` lives."""
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, display: str) -> polib.POFile:
    """A PO file read strictly; each entry's ``linenum`` is the line of its ``msgid``."""
    return parse(read_text(path, display), display)  # size cap and UTF-8 errors, with the line


def write_catalog(po: polib.POFile, path: Path, width: int = GNU_WIDTH) -> None:
    """Write a catalog atomically, laid out as GNU gettext does at ``width``."""
    atomic_write(path, dump(po, width).encode("utf-8"))


def _flags(message_id: str, flags: set[str]) -> list[str]:
    """Keep ``python-format`` only when the msgid has a ``%`` placeholder or a ``%%``
    percent sign, so that Poedit and ``msgfmt -c`` check that translations keep them."""
    if not placeholders.percent(message_id) and "%%" not in message_id:
        flags = flags - {"python-format"}
    return sorted(flags)


def _entry(message: Message) -> polib.POEntry:
    ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
    return polib.POEntry(
        msgid=ids[0],
        msgid_plural=ids[1] if len(ids) > 1 else "",
        msgctxt=message.context,
        occurrences=[(file, str(line) if line else "") for file, line in message.locations],
        comment="\n".join(message.auto_comments),
        flags=_flags(ids[-1], set(message.flags)),
    )


def template_entries(catalog: Catalog) -> polib.POFile:
    """The extracted template (a Babel catalog) as PO entries, header included."""
    po = polib.POFile()
    po.metadata = {
        name: value
        for name, value in catalog.mime_headers
        if (name, None) not in _DROPPED_HEADERS and (name, value) not in _DROPPED_HEADERS
    }
    po.extend(_entry(message) for message in catalog if message.id)
    return po
