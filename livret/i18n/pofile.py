"""The PO file format, read strictly and written as GNU gettext writes it.

``parse`` accepts what ``msgfmt`` accepts (a byte-order mark and CRLF line ends too) and
refuses the rest with the file and line: an unterminated string, an unescaped quote, an
unknown escape or keyword, a message without ``msgstr``, a duplicate. It keeps what other
readers drop: the header's comment block and every header field, previous msgids of
obsolete entries (``#~|``), and, as each entry's ``linenum``, the line of its ``msgid``.

``dump`` writes entries in the order and layout of ``msgcat``/``msgmerge``: comments,
references wrapped at the width, flags, previous msgids, then the strings wrapped by
:mod:`livret.i18n.wrap`; obsolete entries last, those without a translation left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polib

from livret.errors import LivretError
from livret.i18n.wrap import NO_WRAP, po_lines

GNU_WIDTH = 79
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)(?=[\s\"])\s*(.*)$")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"\s*$')
_ESCAPE = re.compile(r"\\(?:([abfnrtv\\\"'?])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))")
_UNESCAPED = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
# GNU's order of format flags (gettext's format.c), after "fuzzy".
_FORMATS = [
    *("c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript"),
    *("scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal"),
    *("smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace"),
    *("php", "gcc-internal", "gfc-internal", "ycp"),
]
_FLAG_ORDER = {
    flag: index
    for index, flag in enumerate(
        ["fuzzy", *(f"{prefix}{name}-format" for name in _FORMATS for prefix in ("", "no-"))]
    )
}


@dataclass
class _Draft:
    """The parts of one entry as they are read."""

    obsolete: bool = False
    msgid_line: int = 0
    strings: dict[str, list[str]] = field(default_factory=dict)
    previous: dict[str, list[str]] = field(default_factory=dict)
    tcomment: list[str] = field(default_factory=list)
    comment: list[str] = field(default_factory=list)
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def started(self) -> bool:
        return bool(self.strings or self.previous or self.tcomment or self.comment)

    @property
    def has_msgstr(self) -> bool:
        return any(key.startswith("msgstr") for key in self.strings)


def _unescape(body: str, display: str, line: int) -> str:
    def replace(match: re.Match[str]) -> str:
        simple, octal, hexa, unknown = match.groups()
        if unknown is not None:
            raise LivretError(
                f"PO syntax error: invalid escape sequence '\\{unknown}'", display, line
            )
        if simple:
            return _UNESCAPED.get(simple, simple)
        return chr(int(octal, 8) if octal else int(hexa, 16))

    return _ESCAPE.sub(replace, body)


def _string(text: str, display: str, line: int) -> str:
    """The value of one quoted PO string, or a syntax error."""
    if not text.startswith('"'):
        raise LivretError("PO syntax error: a string in double quotes was expected", display, line)
    match = _STRING.match(text)
    if match is None:
        closing = re.match(r'"(?:[^"\\]|\\.)*"', text)
        problem = 'unescaped double quote (write \\")' if closing else "unterminated string"
        raise LivretError(f"PO syntax error: {problem}", display, line)
    return _unescape(match[1], display, line)


def parse(text: str, display: str) -> polib.POFile:
    """Read a PO file's text; syntax errors become user errors with the line."""
    return _Parser(display).parse(text.removeprefix("\ufeff"))


