"""PO and POT files of a project: where they live, reading them, writing them.

Catalogs are read with the strict reader of :mod:`livret.i18n.pofile` (a syntax error is
a user error with the file and line) and written as GNU gettext writes them, at the
project's ``po_width``, so that msgmerge, Poedit and livret agree byte for byte.
Babel builds the template (extraction); it never reads or writes a catalog.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import polib
from babel.messages.catalog import Catalog, Message

from livret.errors import LivretError
from livret.files import atomic_write
from livret.i18n import placeholders
from livret.i18n.pofile import GNU_WIDTH, dump, parse
from livret.inputs import Allowed, read_text
from livret.limits import MAX_PLURAL_EXPRESSION, MAX_PLURAL_FORMS, MAX_TEXT_CHARS

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


def read_catalog(path: Path, display: str, allowed: Allowed) -> polib.POFile:
    """A PO file (which must stay in ``allowed``, the project) read strictly; each entry's
    ``linenum`` is the line of its ``msgid``. Syntax errors and values over the input
    limits (control characters, long strings, ``Plural-Forms``) are user errors with
    the line."""
    text = read_text(path, allowed, display, "catalog")  # confined, size cap, UTF-8
    for number, line in enumerate(text.split("\n"), 1):  # line feeds only, as msgfmt
        problem = _control_character(line.removesuffix("\r"))
        if problem:
            raise LivretError(problem, display, number)
    po = parse(text, display)
    problem = _plural_forms_problem(po.metadata.get("Plural-Forms", ""))
    if problem:
        raise LivretError(problem, display, _header_line(text, "Plural-Forms"))
    for entry in po:
        plural = entry.msgstr_plural.values() if entry.msgid_plural else ()
        _check_strings(
            [entry.msgid, entry.msgid_plural, entry.msgstr, *plural], display, entry.linenum
        )
    return po


def _check_strings(strings: Iterable[str | None], display: str, line: int | None) -> None:
    """The strings of one entry: not too long, and no control character (an escape such
    as ``\\f`` is one once read)."""
    for string in strings:
        if string and len(string) > MAX_TEXT_CHARS:
            raise LivretError(
                f"a translation may hold at most {MAX_TEXT_CHARS} characters", display, line
            )
        problem = _control_character(string or "")
        if problem:
            raise LivretError(problem, display, line)


def _control_character(text: str) -> str | None:
    """Why ``text`` may not be used: a control character other than a tab or line break."""
    for character in text:
        if unicodedata.category(character) == "Cc" and character not in "\t\n":
            return f"control character U+{ord(character):04X} is not allowed"
    return None


def _plural_forms_problem(header: str) -> str | None:
    """Why a ``Plural-Forms`` header is over the limits, or None."""
    count = re.search(r"nplurals\s*=\s*0*([0-9]+)", header)
    expression = re.search(r"plural\s*=\s*([^;]*)", header)
    if count:  # a number too long to convert is over the limit anyway
        nplurals = int(count[1]) if len(count[1]) <= 9 else None
        if nplurals is None or not 1 <= nplurals <= MAX_PLURAL_FORMS:
            shown = count[1] if len(count[1]) <= 9 else count[1][:9] + "..."
            return f"Plural-Forms: nplurals must be between 1 and {MAX_PLURAL_FORMS}, not {shown}"
    if expression and len(expression[1].strip()) > MAX_PLURAL_EXPRESSION:
        limit = MAX_PLURAL_EXPRESSION
        return f"Plural-Forms: the plural expression may have at most {limit} characters"
    return None


def _header_line(text: str, name: str) -> int | None:
    """The line of a header such as ``Plural-Forms``, for messages."""
    index = text.find(f'"{name}:')
    return text.count("\n", 0, index) + 1 if index >= 0 else None


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
