"""SVG images must be self-contained: no reference to a file or an address outside them.

Allowed: references to the SVG's own elements (``#id``, ``url(#id)``) and embedded
``data:image/...`` pictures. Refused: any other ``href``, ``url(...)`` or ``@import``,
and entity declarations (external entities, expansion bombs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.parsers import expat

from livret.errors import shortened

# ``url(`` and what follows up to the next ``)``, or the end: one pass, linear time.
_URL = re.compile(r"url\(([^)]*+)", re.IGNORECASE)
_IMPORT = re.compile(r"@import\b", re.IGNORECASE)
_RULE = ": an SVG image must be self-contained"


@dataclass(frozen=True)
class Problem:
    """One reason an SVG is refused, with its 1-based line."""

    line: int
    message: str


def is_internal(reference: str) -> bool:
    """``#id`` and ``data:image/...`` stay inside the SVG; everything else leaves it."""
    reference = reference.strip()
    return reference.startswith("#") or reference.lower().startswith("data:image/")


def svg_problems(data: bytes) -> list[Problem]:
    """Every external reference in an SVG document, or why it cannot be parsed."""
    problems: list[Problem] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    style: list[str] | None = None  # the text of the <style> element being read
    style_line = 0
    root_seen = False

    def line() -> int:
        return int(parser.CurrentLineNumber)

    def check_css(text: str, at: int) -> None:
        if _IMPORT.search(text):
            problems.append(Problem(at, f"imports a stylesheet{_RULE}"))
        for match in _URL.finditer(text):
            reference = match[1].strip(" \t\r\n'\"")
            if not is_internal(reference):
                problems.append(Problem(at, f"refers to '{shortened(reference)}'{_RULE}"))

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal style, style_line, root_seen
        if not root_seen and name.rpartition(" ")[2] != "svg":
            problems.append(Problem(line(), "is not an SVG image (its first element is not <svg>)"))
        root_seen = True
        if name.rpartition(" ")[2] == "style":
            style, style_line = [], line()
        for attribute, value in attributes.items():
            if attribute.rpartition(" ")[2] == "href" and not is_internal(value):
                problems.append(Problem(line(), f"refers to '{shortened(value)}'{_RULE}"))
            else:
                check_css(value, line())

    def end(name: str) -> None:
        nonlocal style
        if name.rpartition(" ")[2] == "style" and style is not None:
            check_css("".join(style), style_line)
            style = None

    def text(data: str) -> None:
        if style is not None:
            style.append(data)

    def entity(name: str, *_: object) -> None:
        problems.append(Problem(line(), f"declares an entity ('{name}'){_RULE}"))
        raise _Stop

    def instruction(target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            problems.append(Problem(line(), f"links a stylesheet{_RULE}"))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = entity
    parser.ProcessingInstructionHandler = instruction
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        return [Problem(error.lineno, f"is not valid SVG ({expat.errors.messages[error.code]})")]
    except _Stop:
        pass
    return problems


class _Stop(Exception):
    """Stops parsing at the first entity declaration, before anything expands."""