class _Parser:
    def __init__(self, display: str) -> None:
        self.display = display
        self.po = polib.POFile(wrapwidth=GNU_WIDTH)
        self.draft = _Draft()
        self.last: list[str] | None = None  # the string that a continuation line extends
        self.seen: set[tuple[str | None, str, bool]] = set()

    def parse(self, text: str) -> polib.POFile:
        number = 0
        for number, raw in enumerate(text.split("\n"), start=1):
            self.line(raw.removesuffix("\r"), number)
        self.finish(number)
        return self.po

    def error(self, message: str, line: int) -> LivretError:
        return LivretError(f"PO syntax error: {message}", self.display, line)

    def line(self, line: str, number: int) -> None:
        stripped = line.strip()
        if not stripped:
            if self.draft.has_msgstr:
                self.finish(number)
            self.last = None
            return
        if stripped.startswith("#~|") or stripped.startswith("#|"):
            self.previous(stripped.split("|", 1)[1].strip(), number)
        elif stripped.startswith("#~"):
            self.string_line(stripped[2:].strip(), number, obsolete=True)
        elif stripped.startswith("#"):
            self.comment(line.lstrip(), number)
        else:
            self.string_line(stripped, number, obsolete=False)

    def comment(self, line: str, number: int) -> None:
        if self.draft.has_msgstr:
            self.finish(number)
        self.last = None
        kind, rest = line[1:2], line[2:]
        if kind == ",":
            self.draft.flags += [flag.strip() for flag in rest.split(",") if flag.strip()]
        elif kind == ".":
            self.draft.comment.append(rest.removeprefix(" "))
        elif kind == ":":
            for reference in rest.split():
                path, _, place = reference.rpartition(":")
                located = bool(path) and place.isdigit()
                self.draft.occurrences.append((path, place) if located else (reference, ""))
        else:
            self.draft.tcomment.append(line[1:].removeprefix(" "))

    def previous(self, text: str, number: int) -> None:
        match = _KEYWORD.match(text)
        if match and match[1] in ("msgctxt", "msgid", "msgid_plural"):
            if self.draft.has_msgstr:
                self.finish(number)
            self.last = self.draft.previous.setdefault(match[1], [])
            self.last.append(_string(match[3], self.display, number))
        elif text.startswith('"') and self.last is not None:
            self.last.append(_string(text, self.display, number))
        else:
            raise self.error("invalid previous-msgid line (#|)", number)

    def string_line(self, text: str, number: int, obsolete: bool) -> None:
        if text.startswith('"'):
            if self.last is None:
                raise self.error("a string outside of any msgid or msgstr", number)
            self.last.append(_string(text, self.display, number))
            return
        match = _KEYWORD.match(text)
        if match is None:
            word = text.split()[0] if text.split() else text
            raise self.error(f"unknown keyword '{word}'", number)
        keyword = match[1]
        if keyword in ("msgctxt", "msgid") and self.draft.has_msgstr:
            self.finish(number)
        elif keyword == "msgctxt" and "msgid" in self.draft.strings:
            raise self.error("a msgid without msgstr before it", number)
        if keyword in self.draft.strings:
            raise self.error(f"'{keyword}' appears twice in one entry", number)
        if keyword.startswith("msgstr") and "msgid" not in self.draft.strings:
            raise self.error(f"'{keyword}' without a msgid before it", number)
        if keyword == "msgid":
            self.draft.msgid_line = number
            self.draft.obsolete = obsolete
        self.last = self.draft.strings.setdefault(keyword, [])
        self.last.append(_string(match[3], self.display, number))

    def finish(self, number: int) -> None:
        draft, self.draft, self.last = self.draft, _Draft(), None
        if not draft.strings:
            if draft.previous:
                raise self.error("a previous msgid (#|) without an entry", number)
            return  # comments after the last entry
        if not draft.has_msgstr:
            raise self.error("a msgid without msgstr", draft.msgid_line or number)
        self.add(draft)

    def add(self, draft: _Draft) -> None:
        joined = {key: "".join(parts) for key, parts in draft.strings.items()}
        previous = {key: "".join(parts) for key, parts in draft.previous.items()}
        msgid, context = joined["msgid"], joined.get("msgctxt")
        plural_keys = sorted((int(key[7:-1]), key) for key in joined if key.startswith("msgstr["))
        if "msgid_plural" in joined:
            if "msgstr" in joined or [index for index, _ in plural_keys] != list(
                range(len(plural_keys))
            ):
                raise self.error("a plural entry needs msgstr[0], msgstr[1], …", draft.msgid_line)
        elif plural_keys:
            raise self.error("msgstr[N] without msgid_plural", draft.msgid_line)
        if not msgid and context is None and not draft.obsolete:
            self.header(draft, joined["msgstr"])
            return
        key = (context, msgid, draft.obsolete)
        if key in self.seen:
            raise self.error("duplicate message definition", draft.msgid_line)
        self.seen.add(key)
        entry = polib.POEntry(
            msgid=msgid,
            msgctxt=context,
            msgid_plural=joined.get("msgid_plural", ""),
            msgstr=joined.get("msgstr", ""),
            msgstr_plural={index: joined[name] for index, name in plural_keys},
            occurrences=draft.occurrences,
            comment="\n".join(draft.comment),
            tcomment="\n".join(draft.tcomment),
            flags=draft.flags,
            obsolete=draft.obsolete,
            previous_msgctxt=previous.get("msgctxt"),
            previous_msgid=previous.get("msgid"),
            previous_msgid_plural=previous.get("msgid_plural"),
            linenum=draft.msgid_line,
        )
        self.po.append(entry)

    def header(self, draft: _Draft, msgstr: str) -> None:
        if self.po.metadata or self.po:
            raise self.error('a second header entry (msgid "")', draft.msgid_line)
        self.po.header = "\n".join(draft.tcomment)
        self.po.metadata_is_fuzzy = "fuzzy" in draft.flags
        for line in msgstr.split("\n"):
            name, separator, value = line.partition(":")
            if separator:
                self.po.metadata[name.strip()] = value.strip()


