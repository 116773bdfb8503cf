"""Content files: one declared schema per document kind, strings kept with file:line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from livret.project import Document, Project
from livret.schema import Field, ListOf, Message, OneOf, Record, Str, Text, Type
from livret.yamlfile import load_yaml

_ID = Str(r"[a-z0-9][a-z0-9-]*", "(lowercase letters, digits and dashes)")

_CALLOUT = Record(
    {
        "kind": Field(
            Str(r"tip|warning|info", "(tip, warning or info)"), required=False, default="info"
        ),
        "title": Field(Text(), required=False),
        "text": Field(Text()),
    }
)
_TABLE = Record(
    {
        "header": Field(ListOf(Text(), "column", 1)),
        "rows": Field(ListOf(ListOf(Text(), "cell", 1), "row", 1)),
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

SCHEMAS: dict[str, Type] = {"guide": GUIDE}


def load_content(project: Project, document: Document) -> dict[str, Any]:
    """Load and validate the content file of ``document`` against its kind's schema."""
    display = project.relative(document.content)
    raw = load_yaml(document.content, display)
    data: dict[str, Any] = SCHEMAS[document.template].check(raw, None, (document.id,))
    return data


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
