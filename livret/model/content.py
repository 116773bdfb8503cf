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
    Bool,
    Date,
    Field,
    Int,
    ListOf,
    Message,
    Month,
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


# A whole number of a size, in ASCII digits (``str.isdigit`` also takes ``²``).
_NUMBER = re.compile(rf"[0-9]{{1,{MAX_NUMBER_DIGITS}}}")


class _Size(Type):
    """A size in pixels written ``1080x1350``: two whole numbers."""

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> tuple[int, int]:
        width, found, height = str(value).partition("x")
        numbers = [_NUMBER.fullmatch(part) for part in (width, height)]
        if not (isinstance(value, str) and found and all(numbers)):
            raise self.error(
                f"'{path[-1]}': '{shortened(value)}' is not a size in pixels such as 1080x1350",
                value,
                parent,
            )
        return int(width), int(height)


class _ValueOrNote(Type):
    """A record that must say something: a ``value``, or at least a ``note``."""

    def __init__(self, record: Record) -> None:
        self.record = record

    def check(self, value: Any, parent: Any, path: tuple[str, ...]) -> dict[str, Any]:
        result: dict[str, Any] = self.record.check(value, parent, path)
        if result["value"] is None and result["note"] is None:
            raise self.error(f"'{path[-1]}' needs a 'value' or a 'note'", value, parent)
        return result


# A group whose figures were not read on the network's own help pages (docs/facts.md says
# which) is printed marked as such: ``unconfirmed: true``.
_UNCONFIRMED = Field(Bool(), required=False, default=False)
_AS_OF = Field(Month())  # the month the group's figures were checked (docs/facts.md)

# Numbers and sizes are data, never translated; labels, units and notes are text.
_FORMAT = Record(
    {
        "label": Field(Text()),
        "size": Field(_Size(), required=False),
        "ratio": Field(Str(r"\d+(\.\d+)?:\d+", "(a ratio such as 4:5)"), required=False),
        "note": Field(Text(), required=False),
    }
)
_LIMIT = _ValueOrNote(
    Record(
        {
            "label": Field(Text()),
            "value": Field(Int(0), required=False),
            "unit": Field(Text(), required=False),
            "note": Field(Text(), required=False),
        }
    )
)


def _group(fields: dict[str, Field]) -> Record:
    """One group of a card's figures, checked together in the month ``as_of``."""
    return Record({"as_of": _AS_OF, "unconfirmed": _UNCONFIRMED, **fields})


_ACCOUNT_KEY = Str(r"[a-z0-9_-]+", "(a key of 'accounts' in brand.yaml)")
NETWORK = Record(
    {
        "id": Field(_ID),
        "name": Field(Str()),
        "account": Field(_ACCOUNT_KEY, required=False),
        "summary": Field(Text()),
        "good_for": Field(Text()),
        "formats": Field(_group({"items": Field(ListOf(_FORMAT, "format", 1))})),
        "text": Field(_group({"items": Field(ListOf(_LIMIT, "limit", 1))})),
        "video": Field(_group({"items": Field(ListOf(_LIMIT, "limit", 1))})),
        "accessibility": Field(_group({"alt_text": Field(Text()), "captions": Field(Text())})),
        "admin": Field(_group({"roles": Field(ListOf(Text(), "role", 1))})),
        "security": Field(
            _group({"two_factor": Field(Text()), "passkeys": Field(Text(), required=False)})
        ),
        "moderation": Field(
            _group({"tools": Field(ListOf(Text(), "tool", 1)), "report": Field(Text())})
        ),
        "minimum_age": Field(
            _group({"value": Field(Int(0)), "note": Field(Text(), required=False)})
        ),
        "do": Field(ListOf(Text(), "do", 1)),
        "dont": Field(ListOf(Text(), "don't", 1)),
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
