"""PO and POT files: where they live, reading them, and writing files that GNU ``msgfmt -c``
and Poedit accept.

Babel builds and merges catalogs; polib writes them, because Babel's writer breaks
long ``#|`` previous-msgid lines, and Babel's reader drops them, so they are read back
with polib. Lines are wrapped at 76 columns.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po

from livret.errors import LivretError
from livret.files import atomic_write
from livret.i18n import placeholders
from livret.model.yamlfile import MAX_FILE_BYTES, read_text

DOMAIN = "livret"
Key = tuple[str | None, str]  # (msgctxt, msgid)
WIDTH = 76
# Headers that only add noise to diffs: a tool version, and Babel's placeholder address.
_DROPPED_HEADERS = {("Generated-By", None), ("Report-Msgid-Bugs-To", "EMAIL@ADDRESS")}


def message_key(message: Message) -> Key:
    """The context and the (singular) msgid of a Babel message."""
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return message.context, str(msgid)


def catalog_path(locales_dir: Path, lang: str) -> Path:
    """Where the catalog of ``lang`` lives."""
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, display: str) -> Catalog:
    """Parse a PO file; syntax errors become user errors with the line."""
    text = read_text(path, display)  # size cap, missing file and UTF-8 errors, with the line
    try:
        # Babel cannot parse the previous msgid of an obsolete entry (``#~|``, as
        # msgmerge writes it); a blank line in its place keeps the line numbers.
        lines = ["\n" if line.startswith("#~|") else line for line in text.splitlines(True)]
        return read_po(lines, abort_invalid=True)
    except PoFileError as error:
        line = error.lineno + 1 if isinstance(error.lineno, int) else None
        problem = re.sub(r" on \d+$", "", str(error.args[0]))  # Babel appends a 0-based line
        raise LivretError(f"PO syntax error: {problem}", display, line) from None
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as error:
        raise LivretError(f"invalid PO file: {error}", display) from None


def _headers(catalog: Catalog) -> dict[str, str]:
    return {
        name: value
        for name, value in catalog.mime_headers
        if (name, None) not in _DROPPED_HEADERS and (name, value) not in _DROPPED_HEADERS
    }


def _flags(message_id: str, flags: set[str]) -> list[str]:
    """Keep ``python-format`` only when the msgid has a real ``%`` placeholder."""
    if not placeholders.percent(message_id):
        flags = flags - {"python-format"}
    return sorted(flags)


def to_polib(catalog: Catalog) -> polib.POFile:
    """Convert a Babel catalog, obsolete entries and previous msgids included."""
    po = polib.POFile(wrapwidth=WIDTH)
    po.metadata = _headers(catalog)
    active = [(message, False) for message in catalog]
    for message, obsolete in (*active, *((m, True) for m in catalog.obsolete.values())):
        if not message.id:
            continue
        is_plural = isinstance(message.id, (list, tuple))
        ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
        msgid = ids[0]
        entry = polib.POEntry(
            msgid=msgid,
            msgctxt=message.context,
            occurrences=[(file, str(line) if line else "") for file, line in message.locations],
            comment="\n".join(message.auto_comments),
            tcomment="\n".join(message.user_comments),
            flags=_flags(ids[-1], set(message.flags)),
            obsolete=obsolete,
        )
        if is_plural:
            entry.msgid_plural = ids[1]
            strings = list(message.string) if isinstance(message.string, (list, tuple)) else []
            strings += [""] * (catalog.num_plurals - len(strings))  # one per plural form
            entry.msgstr_plural = dict(enumerate(strings))
        else:
            entry.msgstr = message.string or ""
        if message.previous_id and not obsolete:  # polib cannot read "#~|" back
            previous = message.previous_id
            entry.previous_msgid = previous[0] if previous else None
            if len(previous) > 1:
                entry.previous_msgid_plural = previous[1]
        po.append(entry)
    return po


def write_catalog(catalog: Catalog, path: Path) -> None:
    """Write a catalog atomically in the standard PO format."""
    atomic_write(path, to_polib(catalog).__unicode__().encode("utf-8"))


def read_entries(path: Path, display: str) -> polib.POFile:
    """A PO file as polib reads it: raw plural forms, previous msgids, entry line numbers."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise LivretError("file is larger than 5 MB", display)
    try:
        return polib.pofile(str(path), wrapwidth=WIDTH, encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise LivretError(f"invalid PO file: {error}", display) from None


def read_for_update(path: Path, display: str) -> Catalog:
    """A catalog read with Babel, with translator comments and previous msgids from polib.

    Babel's reader turns ``#| msgid`` lines into translator comments; polib reads both right.
    """
    catalog = read_catalog(path, display)
    obsolete = {message_key(m): m for m in catalog.obsolete.values()}
    for entry in read_entries(path, display):
        key = (entry.msgctxt, entry.msgid)
        message = obsolete.get(key) if entry.obsolete else catalog.get(entry.msgid, entry.msgctxt)
        if message is None:
            continue
        message.user_comments = entry.tcomment.splitlines() if entry.tcomment else []
        message.previous_id = [
            text for text in (entry.previous_msgid, entry.previous_msgid_plural) if text
        ]
    return catalog
