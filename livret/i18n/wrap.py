"""Wrap PO strings exactly as GNU gettext does (``msgmerge``, ``msgcat --width=N``).

GNU splits a string after each ``\\n``, escapes it, finds the break opportunities with
the Unicode line breaking algorithm (UAX #14, as libunistring 1.0 implements it) and
fills each line greedily: a line ends at the last opportunity that keeps it within the
width, so the breaking space stays at the end of the line. A string that does not fit
on its keyword's line starts with ``msgid ""``. Breaks are never made inside an escape
sequence or a format directive of a ``python-format`` entry.

The line breaking classes are exact for Latin, Greek and Cyrillic text and the usual
punctuation; other scripts use classes derived from the Unicode general category.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator

NO_WRAP = 0  # a width of 0 wraps nothing, as ``msgcat --no-wrap``
_UNLIMITED = 2**31 - 1

# UAX #14 line breaking classes of the characters that PO files of European languages use.
_CLASSES = {
    **dict.fromkeys(" ", "SP"),
    **dict.fromkeys("!?", "EX"),
    **dict.fromkeys("\"'«»‘’‛“”‟‹›", "QU"),
    **dict.fromkeys("$+\\£¤¥±€₤₹₽№", "PR"),
    **dict.fromkeys("%¢°‰‱′″‴‵‶‷", "PO"),
    **dict.fromkeys("([{¡¿‚„⁅", "OP"),
    **dict.fromkeys(")]", "CP"),
    **dict.fromkeys("}⁆", "CL"),
    **dict.fromkeys(",.:;⁄", "IS"),
    "-": "HY",
    "/": "SY",
    **dict.fromkeys("|\u00ad\u2010\u2012\u2013\u2027\u205f", "BA"),
    "´": "BB",
    **dict.fromkeys("\u00a0\u2007\u2011\u202f\u034f", "GL"),
    "\u2014": "B2",
    **dict.fromkeys("\u2024\u2025\u2026", "IN"),
    **dict.fromkeys("‼‽⁇⁈⁉", "NS"),
    "\u200b": "ZW",
    "\u200d": "ZWJ",
    **dict.fromkeys("\u2060\ufeff", "WJ"),
    **dict.fromkeys("\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e", "CM"),
    **dict.fromkeys("\u2028\u2029\u0085\x0b\x0c", "BK"),
}
_BY_CATEGORY = {"Nd": "NU", "Mn": "CM", "Mc": "CM", "Me": "CM", "Cc": "CM", "Cf": "CM"}
_BY_CATEGORY |= {"Ps": "OP", "Pe": "CL", "Pi": "QU", "Pf": "QU", "Pd": "BA", "Zs": "BA"}
_BY_CATEGORY |= {"Sc": "PR"}

# The pairs where UAX #14 forbids a direct break (a break is still allowed after a space).
_NO_DIRECT_BREAK = {
    "AL": {"AL", "HL", "NU", "PO", "PR", "OP"},
    "HL": {"AL", "HL", "NU", "PO", "PR", "OP"},
    "NU": {"AL", "HL", "NU", "PO", "PR", "OP"},
    "PO": {"AL", "HL", "NU", "OP"},
    "PR": {"AL", "HL", "NU", "OP", "ID"},
    "CP": {"AL", "HL", "NU", "PO", "PR"},
    "CL": {"PO", "PR"},
    "HY": {"NU"},
    "IS": {"NU"},
    "SY": {"NU", "HL"},
    "ID": {"PO"},
}
_NEVER_BEFORE = {"CL", "CP", "EX", "IS", "SY", "WJ"}  # (LB11, LB13)
_GLUE_AFTER = {"WJ", "GL", "QU", "BB"}  # (LB11, LB12, LB19, LB21)
_GLUE_BEFORE = {"BA", "HY", "IN", "QU", "GL"}  # (LB12a, LB19, LB21, LB22)

PROHIBITED, INDIRECT, DIRECT = 0, 1, 2

_PYTHON_SPEC = re.compile(r"[-+ #0]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?([diouxXeEfFgGcrs%])")
_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_INDEX = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
_SPEC = re.compile(rb"(?:.?[<>=^])?[-+ ]?#?0?[0-9]*(?:\.[0-9]*)?[bcdoxXneEfFgG%]?")
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}


def line_class(character: str) -> str:
    """The UAX #14 line breaking class of one character (ambiguous ones resolved to AL)."""
    known = _CLASSES.get(character)
    if known:
        return known
    code = ord(character)
    category = unicodedata.category(character)
    if 0x05D0 <= code <= 0x05F2 or 0xFB1D <= code <= 0xFB4F:
        return "CM" if category.startswith("M") else "HL"
    if category in _BY_CATEGORY:
        return _BY_CATEGORY[category]
    if unicodedata.east_asian_width(character) in "WF" and category[0] in "LS":
        return "ID"
    return "AL"


