"""Safe YAML loading that keeps the line of every value and refuses hostile files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from livret.errors import LivretError

MAX_FILE_BYTES = 5 * 1024 * 1024


class Located:
    """Mixin giving a loaded value the file and 1-based line it came from."""

    file: str
    line: int


class LocatedStr(str, Located):
    """A string that remembers where it was written."""


class LocatedDict(dict[str, Any], Located):
    """A mapping that remembers where it was written."""


class LocatedList(list[Any], Located):
    """A sequence that remembers where it was written."""


class _Loader(yaml.SafeLoader):
    """A SafeLoader that refuses aliases and records lines."""

    source_name = "<yaml>"

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise LivretError(
                "YAML aliases (*name) are not allowed", self.source_name, event.start_mark.line + 1
            )
        return super().compose_node(parent, index)

    def construct_yaml_str(self, node: yaml.ScalarNode) -> LocatedStr:
        value = LocatedStr(self.construct_scalar(node))
        value.file, value.line = self.source_name, node.start_mark.line + 1
        return value

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
        yield data
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
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


_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq)


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 text file with a size cap, as a user error on any problem."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LivretError("file not found", display) from None
    except OSError as error:
        raise LivretError(f"cannot read file: {error.strerror}", display) from None
    if size > MAX_FILE_BYTES:
        raise LivretError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", display)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LivretError("file is not valid UTF-8", display, line) from None


def load_yaml(path: Path, display: str) -> LocatedDict:
    """Load a YAML mapping from ``path``; ``display`` is the name used in errors."""
    return parse_yaml(read_text(path, display), display)


def parse_yaml(text: str, display: str) -> LocatedDict:
    """Parse YAML text that must hold a mapping; ``display`` names it in errors."""
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
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or error.context or "invalid YAML"
        raise LivretError(f"YAML syntax error: {problem}", display, line) from None
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
