"""Content files: one declared schema per document kind, strings kept with file:line.

The guide's schema is the shape that its Markdown is read into (``livret.model.markdown``);
checklists and cheat sheets are YAML files validated against theirs.

The kinds that use them are listed in :mod:`livret.kinds`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from livret.errors import shortened
from livret.limits import MAX_CHECKLIST_ITEMS, MAX_NUMBER_DIGITS
from livret.model.schema import (
    Date,
    Field,
    Int,
    ListOf,
    Message,
    OneOf,
    Record,
    Str,
    Text,
    Type,
)

_ID = Str(r"[a-z0-9][a-z0-9-]*", "(lowercase letters, digits and dashes)")

_CALLOUT = Record(
    {
        "kind": Field(
            Str(r"tip|warning|info", "(tip, warning or info)"), required=False, default="info"
        ),
        "title": Field(Text(), required=False),
        "text": Field(ListOf(Text(), "paragraph", 1)),
    }
)
_FIGURE = Record(
    {
        "image": Field(Str()),  # the file: URL of a checked image in content/images/
        "alt": Field(Text()),
        "caption": Field(Text(), required=False),
    }
)
_TABLE = Record(
    {
        "header": Field(ListOf(Text(), "column", 1)),
        # Blank cells are boxes to fill in by hand (a form to print).
        "rows": Field(ListOf(ListOf(Text(blank=True), "cell", 1), "row", 1)),
    }
)
BLOCK = OneOf(
    {
        "p": Text(),
        "heading": Text(),
        "list": ListOf(Text(), "item", 1),
        "steps": ListOf(Text(), "step", 1),
        "callout": _CALLOUT,
        "table": _TABLE,
        "accounts": Text(),
        "figure": _FIGURE,
    }
)
GUIDE = Record(
    {
        "title": Field(Text()),
        "subtitle": Field(Text(), required=False),
        "sections": Field(
            ListOf(
                Record(
                    {
                        "id": Field(_ID),
                        "title": Field(Text()),
                        "blocks": Field(ListOf(BLOCK, "block", 1)),
                    }
                ),
                "section",
                1,
            )
        ),
    }
)


class _AtMostItems(Type):
    """A checklist's groups, with at most ``MAX_CHECKLIST_ITEMS`` items in all: far more
    than one page holds, refused before any layout."""

    def __init__(self, groups: Type) -> None:
        self.groups = groups

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> list[Any]:
        groups: list[Any] = self.groups.check(value, parent, path)
        total = sum(len(group["items"]) for group in groups)
        if total > MAX_CHECKLIST_ITEMS:
            raise self.error(
                f"a checklist may have at most {MAX_CHECKLIST_ITEMS} items in all, "
                f"not {total} (one page holds about 40)",
                value,
                parent,
            )
        return groups


CHECKLIST = Record(
    {
        "title": Field(Text()),
        "purpose": Field(Text()),
        "fields": Field(ListOf(Text(), "field"), required=False, default=[]),
        "groups": Field(
            _AtMostItems(
                ListOf(
                    Record({"title": Field(Text()), "items": Field(ListOf(Text(), "item", 1))}),
                    "group",
                    1,
                )
            )
        ),
    }
)


# A whole number of a pair, in ASCII digits (``str.isdigit`` also takes ``²``).
_NUMBER = re.compile(rf"[0-9]{{1,{MAX_NUMBER_DIGITS}}}")


class _Pair(Type):
    """Two whole numbers written ``1080x1350`` (a size) or ``2200-4000`` (a range)."""

    def __init__(self, separator: str, meaning: str, example: str) -> None:
        self.separator, self.meaning, self.example = separator, meaning, example

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> tuple[int, int]:
        first, found, second = str(value).partition(self.separator)
        numbers = [_NUMBER.fullmatch(part) for part in (first, second)]
        if not (isinstance(value, str) and found and all(numbers)):
            raise self.error(
                f"'{path[-1]}': '{shortened(value)}' is not {self.meaning} such as {self.example}",
                value,
                parent,
            )
        return int(first), int(second)


# A limit is one number, a range or a size in pixels; numbers are data, never translated.
_LIMIT = OneOf(
    {
        "value": Int(0),
        "range": _Pair("-", "a range of whole numbers", "2200-4000"),
        "size": _Pair("x", "a size in pixels", "1080x1350"),
    },
    extra={"label": Field(Text()), "unit": Field(Text(), required=False)},
)
_ACCOUNT_KEY = Str(r"[a-z0-9_-]+", "(a key of 'accounts' in brand.yaml)")
NETWORK = Record(
    {
        "id": Field(_ID),
        "name": Field(Str()),
        "account": Field(_ACCOUNT_KEY, required=False),
        "summary": Field(Text()),
        "good_for": Field(Text()),
        "limits": Field(ListOf(_LIMIT, "limit"), required=False, default=[]),
        "do": Field(ListOf(Text(), "do", 1)),
        "dont": Field(ListOf(Text(), "don't", 1)),
        "as_of": Field(Date()),
    }
)
CHEATSHEETS = Record(
    {
        "title": Field(Text()),
        "intro": Field(Text(), required=False),
        "networks": Field(ListOf(NETWORK, "network", 1, unique="id")),
        "closed": Field(
            ListOf(
                Record({"name": Field(Str()), "closed_on": Field(Date())}),
                "closed network",
            ),
            required=False,
            default=[],
        ),
    }
)


def messages(tree: Any) -> Iterator[Message]:
    """Every translatable message in a validated content tree, in document order."""
    if isinstance(tree, Message):
        yield tree
    elif isinstance(tree, dict):
        for value in tree.values():
            yield from messages(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from messages(value)