def _pair(before: str, after: str) -> int:
    """Whether a break is allowed between two classes (UAX #14, table 2)."""
    if after in _NEVER_BEFORE or before == "OP" or (before == "QU" and after == "OP"):
        return PROHIBITED
    if after == "NS":
        return PROHIBITED if before == "CL" else INDIRECT
    if before in _GLUE_AFTER:
        return INDIRECT
    if after == "GL":
        return DIRECT if before in ("BA", "HY") else INDIRECT
    if after in _GLUE_BEFORE:
        return INDIRECT
    if after == "B2":
        return PROHIBITED if before == "B2" else DIRECT
    return INDIRECT if after in _NO_DIRECT_BREAK.get(before, ()) else DIRECT


def break_opportunities(text: str) -> list[bool]:
    """For each character, whether a line may break just before it."""
    breaks = [False] * len(text)
    previous = last = "BK"  # the class before, and the last one that is not a space
    after_space = after_hebrew_hyphen = False
    for index, character in enumerate(text):
        kind = line_class(character)
        if kind == "BK":
            previous, last, after_space = kind, "BK", False
            continue
        if kind == "SP":
            after_space = True
        elif kind == "ZW":
            last, after_space = "ZW", False
        elif kind in ("CM", "ZWJ"):
            if last == "BK":
                last, after_space = "AL", False
            elif last == "ZW" or after_space:
                breaks[index] = True
                last, after_space = "AL", False
        else:
            if last == "ZW":
                breaks[index] = True
            elif last != "BK" and previous != "ZWJ" and not after_hebrew_hyphen:
                allowed = _pair(last, kind)
                breaks[index] = allowed == DIRECT or (allowed == INDIRECT and after_space)
            last, after_space = kind, False
        after_hebrew_hyphen = previous == "HL" and kind in ("HY", "BA")
        previous = kind
    return breaks


def char_width(character: str) -> int:
    """The columns a character takes in a terminal, as ``uc_width`` counts them."""
    if unicodedata.category(character) in ("Cc", "Mn", "Me", "Cf") or (
        "\u1160" <= character <= "\u11ff"
    ):
        return 0
    return 2 if unicodedata.east_asian_width(character) in "WF" else 1


def _escaped(portion: str, directives: set[int]) -> tuple[str, list[bool]]:
    """The portion as written in a PO file, and where a break is forbidden in it."""
    out: list[str] = []
    forbidden: list[bool] = []
    for index, character in enumerate(portion):
        inside = index in directives
        if character in _ESCAPES:
            out += ["\\", _ESCAPES[character]]
            forbidden += [inside, True]
        elif character in '\\"':
            out += ["\\", character]
            forbidden += [inside, True]
        else:
            out.append(character)
            forbidden.append(inside)
    if portion.endswith("\n"):
        forbidden[-2] = True  # never break just before the final "\n"
    return "".join(out), forbidden


def _closing_parenthesis(value: str, opening: int) -> int:
    """The offset after the ``)`` that closes ``value[opening]``, or -1."""
    depth = 0
    for index in range(opening + 1, len(value)):
        depth += {"(": 1, ")": -1}.get(value[index], 0)
        if depth < 0:
            return index + 1
    return -1


def _python_directives(value: str) -> Iterator[tuple[int, int]]:
    """The spans of ``%`` directives, up to the first invalid one (GNU's format-python)."""
    named = unnamed = False
    index = value.find("%")
    while index >= 0:
        end = index + 1
        name = value.startswith("(", end)
        if name:
            end = _closing_parenthesis(value, end)
            if end < 0:
                return
        match = _PYTHON_SPEC.match(value, end)
        if match is None or (name and "*" in (match[1], match[2])):
            return
        if match[3] != "%":
            if (name and unnamed) or (not name and named):
                return  # named and unnamed directives mixed
            named, unnamed = named or name, unnamed or not name
        yield index, match.end()
        index = value.find("%", match.end())


class _BraceError(Exception):
    """An invalid ``{…}`` directive, at an offset from its own start."""

    def __init__(self, offset: int) -> None:
        self.offset = offset