def _comment_lines(prefix: str, text: str) -> list[str]:
    return [f"{prefix} {line}" if line else prefix for line in text.split("\n")] if text else []


def _references(occurrences: list[tuple[str, str]], width: int) -> list[str]:
    """``#:`` lines, wrapped as GNU does at the page width (79 when strings are not wrapped)."""
    width = GNU_WIDTH if width == NO_WRAP else width
    if not occurrences:
        return []
    lines, current, column = [], "#:", 2
    for path, place in occurrences:
        reference = f"{path}:{place}" if place else path
        if column > 2 and column + len(reference) + 1 > width:
            lines.append(current)
            current, column = "#:", 2
        current += f" {reference}"
        column += len(reference) + 1
    return [*lines, current]


def _flag_line(entry: polib.POEntry, translated: bool) -> list[str]:
    flags = [flag for flag in dict.fromkeys(entry.flags) if flag != "fuzzy" or translated]
    if entry.obsolete:
        flags = [flag for flag in flags if flag == "fuzzy"]
    flags.sort(key=lambda flag: (_FLAG_ORDER.get(flag, len(_FLAG_ORDER)), flag))
    return [f"#, {', '.join(flags)}"] if flags else []


def _first_form(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return str(entry.msgstr_plural.get(0, "")) if entry.msgstr_plural else ""
    return str(entry.msgstr)


def _entry_lines(entry: polib.POEntry, width: int) -> list[str]:
    translated = bool(_first_form(entry))
    prefix = "#~ " if entry.obsolete else ""
    previous = "#~| " if entry.obsolete else "#| "
    flags = frozenset(entry.flags)
    lines = _comment_lines("#", entry.tcomment) + _comment_lines("#.", entry.comment)
    lines += _references(entry.occurrences, width) + _flag_line(entry, translated)
    for keyword, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            lines += po_lines(keyword, value, width, previous, flags)
    strings: list[tuple[str, str]] = []
    if entry.msgctxt is not None:
        strings.append(("msgctxt", entry.msgctxt))
    strings.append(("msgid", entry.msgid))
    if entry.msgid_plural:
        strings.append(("msgid_plural", entry.msgid_plural))
        forms = entry.msgstr_plural or {0: ""}
        strings += [(f"msgstr[{index}]", str(forms[index])) for index in sorted(forms)]
    else:
        strings.append(("msgstr", entry.msgstr))
    for keyword, value in strings:
        lines += po_lines(keyword, value, width, prefix, flags)
    return lines


def dump(po: polib.POFile, width: int = GNU_WIDTH) -> str:
    """The text of a PO file, laid out as ``msgcat --width=WIDTH`` writes it (0: no wrap)."""
    blocks: list[list[str]] = []
    if po.metadata or po.header:
        header = "".join(f"{name}: {value}\n" for name, value in po.metadata.items())
        lines = _comment_lines("#", po.header)
        if po.metadata_is_fuzzy and header:
            lines.append("#, fuzzy")
        blocks.append([*lines, *po_lines("msgid", "", width), *po_lines("msgstr", header, width)])
    active = [entry for entry in po if not entry.obsolete]
    obsolete = [entry for entry in po if entry.obsolete and _first_form(entry)]
    blocks += [_entry_lines(entry, width) for entry in (*active, *obsolete)]
    return "".join("\n".join(block) + "\n\n" for block in blocks)[:-1] if blocks else ""
