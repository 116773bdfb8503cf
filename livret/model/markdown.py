"""The guide written in Markdown: ``00-index.md`` (title, subtitle) and one file per chapter.

Each file is read with markdown-it (CommonMark, GFM tables, front matter, ``:::``
directives; raw HTML stays text) into the raw content tree that
:data:`livret.model.content.GUIDE` validates. Every text keeps its file and line, so the
guide has the same document model, messages and place comments as the YAML documents.
The syntax is shown in the README's "Writing the guide".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from livret.errors import LivretError, did_you_mean
from livret.inputs import read_text
from livret.limits import MAX_TEXT_CHARS
from livret.model.images import check_image
from livret.model.schema import Field, Record, Str, resolve_inside
from livret.model.yamlfile import (
    Located,
    LocatedDict,
    LocatedList,
    LocatedStr,
    parse_yaml,
)

INDEX = "00-index.md"
CALLOUTS = {"NOTE": "info", "TIP": "tip", "WARNING": "warning"}
DIRECTIVES = ("accounts",)
_CALLOUT_MARK = re.compile(r"\[!([A-Za-z]+)\][ \t]*(.*)")
_NUMBER_PREFIX = re.compile(r"\d+[-_ ]+")
_FRONT_MATTER = Record({"id": Field(Str(), required=False)})
_HEADINGS = "use # for the chapter title and ## for the headings inside it"
_IMAGE_ALONE = "an image stands alone in its paragraph, with a blank line before and after"
_NOT_IN_GUIDE = {
    "code_block": "indented text is read as code: remove the spaces at the start of the line",
    "fence": "code blocks (```) are not used in the guide",
    "hr": "horizontal rules (---, ***) are not used in the guide",
    "html_block": "raw HTML is not allowed",
}


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable("table")
    parser.use(front_matter_plugin)
    # Every ``::: name`` fence opens a directive; the name is checked here, with a hint.
    parser.use(container_plugin, "directive", validate=lambda params, markup: True)
    return parser


_PARSER = _parser()
_L = TypeVar("_L", bound=Located)


def guide_files(folder: Path) -> list[Path]:
    """The Markdown files of a guide: ``00-index.md``, then the chapters in name order."""
    if not folder.is_dir():
        return []
    chapters = sorted(
        path
        for path in folder.iterdir()
        if path.suffix == ".md" and path.name != INDEX and not path.name.startswith(".")
    )
    return [folder / INDEX, *chapters]


def load_guide(root: Path, folder: Path) -> LocatedDict:
    """The raw content tree of the guide in ``folder``: title, subtitle and sections."""
    display = _relative(root, folder)
    if not folder.is_dir():
        if folder.is_file():
            raise LivretError(
                "the guide is written in Markdown: 'content' must name a folder of .md "
                "files, one per chapter (see 'Writing the guide' in the README)",
                display,
            )
        raise LivretError("folder not found", display)
    index, *chapters = guide_files(folder)
    if not chapters:
        raise LivretError(
            "no chapter found: write each chapter in its own file, such as 01-intro.md", display
        )
    guide = _located(LocatedDict(), _relative(root, index), 1)
    guide.update(_MarkdownFile(root, index).cover())
    sections = _located(LocatedList(), display, 1)
    sections.extend(_MarkdownFile(root, path).chapter() for path in chapters)
    guide["sections"] = sections
    return guide


@dataclass
class _MarkdownFile:
    """One Markdown file of the guide, read into raw content with its lines."""

    root: Path
    path: Path

    def __post_init__(self) -> None:
        self.display = _relative(self.root, self.path)
        real = resolve_inside(self.root, self.display, self.display, "chapter file")
        if real.exists() and not real.is_file():
            raise LivretError("not a regular file", self.display)
        text = read_text(real, self.root, self.display, "chapter file")
        self.nodes = SyntaxTreeNode(_PARSER.parse(text)).children

    def cover(self) -> dict[str, Any]:
        """``00-index.md``: the guide's title (``# ...``) and an optional subtitle paragraph."""
        nodes = list(self.nodes)
        if not nodes or nodes[0].type != "heading" or nodes[0].tag != "h1":
            line = _line(nodes[0]) if nodes else 1
            raise self.error("start with the guide's title, written '# Title'", line)
        cover: dict[str, Any] = {"title": self.text(nodes[0])}
        rest = nodes[1:]
        if rest and rest[0].type == "paragraph":
            cover["subtitle"] = self.text(rest[0])
            rest = rest[1:]
        if rest:
            raise self.error(
                f"{INDEX} holds only the guide's title and its subtitle: "
                "write each chapter in its own file",
                _line(rest[0]),
            )
        return cover

    def chapter(self) -> LocatedDict:
        """A chapter file: optional front matter (``id``), its ``#`` title, then blocks."""
        nodes = list(self.nodes)
        section = _located(LocatedDict(), self.display, 1)
        section["id"] = self._id(nodes)
        if nodes and nodes[0].type == "front_matter":
            nodes = nodes[1:]
        if not nodes or nodes[0].type != "heading" or nodes[0].tag != "h1":
            line = _line(nodes[0]) if nodes else 1
            raise self.error("a chapter starts with its title, written '# Title'", line)
        section["title"] = self.text(nodes[0])
        if len(nodes) == 1:
            raise self.error("the chapter has nothing after its title", _line(nodes[0]))
        blocks = _located(LocatedList(), self.display, _line(nodes[1]))
        blocks.extend(self.block(node) for node in nodes[1:])
        section["blocks"] = blocks
        return section

    def _id(self, nodes: list[SyntaxTreeNode]) -> LocatedStr:
        """The chapter's id: ``id`` in the front matter, else the file name without its
        number (``01-pour-qui.md`` is ``pour-qui``)."""
        if nodes and nodes[0].type == "front_matter" and nodes[0].content.strip():
            # Blank lines in front keep the YAML's line numbers those of the file.
            offset = "\n" * (_line(nodes[0]))
            data = parse_yaml(offset + nodes[0].content, self.display)
            _FRONT_MATTER.check(data, None, ("front matter",))
            if isinstance(data.get("id"), LocatedStr):
                found: LocatedStr = data["id"]
                return found
        stem = self.path.stem
        return _located(LocatedStr(_NUMBER_PREFIX.sub("", stem, count=1) or stem), self.display, 1)

    def block(self, node: SyntaxTreeNode) -> LocatedDict:
        """One block of a chapter: a paragraph, heading, list, table, callout or directive."""
        line = _line(node)
        kind: str
        value: Any
        if node.type == "paragraph":
            kind, value = self.paragraph(node)
        elif node.type == "heading":
            if node.tag == "h1":
                raise self.error(
                    "a second '#' title: each chapter has one; write the next chapter in its "
                    f"own file, or {_HEADINGS}",
                    line,
                )
            if node.tag != "h2":
                raise self.error(f"'{node.markup}' headings are not used: {_HEADINGS}", line)
            kind, value = "heading", self.text(node)
        elif node.type in ("bullet_list", "ordered_list"):
            kind = "list" if node.type == "bullet_list" else "steps"
            value = self.items(node)
        elif node.type == "table":
            kind, value = "table", self.table(node)
        elif node.type == "blockquote":
            kind, value = "callout", self.callout(node)
        elif node.type == "container_directive":
            kind, value = self.directive(node)
        else:
            reason = _NOT_IN_GUIDE.get(node.type, f"'{node.type}' is not used in the guide")
            raise self.error(reason, line)
        return _located(LocatedDict({kind: value}), self.display, line)

    def paragraph(self, node: SyntaxTreeNode) -> tuple[str, Any]:
        """A paragraph of text, or a figure when it holds one image and nothing else."""
        inline = node.children[0]
        parts = [child for child in inline.children if child.type != "softbreak"]
        images = [child for child in parts if child.type == "image"]
        if not images:
            return "p", self.text(node)
        others = [child for child in parts if child.type != "image" and child.content.strip()]
        if others or len(images) > 1:
            raise self.error(_IMAGE_ALONE, _line(node))
        return "figure", self.figure(images[0], _line(node))

    def figure(self, image: SyntaxTreeNode, line: int) -> LocatedDict:
        """``![what the image shows](../images/file.png "Caption")``."""
        source = str(image.attrs.get("src", ""))
        alt = image.content
        if not alt.strip():
            raise self.error(
                "an image needs a description in its brackets: ![what it shows](...)", line
            )
        path = check_image(self.root, self.path.parent, unquote(source), self.display, line)
        figure = _located(LocatedDict(), self.display, line)
        figure["image"] = _located(LocatedStr(path.as_uri()), self.display, line)
        figure["alt"] = _located(LocatedStr(alt), self.display, line)
        title = image.attrs.get("title")
        if title:
            figure["caption"] = _located(LocatedStr(str(title)), self.display, line)
        return figure

    def items(self, node: SyntaxTreeNode) -> LocatedList:
        """The items of a list; each is one paragraph (lists are not nested)."""
        items = _located(LocatedList(), self.display, _line(node))
        for item in node.children:
            if len(item.children) != 1 or item.children[0].type != "paragraph":
                raise self.error(
                    "a list item is one paragraph: lists inside lists, and several paragraphs "
                    "in one item, are not used in the guide",
                    _line(item),
                )
            items.append(self.text(item.children[0]))
        return items

    def table(self, node: SyntaxTreeNode) -> LocatedDict:
        """A GFM table: its header row, then its rows (the first cell heads each row)."""
        head = next(child for child in node.children if child.type == "thead")
        body = next((child for child in node.children if child.type == "tbody"), None)
        if body is None:
            raise self.error("the table has no row under its header", _line(node))
        table = _located(LocatedDict(), self.display, _line(node))
        table["header"] = self.cells(head.children[0])
        rows = _located(LocatedList(), self.display, _line(body))
        rows.extend(self.cells(row) for row in body.children)
        table["rows"] = rows
        return table

    def cells(self, row: SyntaxTreeNode) -> LocatedList:
        line = _line(row)
        cells = _located(LocatedList(), self.display, line)
        for cell in row.children:
            content = cell.children[0].content if cell.children else ""
            cells.append(_located(LocatedStr(content), self.display, line))
        return cells

    def callout(self, node: SyntaxTreeNode) -> LocatedDict:
        """``> [!TIP] Title`` then the callout's paragraphs, every line starting with ``>``."""
        line = _line(node)
        first = node.children[0] if node.children else None
        text = first.children[0].content if first and first.type == "paragraph" else ""
        mark_line, _, rest = text.partition("\n")
        mark = _CALLOUT_MARK.fullmatch(mark_line.strip())
        kinds = ", ".join(f"[!{name}]" for name in CALLOUTS)
        if not mark:
            raise self.error(
                f"a quote (>) is a callout: start its first line with {kinds} and a title", line
            )
        kind = CALLOUTS.get(mark[1].upper())
        if kind is None:
            hint = did_you_mean(mark[1].upper(), CALLOUTS) or f" (use {kinds})"
            raise self.error(f"unknown callout '[!{mark[1]}]'{hint}", line)
        callout = _located(LocatedDict(), self.display, line)
        callout["kind"] = _located(LocatedStr(kind), self.display, line)
        if mark[2].strip():
            callout["title"] = _located(LocatedStr(mark[2]), self.display, line)
        paragraphs = _located(LocatedList(), self.display, line)
        if rest.strip():
            paragraphs.append(_located(LocatedStr(rest), self.display, line + 1))
        for child in node.children[1:]:
            if child.type != "paragraph":
                raise self.error("a callout holds only paragraphs of text", _line(child))
            paragraphs.append(self.text(child))
        if not paragraphs:
            raise self.error("the callout has no text under its title", line)
        callout["text"] = paragraphs
        return callout

    def directive(self, node: SyntaxTreeNode) -> tuple[str, Any]:
        """``::: accounts`` … ``:::``: the national accounts, after the sentence inside."""
        name = node.info.strip()
        line = _line(node)
        if name not in DIRECTIVES:
            hint = did_you_mean(name, DIRECTIVES) or f" (use one of: {', '.join(DIRECTIVES)})"
            raise self.error(f"unknown directive '::: {name}'{hint}", line)
        if len(node.children) != 1 or node.children[0].type != "paragraph":
            raise self.error(f"'::: {name}' holds one paragraph, then a closing ':::'", line)
        return name, self.text(node.children[0])

    def text(self, node: SyntaxTreeNode) -> LocatedStr:
        """The inline Markdown source of a heading or paragraph, where it was written."""
        inline = node.children[0]
        if any(child.type == "image" for child in inline.children):
            raise self.error(_IMAGE_ALONE, _line(node))
        return _located(LocatedStr(inline.content), self.display, _line(node))

    def error(self, message: str, line: int | None) -> LivretError:
        return LivretError(message, self.display, line)


def _line(node: SyntaxTreeNode) -> int:
    return node.map[0] + 1 if node.map else 1


def _located(value: _L, file: str, line: int) -> _L:
    if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:  # as a YAML text
        raise LivretError(f"a text may hold at most {MAX_TEXT_CHARS} characters", file, line)
    value.file, value.line = file, line
    return value


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
