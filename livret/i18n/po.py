"""PO and POT files: where they live, reading them, and writing files that GNU ``msgfmt -c``
and Poedit accept.

Babel builds and merges catalogs; polib writes them, because Babel's writer breaks
long ``#|`` previous-msgid lines, and Babel's reader drops them, so they are read back
with polib. Lines are wrapped at 76 columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import polib
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser

from livret.errors import LivretError
from livret.files import atomic_write
from livret.i18n import placeholders
from livret.inputs import Allowed, read_text
from livret.limits import MAX_PLURAL_EXPRESSION, MAX_PLURAL_FORMS, MAX_TEXT_CHARS

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


def read_catalog(path: Path, display: str, allowed: Allowed) -> Catalog:
    """Parse a PO file (which must stay in ``allowed``, the project); syntax errors and
    values over the input limits become user errors with the line."""
    text = _read_po_text(path, display, allowed)
    catalog = _BoundedCatalog(display, _header_line(text, "Plural-Forms"))
    try:
        # Babel cannot parse the previous msgid of an obsolete entry (``#~|``, as
        # msgmerge writes it); a blank line in its place keeps the line numbers.
        lines = ["\n" if line.startswith("#~|") else line for line in _lines(text)]
        PoFileParser(catalog, abort_invalid=True).parse(lines)
    except PoFileError as error:
        line = error.lineno + 1 if isinstance(error.lineno, int) else None
        problem = re.sub(r" on \d+$", "", str(error.args[0]))  # Babel appends a 0-based line
        raise LivretError(f"PO syntax error: {problem}", display, line) from None
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as error:
        raise LivretError(f"invalid PO file: {error}", display) from None
    for message in catalog:
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        _check_strings([*ids, *strings], display, message.lineno)
    return catalog


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


class _BoundedCatalog(Catalog):
    """A catalog that refuses a ``Plural-Forms`` header over the limits as soon as Babel
    reads it, before Babel makes room for that many forms in every plural entry."""

    def __init__(self, display: str, header_line: int | None) -> None:
        super().__init__()
        self.display, self.header_line = display, header_line

    def _set_mime_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        super()._set_mime_headers(headers)
        problem = plural_forms_problem(self._num_plurals, self._plural_expr)
        if problem:
            raise LivretError(problem, self.display, self.header_line)


def plural_forms_problem(count: int | None, expression: str | None) -> str | None:
    """Why a ``Plural-Forms`` header is over the limits, or None."""
    if count is not None and not 1 <= count <= MAX_PLURAL_FORMS:
        return f"Plural-Forms: nplurals must be between 1 and {MAX_PLURAL_FORMS}, not {count}"
    if expression is not None and len(expression) > MAX_PLURAL_EXPRESSION:
        limit = MAX_PLURAL_EXPRESSION
        return f"Plural-Forms: the plural expression may have at most {limit} characters"
    return None


def _read_po_text(path: Path, display: str, allowed: Allowed) -> str:
    """A confined PO file's text, with no control character in it."""
    text = read_text(path, allowed, display, "catalog")
    for number, line in enumerate(_lines(text), 1):
        problem = _control_character(line.removesuffix("\n").removesuffix("\r"))
        if problem:
            raise LivretError(problem, display, number)
    return text


def _lines(text: str) -> list[str]:
    """The lines of a PO file as msgfmt sees them, each with its ``\\n``: split at line
    feeds only (``str.splitlines`` also splits at form feeds and U+2028, which would
    hide a control character and shift every later line)."""
    return [line + "\n" for line in text.split("\n")]


class _PolibText:
    """PO text handed to polib as lines, never as a string: polib opens any string that
    names an existing file (a catalog holding ``/etc/passwd`` would be read from there),
    and splits a string at form feeds and U+2028 as well as at line feeds."""

    def __init__(self, text: str) -> None:
        self.lines = [line.removesuffix("\r") for line in text.split("\n")]

    def splitlines(self) -> list[str]:
        return self.lines


def _header_line(text: str, name: str) -> int | None:
    """The line of a header such as ``Plural-Forms``, for messages."""
    index = text.find(f'"{name}:')
    return text.count("\n", 0, index) + 1 if index >= 0 else None


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


def read_entries(path: Path, display: str, allowed: Allowed) -> polib.POFile:
    """A PO file as polib reads it: raw plural forms, previous msgids, entry line numbers."""
    text = _read_po_text(path, display, allowed)
    try:
        po = polib.pofile(_PolibText(text), wrapwidth=WIDTH, encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise LivretError(f"invalid PO file: {error}", display) from None
    header = po.metadata.get("Plural-Forms", "")
    count = re.search(r"nplurals\s*=\s*0*([0-9]+)", header)
    expression = re.search(r"plural\s*=\s*([^;]*)", header)
    nplurals = None
    if count:  # a number too long to convert is over the limit anyway
        nplurals = int(count[1]) if len(count[1]) <= 9 else MAX_PLURAL_FORMS + 1
    problem = plural_forms_problem(nplurals, expression[1].strip() if expression else None)
    if problem:
        raise LivretError(problem, display, _header_line(text, "Plural-Forms"))
    for entry in po:
        plural = entry.msgstr_plural.values() if entry.msgid_plural else ()
        _check_strings(
            [entry.msgid, entry.msgid_plural, entry.msgstr, *plural], display, entry.linenum
        )
    return po


def read_for_update(path: Path, display: str, allowed: Allowed) -> Catalog:
    """A catalog read with Babel, with translator comments and previous msgids from polib.

    Babel's reader turns ``#| msgid`` lines into translator comments; polib reads both right.
    """
    catalog = read_catalog(path, display, allowed)
    obsolete = {message_key(m): m for m in catalog.obsolete.values()}
    for entry in read_entries(path, display, allowed):
        key = (entry.msgctxt, entry.msgid)
        message = obsolete.get(key) if entry.obsolete else catalog.get(entry.msgid, entry.msgctxt)
        if message is None:
            continue
        message.user_comments = entry.tcomment.splitlines() if entry.tcomment else []
        message.previous_id = [
            text for text in (entry.previous_msgid, entry.previous_msgid_plural) if text
        ]
    return catalog