def _brace_end(data: bytes, start: int, toplevel: bool) -> int:
    """The offset just after the ``{…}`` directive at ``start``, as gettext 0.21 parses it."""
    at = start + 1
    if data[at : at + 1] == b"{":
        return at + 1
    name = _INDEX.match(data, at)
    if name is None:
        raise _BraceError(at - start)
    at = name.end()
    while data[at : at + 1] in (b".", b"["):
        opening = data[at : at + 1]
        field = (_NAME if opening == b"." else _INDEX).match(data, at + 1)
        if field is None:
            raise _BraceError(at + 1 - start)
        at = field.end()
        if opening == b"[":
            at += 1
            if data[at - 1 : at] != b"]":
                raise _BraceError(at - start)
    if data[at : at + 1] == b":":
        if not toplevel:
            raise _BraceError(at - start)
        at += 1
        if data[at : at + 1] == b"{":
            at = _brace_end(data, at, toplevel=False)  # an error there counts from its start
        else:
            spec = _SPEC.match(data, at)
            at = spec.end() if spec else at
    if data[at : at + 1] != b"}":
        raise _BraceError(at - start)
    return at + 1


def _brace_insides(value: str) -> set[int]:
    """Where ``python-brace-format`` forbids a break, reproducing gettext 0.21 (and later).

    Its parser records each directive at offsets counted from the directive's own start,
    so what it protects is the first bytes of the string, as long as the shortest valid
    directive (unless an error it records falls inside them).
    """
    data = value.encode("utf-8")
    ends: list[int] = []
    error: int | None = None
    at = data.find(b"{")
    while at >= 0:
        try:
            end = _brace_end(data, at, toplevel=True)
        except _BraceError as invalid:
            error = invalid.offset
            break
        if data[at + 1 : at + 2] != b"{":
            ends.append(end - 1 - at)
        at = data.find(b"{", end)
    if not ends:
        return set()
    last = min(ends)
    if error is not None and error <= last:
        return set()
    inside, offset = set(), 0
    for index, character in enumerate(value):
        if 1 <= offset <= last:
            inside.add(index)
        offset += len(character.encode("utf-8"))
    return inside


def _directive_insides(value: str, flags: frozenset[str]) -> set[int]:
    """Offsets inside a format directive (all but its first character)."""
    if "python-brace-format" in flags and "python-format" not in flags:
        return _brace_insides(value)
    if "python-format" not in flags:
        return set()
    spans = _python_directives(value)
    return {offset for start, end in spans for offset in range(start + 1, end)}


def _fill(text: str, forbidden: list[bool], width: int, start: int) -> list[int]:
    """Where lines break: greedy, each piece ending with its trailing spaces."""
    possible = [
        allowed and not no for allowed, no in zip(break_opportunities(text), forbidden, strict=True)
    ]
    chosen: list[int] = []
    piece_start: int | None = None
    column, piece = start, 0
    for index, character in enumerate(text):
        if possible[index]:
            if piece_start is not None and column + piece > width:
                chosen.append(piece_start)
                column = 0
            piece_start = index
            column += piece
            piece = 0
        piece += char_width(character)
    if piece_start is not None and column + piece > width:
        chosen.append(piece_start)
    return chosen


def _portions(value: str) -> Iterator[str]:
    start = 0
    for match in re.finditer("\n", value):
        yield value[start : match.end()]
        start = match.end()
    if start < len(value) or not value:
        yield value[start:]


def po_lines(
    keyword: str,
    value: str,
    width: int,
    prefix: str = "",
    flags: frozenset[str] = frozenset(),
) -> list[str]:
    """The lines of ``keyword "value"`` in a PO file, wrapped at ``width`` columns.

    ``prefix`` is ``"#| "``, ``"#~ "`` or ``"#~| "`` for previous and obsolete entries.
    """
    directives = _directive_insides(value, flags)
    line_width = (width if width != NO_WRAP else _UNLIMITED) - 1 - (len(prefix) + 1)
    lines: list[str] = []
    first = True
    offset = 0
    portions = list(_portions(value))
    for number, portion in enumerate(portions):
        local = {i - offset for i in directives if offset <= i < offset + len(portion)}
        offset += len(portion)
        text, forbidden = _escaped(portion, local)
        start = len(keyword) + 1 if first else 0
        breaks = _fill(text, forbidden, line_width, start)
        more = number < len(portions) - 1
        if first and text and (more or start > line_width or breaks):
            lines.append(f'{prefix}{keyword} ""')
            first, start = False, 0
            breaks = _fill(text, forbidden, line_width, start)
        head = f"{prefix}{keyword} " if first else prefix
        first = False
        bounds = [0, *breaks, len(text)]
        for begin, end in itertools.pairwise(bounds):
            lines.append(f'{head}"{text[begin:end]}"')
            head = prefix
    return lines
