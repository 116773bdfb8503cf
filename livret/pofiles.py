"""Writing PO and POT files that GNU ``msgfmt -c`` and Poedit accept.

Babel builds and merges catalogs; polib writes them, because Babel's writer breaks
long ``#|`` previous-msgid lines. Lines are wrapped at 76 columns.
"""

from __future__ import annotations

from pathlib import Path

import polib
from babel.messages.catalog import Catalog

from livret.files import atomic_write

WIDTH = 76


def to_polib(catalog: Catalog) -> polib.POFile:
    """Convert a Babel catalog, obsolete entries and previous msgids included."""
    po = polib.POFile(wrapwidth=WIDTH)
    po.metadata = dict(catalog.mime_headers)
    for message in (*catalog, *catalog.obsolete.values()):
        if not message.id:
            continue
        is_plural = isinstance(message.id, (list, tuple))
        entry = polib.POEntry(
            msgid=message.id[0] if is_plural else message.id,
            msgctxt=message.context,
            occurrences=[(file, str(line) if line else "") for file, line in message.locations],
            comment="\n".join(message.auto_comments),
            tcomment="\n".join(message.user_comments),
            flags=sorted(message.flags),
            obsolete=message.id in catalog.obsolete,
        )
        if is_plural:
            entry.msgid_plural = message.id[1]
            strings = message.string if isinstance(message.string, (list, tuple)) else ()
            entry.msgstr_plural = {
                i: s for i, s in enumerate(strings or [""] * catalog.num_plurals)
            }
        else:
            entry.msgstr = message.string or ""
        if message.previous_id:
            previous = message.previous_id
            entry.previous_msgid = previous[0] if previous else None
            if len(previous) > 1:
                entry.previous_msgid_plural = previous[1]
        po.append(entry)
    return po


def write_catalog(catalog: Catalog, path: Path) -> None:
    """Write a catalog atomically in the standard PO format."""
    atomic_write(path, to_polib(catalog).__unicode__().encode("utf-8"))
