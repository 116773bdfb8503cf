"""Safe YAML loading that keeps the line of every value and refuses hostile files.

Besides aliases, tags and duplicate keys, the loader enforces the declared limits of
:mod:`livret.limits` as it composes the document, before a value is built: nesting,
entries per list or mapping, characters per string and digits per number.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

from livret.errors import LivretError
from livret.inputs import Allowed, read_text
from livret.limits import MAX_ITEMS, MAX_NESTING, MAX_NUMBER_DIGITS, MAX_TEXT_CHARS
from livret.model.yamlerrors import plain_error

_DIGITS = frozenset("0123456789abcdefABCDEF")


class Located:
    """Mixin giving a loaded value the file and 1-based line it came from."""

    file: str
    line: int


class LocatedStr(str, Located):
    """A string that remembers where it was written.

    A key written with a space before its colon (``Attention : le référent``, French
    typography in an unquoted text) keeps its whole line in ``spaced_colon_line``.
    """

    spaced_colon_line: str | None = None


class LocatedDict(dict[str, Any], Located):
    """A mapping that remembers where it was written.

    ``comments`` holds, for a key with no value, the ``# ...`` written after it on its
    line: an unquoted colour such as ``accent: #C62828`` is read as a comment.
    """

    comments: dict[str, str]


class LocatedList(list[Any], Located):
    """A sequence that remembers where it was written."""


class _Loader(yaml.SafeLoader):
    """A SafeLoader that refuses aliases, enforces the input limits and records lines."""

    source_name = "<yaml>"
    depth = 0  # lists and mappings open around the node being composed

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise LivretError("YAML aliases (*name) are not allowed", self.source_name, line)
        entries = index if isinstance(index, int) else len(getattr(parent, "value", ()))
        if entries >= MAX_ITEMS:
            raise LivretError(
                f"a list or mapping may hold at most {MAX_ITEMS} entries", self.source_name, line
            )
        if not isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            return super().compose_node(parent, index)
        if self.depth >= MAX_NESTING:
            raise LivretError(
                f"lists and mappings may be nested at most {MAX_NESTING} levels deep",
                self.source_name,
                line,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_str(self, node: yaml.ScalarNode) -> LocatedStr:
        value = LocatedStr(self.construct_scalar(node))
        value.file, value.line = self.source_name, node.start_mark.line + 1
        if len(value) > MAX_TEXT_CHARS:
            raise LivretError(
                f"a text may hold at most {MAX_TEXT_CHARS} characters", value.file, value.line
            )
        return value

    def construct_yaml_number(self, node: yaml.ScalarNode) -> Any:
        """An integer or a float, of at most 15 digits (a longer one is no real figure,
        and its conversion could take very long)."""
        if sum(character in _DIGITS for character in str(node.value)) > MAX_NUMBER_DIGITS:
            raise LivretError(
                f"a number may have at most {MAX_NUMBER_DIGITS} digits",
                self.source_name,
                node.start_mark.line + 1,
            )
        if node.tag.endswith(":int"):
            return super().construct_yaml_int(node)
        return super().construct_yaml_float(node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise LivretError(
                f"invalid date '{node.value}': {error}", self.source_name, node.start_mark.line + 1
            ) from None

    def construct_yaml_map(self, node: yaml.MappingNode) -> Any:
        data = LocatedDict()
        data.file, data.line = self.source_name, node.start_mark.line + 1
        data.comments = {}
        yield data
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            _note_french_colon(key, key_node)
            comment = _comment_instead_of_value(value_node)
            if comment is not None and isinstance(key, str):
                data.comments[key] = comment
            if not isinstance(key, str):
                raise LivretError(
                    f"keys must be text, not {key!r}",
                    self.source_name,
                    key_node.start_mark.line + 1,
                )
            if key in data:
                raise LivretError(
                    f"duplicate key '{key}'", self.source_name, key_node.start_mark.line + 1
                )
            data[key] = self.construct_object(value_node, deep=True)

    def construct_yaml_seq(self, node: yaml.SequenceNode) -> Any:
        data = LocatedList()
        data.file, data.line = self.source_name, node.start_mark.line + 1
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)


def _line_of(mark: yaml.Mark) -> str:
    buffer = mark.buffer or ""
    start = buffer.rfind("\n", 0, mark.pointer) + 1
    end = buffer.find("\n", mark.pointer)
    return buffer[start : end if end >= 0 else len(buffer)].rstrip("\0")


def _note_french_colon(key: Any, key_node: yaml.Node) -> None:
    """Mark a plain key followed by `` :``: it was most likely French prose."""
    mark = key_node.end_mark
    plain = isinstance(key_node, yaml.ScalarNode) and key_node.style is None
    if isinstance(key, LocatedStr) and mark.buffer and plain:
        following = mark.buffer[mark.pointer : mark.pointer + 3]
        if following.startswith((" :", "\t:")):
            key.spaced_colon_line = _line_of(mark)


def _comment_instead_of_value(value_node: yaml.Node) -> str | None:
    """The ``#...`` after a key whose value is empty, on the same line, when it looks like
    a value (no space after the ``#``)."""
    if not (isinstance(value_node, yaml.ScalarNode) and value_node.value == ""):
        return None
    if value_node.style is not None or not value_node.start_mark.buffer:
        return None
    mark = value_node.start_mark
    rest = _line_of(mark)[mark.column :].strip()
    # "#C62828" is a value that YAML took for a comment; "# to do" is a real comment.
    return rest if len(rest) > 1 and rest[0] == "#" and not rest[1].isspace() else None


_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_number)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_number)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq)


def load_yaml(path: Path, display: str, allowed: Allowed) -> LocatedDict:
    """Load a YAML mapping from ``path`` (which must stay in ``allowed``, the project);
    ``display`` is the name used in errors."""
    return parse_yaml(read_text(path, allowed, display), display)


def parse_yaml(text: str, display: str) -> LocatedDict:
    """Parse YAML text that must hold a mapping; ``display`` names it in errors.

    A text parsed before is not parsed again (``livret serve`` and chapter batches load
    the same files many times): the caller gets its own copy, about seven times faster.
    """
    return copy.deepcopy(_parse_yaml(text, display))


@functools.lru_cache(maxsize=32)
def _parse_yaml(text: str, display: str) -> LocatedDict:
    loader = None
    try:
        loader = _Loader(text)  # the reader checks every character here
        loader.source_name = display
        data = loader.get_single_data()
    except yaml.reader.ReaderError as error:
        where = text[: error.position].count("\n") + 1
        character = (
            f"U+{error.character:04X}" if isinstance(error.character, int) else "a character"
        )
        raise LivretError(f"{character} is not allowed in YAML", display, where) from None
    except yaml.MarkedYAMLError as error:
        raise plain_error(error, text, display) from None
    except yaml.YAMLError as error:
        raise LivretError(f"YAML error: {error}", display) from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        raise LivretError("file is empty", display)
    if not isinstance(data, LocatedDict):
        raise LivretError("the top level must be a mapping of keys to values", display, 1)
    return data
