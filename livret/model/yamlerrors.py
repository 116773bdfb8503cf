"""PyYAML's errors in plain words, on the line to fix, with the corrected line when there is one.

Authors of checklists and cheat sheets are not programmers: French prose puts a space
before a colon, volunteers indent with tabs, a colour starts with ``#``. Each message
says what YAML understood, and what to write instead.
"""

from __future__ import annotations

import re

import yaml

from livret.errors import LivretError

# An entry line: its indentation and list dashes, an optional ``key:``, and its text.
_ENTRY = re.compile(r"(?P<prefix>[ ]*(?:-[ ]+)*)(?:(?P<key>[\w-]+):(?:[ ]+|$))?(?P<text>.*)")
COLON_IN_TEXT = "YAML reads the ':' in this text as the start of a key and its value"
_COLON_IN_TEXT = re.compile(r"\s:(\s|$)|:\s")
# What PyYAML was reading when a text started with a character that YAML reserves.
_SPECIAL_STARTS = {
    "while scanning an anchor": "&",
    "while scanning an alias": "*",
    "while scanning a directive": "%",
}
_STANDARD_TAGS = "tag:yaml.org,2002:"  # what ``!!`` stands for


def quoted(text: str) -> str:
    """``text`` in quotes that YAML reads back as the same text."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def quote_line(line: str, text: str | None = None) -> str:
    """A YAML line with its text (or ``text``, for a text that spans lines) in quotes."""
    entry = _ENTRY.fullmatch(line.rstrip())
    assert entry is not None  # the pattern matches any line
    key = f"{entry['key']}: " if entry["key"] else ""
    return entry["prefix"] + key + quoted(text if text is not None else entry["text"].strip())


def plain_error(error: yaml.MarkedYAMLError, source: str, display: str) -> LivretError:
    """The user error for a YAML syntax error in ``source`` (the text of ``display``)."""
    lines = source.splitlines() or [""]
    problem = error.problem or ""
    context = error.context or ""
    at = error.problem_mark or error.context_mark
    index = min(at.line, len(lines) - 1) if at else 0
    opened = error.context_mark.line if error.context_mark else index

    def fail(message: str, line_index: int = index) -> LivretError:
        return LivretError(message, display, line_index + 1)

    if "'\\t'" in problem or "tab" in problem:
        fixed = lines[index].replace("\t", "  ")
        return fail(f"a tab is used here: YAML indents with spaces only, as in {fixed!r}")
    if "mapping values are not allowed" in problem:
        colon = _colon_in_text(lines, index)
        return fail(*colon) if colon else fail(_indented_under_text(lines, index))
    if "expected <block end>" in problem:
        text = _ENTRY.fullmatch(lines[index].rstrip())
        if "<scalar>" in problem and text and text["text"][:1] in "\"'":
            return fail(_quote_inside_quotes(lines[index], text["text"]))
        return fail(_misaligned(lines, index))
    if "could not find expected ':'" in problem:
        colon = _colon_in_text(lines, opened)
        if colon:
            return fail(*colon)
        line = lines[opened]
        if re.match(r"\s*-[^\s-]", line):
            fixed = re.sub(r"^(\s*)-", r"\1- ", line)
            return fail(f"add a space after the dash: {fixed.strip()!r}", opened)
        return fail(
            "this line is neither 'key: text' nor a list item '- text': add the missing ':' "
            "or '- ', or join it to the line above",
            opened,
        )
    if "quoted scalar" in context:
        mark = '"' if '"' in lines[opened] else "'"
        return fail(
            f"the text opened with {mark} here is never closed: add {mark} at its end", opened
        )
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "]" if "sequence" in context else "}"
        return fail(f"the list opened here is not closed: add {bracket} at its end", opened)
    if "cannot start any token" in problem or context in _SPECIAL_STARTS:
        first = _SPECIAL_STARTS.get(context) or problem.split("'")[1]
        return fail(
            f"a text cannot start with {first} in YAML: put it in quotes: "
            f"{quote_line(lines[opened]).strip()}",
            opened,
        )
    if "mapping keys are not allowed" in problem:
        return fail(f"put the text in quotes: {quote_line(lines[index]).strip()}")
    if "could not determine a constructor" in problem:
        tag = problem.split("'")[1] if "'" in problem else "!"
        if tag.startswith(_STANDARD_TAGS):
            shown = "!!" + tag.removeprefix(_STANDARD_TAGS)
            return fail(f"YAML tags such as '{shown}' are not allowed")
        return fail(
            f"a text cannot start with ! in YAML: put it in quotes: "
            f"{quote_line(lines[index]).strip()}"
        )
    return fail(f"YAML syntax error: {problem or context or 'invalid YAML'}")


def _colon_in_text(lines: list[str], index: int) -> tuple[str, int] | None:
    """A colon in the unquoted text that goes on at ``index``: the message and its line."""
    entry_index = _entry_of(lines, index)
    entry = _ENTRY.fullmatch(lines[entry_index].rstrip())
    assert entry is not None
    continued = [line.strip() for line in lines[entry_index + 1 : index + 1] if line.strip()]
    text = " ".join([entry["text"].strip(), *continued]).strip()
    if not (_COLON_IN_TEXT.search(text) or text.endswith(":")):
        return None
    fixed = quote_line(lines[entry_index], text)
    return (
        f"{COLON_IN_TEXT}: put the whole text in quotes: {fixed.strip()}",
        entry_index,
    )


def _indented_under_text(lines: list[str], index: int) -> str:
    """A key indented under a line that already has its text."""
    above = _owner(lines, index)
    shown = lines[above].strip() if above is not None else ""
    return f"this line is indented more than the line above ({shown!r}): align it with that line"


def _quote_inside_quotes(line: str, text: str) -> str:
    """A quote inside a quoted text ends that text early."""
    mark = text[0]
    inner = text[1:-1] if len(text) > 1 and text.endswith(mark) else text[1:]
    return (
        f"a {mark} inside a text in {mark}…{mark} ends the text early: "
        f"write {quote_line(line, inner).strip()}"
        + (" (or use « » or ’ inside)" if mark == '"' else " (or use ’ for the apostrophe)")
    )


def _misaligned(lines: list[str], index: int) -> str:
    """A line whose indentation matches no level above it."""
    line = lines[index]
    previous = next((i for i in range(index - 1, -1, -1) if lines[i].strip()), None)
    if previous is None:
        return "this line is not aligned with the lines above: remove the spaces before it"
    above = lines[previous]
    indent = len(above) - len(above.lstrip(" "))
    dashes = _ENTRY.fullmatch(above.rstrip())
    assert dashes is not None
    content = len(dashes["prefix"])
    column = indent if line.lstrip().startswith("-") or content == indent else content
    fixed = " " * column + line.strip()
    return (
        f"this line is not aligned with line {previous + 1}: align it with the line above, "
        f"as in {fixed!r}"
    )


def _entry_of(lines: list[str], index: int) -> int:
    """The line that starts the entry whose text goes on at ``index``."""
    entry = _ENTRY.fullmatch(lines[index].rstrip())
    if entry and (entry["key"] or entry["prefix"].strip()):
        return index
    owner = _owner(lines, index)
    return owner if owner is not None else index


def _owner(lines: list[str], index: int) -> int | None:
    """The nearest line above ``index`` that is indented less."""
    indent = len(lines[index]) - len(lines[index].lstrip(" "))
    for above in range(index - 1, -1, -1):
        text = lines[above]
        if text.strip() and len(text) - len(text.lstrip(" ")) < indent:
            return above
    return None
