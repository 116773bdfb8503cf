"""A small declarative schema for YAML files: validation with file:line and did-you-mean.

Translatable text becomes a :class:`Message`, which knows its source location,
its optional gettext context and translator note, and its place in the document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livret.errors import LivretError, did_you_mean, shortened
from livret.limits import MAX_WEB_ADDRESS_CHARS
from livret.model.yamlerrors import COLON_IN_TEXT, quote_line, quoted
from livret.model.yamlfile import Located
from livret.wording import count

# The one definition of an e-mail address and of a web address, for every input file.
# An address has no ``?`` or ``&``: what follows them in a ``mailto:`` link (``attach=``)
# is a request to the mail program.
EMAIL_PATTERN = r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+"
WEB_ADDRESS_PATTERN = r"https?://\S+"


@dataclass(frozen=True)
class Message:
    """A translatable source string and where it comes from."""

    text: str
    file: str
    line: int
    context: str | None = None
    note: str | None = None
    place: str = ""


def _where(value: Any, parent: Any) -> tuple[str | None, int | None]:
    for item in (value, parent):
        if isinstance(item, Located):
            return item.file, item.line
    return None, None


def normalize_text(text: str) -> str:
    """Collapse the whitespace of a YAML string into the form used as msgid.

    No-break spaces (U+00A0, U+202F) written on purpose, as in ``45 000 €``, are kept.
    """
    paragraphs = re.split(r"\n[ \t\r]*\n", text.strip(" \t\r\n"))
    return "\n\n".join(" ".join(re.split(r"[ \t\r\n]+", p.strip(" \t\r\n"))) for p in paragraphs)


class Type:
    """Base of schema types; ``check`` returns the validated value."""

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> Any:
        raise NotImplementedError

    def error(self, message: str, value: Any, parent: Any) -> LivretError:
        file, line = _where(value, parent)
        return LivretError(message, file, line)


class Str(Type):
    """Plain data text (ids, URLs, e-mail addresses): never translated."""

    def __init__(
        self, pattern: str | None = None, hint: str = "", max_length: int | None = None
    ) -> None:
        self.pattern = re.compile(pattern) if pattern else None
        self.hint = hint
        self.max_length = max_length

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> str:
        if not isinstance(value, str):
            raise self.error(f"'{path[-1]}' must be text, not {_kind(value)}", value, parent)
        if self.max_length is not None and len(value) > self.max_length:
            message = f"'{path[-1]}' may have at most {self.max_length} characters"
            raise self.error(message, value, parent)
        if self.pattern and not self.pattern.fullmatch(value):
            shown = shortened(value)
            raise self.error(f"'{path[-1]}': invalid value '{shown}' {self.hint}", value, parent)
        return str(value)


def email() -> Str:
    """An e-mail address, as every input file writes it."""
    return Str(EMAIL_PATTERN, "(an e-mail address)")


def web_address() -> Str:
    """An ``http(s)://`` address, as every input file writes it, short enough for a QR code
    that prints small and still scans."""
    return Str(WEB_ADDRESS_PATTERN, "(an http(s):// address)", MAX_WEB_ADDRESS_CHARS)


class Choice(Type):
    """One of a fixed set of words; ``what`` names them in the message (``template``)."""

    def __init__(self, choices: Iterable[str], what: str) -> None:
        self.choices, self.what = tuple(choices), what

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> str:
        text = Str().check(value, parent, path)
        if text not in self.choices:
            hint = did_you_mean(text, self.choices) or f" (use one of: {', '.join(self.choices)})"
            key = ".".join(path[1:]) or path[-1]
            raise self.error(f"'{key}': unknown {self.what} '{text}'{hint}", value, parent)
        return text


class ProjectPath(Type):
    """A path relative to the project folder that must stay inside it (symlinks resolved)."""

    def __init__(self, root: Path, prefix: str = "") -> None:
        self.root, self.prefix = root, prefix

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> Path:
        text = Str().check(value, parent, path)
        file, line = _where(value, parent)
        return resolve_inside(self.root, self.prefix + text, file or "", ".".join(path[1:]), line)


def resolve_inside(root: Path, relative: str, file: str, key: str, line: int | None = None) -> Path:
    """Resolve a path written in a config file; it must stay inside the project."""
    try:
        candidate = (root / relative).resolve()
        candidate.is_file()  # raises for a name the system cannot handle (too long, ...)
    except (OSError, ValueError, RuntimeError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise LivretError(f"'{key}': invalid path {relative!r} ({reason})", file, line) from None
    if not candidate.is_relative_to(root.resolve()):
        raise LivretError(f"'{key}': path '{relative}' leaves the project folder", file, line)
    return candidate


class Int(Type):
    """A whole number, optionally bounded."""

    def __init__(self, minimum: int | None = None) -> None:
        self.minimum = minimum

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(
                f"'{path[-1]}' must be a whole number, not {_kind(value)}", value, parent
            )
        if self.minimum is not None and value < self.minimum:
            raise self.error(f"'{path[-1]}' must be at least {self.minimum}", value, parent)
        return value


class Date(Type):
    """A date written as YYYY-MM-DD."""

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        raise self.error(f"'{path[-1]}' must be a date written YYYY-MM-DD", value, parent)


class Month(Type):
    """A month written YYYY-MM, as the first day of that month."""

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> dt.date:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            return dt.date(int(value[:4]), int(value[5:]), 1)
        raise self.error(
            f"'{path[-1]}' must be a month written YYYY-MM, not {_kind(value)}", value, parent
        )


class Bool(Type):
    """``true`` or ``false``."""

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> bool:
        if not isinstance(value, bool):
            raise self.error(
                f"'{path[-1]}' must be true or false, not {_kind(value)}", value, parent
            )
        return value


class Text(Type):
    """Translatable text: a string, or ``{text, context, note}`` for translators.

    With ``blank``, an empty text is allowed and becomes None (a cell to fill in by hand).
    """

    def __init__(self, document: str = "", blank: bool = False) -> None:
        self.document, self.blank = document, blank

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> Message | None:
        if self.blank and (value is None or (isinstance(value, str) and not value.strip())):
            return None
        context = note = None
        if isinstance(value, Mapping):
            _refuse_unknown(value, {"text", "context", "note"}, path)
            note = Str().check(value.get("note", ""), value, (*path, "note")) or None
            context = Str().check(value.get("context", ""), value, (*path, "context")) or None
            if "text" not in value:
                raise self.error(f"'{path[-1]}' needs a 'text' key", value, parent)
            parent, value = value, value["text"]
        if not isinstance(value, str):
            raise self.error(f"'{path[-1]}' must be text, not {_kind(value)}", value, parent)
        text = normalize_text(value)
        if not text:
            raise self.error(f"'{path[-1]}' is empty", value, parent)
        file, line = _where(value, parent)
        return Message(text, file or "", line or 0, context, note, " › ".join(path))


class ListOf(Type):
    """A sequence of one type; ``label`` names its items in place comments.

    With ``unique``, no two items may be equal: the items themselves (``unique=True``)
    or the value of one key of each (``unique="id"``).
    """

    def __init__(
        self, item: Type, label: str = "item", min_items: int = 0, unique: bool | str = False
    ) -> None:
        self.item, self.label, self.min_items, self.unique = item, label, min_items, unique

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> list[Any]:
        if not isinstance(value, list):
            hint = (
                ": add a space after the dash, as in '- item'"
                if isinstance(value, str) and value.startswith("-")
                else ""
            )
            raise self.error(
                f"'{path[-1]}' must be a list, not {_kind(value)}{hint}", value, parent
            )
        if len(value) < self.min_items:
            raise self.error(
                f"'{path[-1]}' needs at least {count(self.min_items, 'entry', 'entries')}",
                value,
                parent,
            )
        # Items are named "section 2" in place of the list's own key.
        items = [
            self.item.check(item, value, (*path[:-1], f"{self.label} {index}"))
            for index, item in enumerate(value, 1)
        ]
        if self.unique:
            self._refuse_duplicates(value, items, path)
        return items

    def _refuse_duplicates(self, raw: list[Any], items: list[Any], path: tuple[str, ...]) -> None:
        key = self.unique if isinstance(self.unique, str) else None
        seen: set[Any] = set()
        for raw_item, item in zip(raw, items, strict=True):
            found = (getattr(item, key) if hasattr(item, key) else item[key]) if key else item
            if found in seen:
                where = raw_item[key] if key else raw_item
                what = f"{key} '{found}'" if key else f"'{found}'"
                raise self.error(f"duplicate {what} in '{path[-1]}'", where, raw)
            seen.add(found)


@dataclass
class Field:
    """One key of a :class:`Record`."""

    type: Type
    required: bool = True
    default: Any = None


@dataclass
class Record(Type):
    """A mapping with declared keys; unknown keys are errors.

    The result is a dict, or an instance of ``into`` (a dataclass) built from it.
    """

    fields: dict[str, Field] = field(default_factory=dict)
    into: Callable[..., Any] | None = None

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> Any:
        if not isinstance(value, Mapping):
            raise self.error(f"'{path[-1]}' must be a mapping, not {_kind(value)}", value, parent)
        _refuse_unknown(value, set(self.fields), path)
        result: dict[str, Any] = {}
        for key, spec in self.fields.items():
            _refuse_comment_as_value(value, key)
            if key in value and value[key] is not None:
                result[key] = spec.type.check(value[key], value, (*path, key))
            elif spec.required:
                raise self.error(f"missing key '{key}' in '{path[-1]}'", value, parent)
            else:
                result[key] = spec.default
        return self.into(**result) if self.into else result


class MapOf(Type):
    """A mapping from free keys (checked by ``key_pattern``) to one value type."""

    def __init__(self, value: Type, key_pattern: str = r"[a-z0-9_-]+") -> None:
        self.value, self.key_pattern = value, re.compile(key_pattern)

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise self.error(f"'{path[-1]}' must be a mapping, not {_kind(value)}", value, parent)
        result = {}
        for key, item in value.items():
            if not self.key_pattern.fullmatch(key):
                raise self.error(f"'{path[-1]}': invalid key '{key}'", key, value)
            result[str(key)] = self.value.check(item, value, (*path, key))
        return result


class OneOf(Type):
    """A block written as a mapping with exactly one kind key, e.g. ``{p: ...}``."""

    def __init__(self, kinds: dict[str, Type], extra: dict[str, Field] | None = None) -> None:
        self.kinds, self.extra = kinds, extra or {}

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise self.error(f"'{path[-1]}' must be a mapping, not {_kind(value)}", value, parent)
        _refuse_unknown(value, set(self.kinds) | set(self.extra), path)
        present = [key for key in self.kinds if key in value]
        if len(present) != 1:
            choices = ", ".join(self.kinds)
            raise self.error(f"'{path[-1]}' needs exactly one of: {choices}", value, parent)
        kind = present[0]
        result = {"kind": kind, "value": self.kinds[kind].check(value[kind], value, path)}
        for key, spec in self.extra.items():
            item = value.get(key)
            if item is None and spec.required:
                raise self.error(f"missing key '{key}' in '{path[-1]}'", value, parent)
            result[key] = spec.type.check(item, value, (*path, key)) if item else spec.default
        return result


class Custom(Type):
    """Wraps a function ``(str) -> value`` that raises ValueError on bad input."""

    def __init__(self, parse: Callable[[str], Any]) -> None:
        self.parse = parse

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> Any:
        text = Str().check(value, parent, path)
        try:
            return self.parse(text)
        except ValueError as error:
            raise self.error(f"'{path[-1]}': {error}", value, parent) from None


def _refuse_unknown(value: Mapping[str, Any], known: set[str], path: tuple[str, ...]) -> None:
    for key in value:
        if key not in known:
            file, line = _where(key, value)
            spaced = getattr(key, "spaced_colon_line", None)
            if spaced is not None:
                text = value[key]
                whole = f"{key} : {text}" if isinstance(text, str) else None
                raise LivretError(
                    f"{COLON_IN_TEXT}: put the whole text in quotes: "
                    f"{quote_line(spaced, whole).strip()}",
                    file,
                    line,
                )
            hint = did_you_mean(key, known)
            where = f" in '{path[-1]}'" if path else ""
            raise LivretError(f"unknown key '{key}'{where}{hint}", file, line)


def _refuse_comment_as_value(value: Mapping[str, Any], key: str) -> None:
    """``accent: #C62828``: YAML reads everything after ``#`` as a comment."""
    comment = getattr(value, "comments", {}).get(key)
    if comment is None or value.get(key) is not None:
        return
    written = next(k for k in value if k == key)
    file, line = _where(written, value)
    word = comment.split()[0]
    raise LivretError(
        f"'{key}' has no value: YAML reads {word!r} as a comment, because # starts one; "
        f"write it in quotes: {key}: {quoted(word)}",
        file,
        line,
    )


def _kind(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", bool: "true/false", int: "a number"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "nothing" if value is None else f"'{value}'"
