"""Inline Markdown for content and translations: no raw HTML, safe links, typography on text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from livret.html.filters import ADDRESS, address_parts
from livret.html.links import safe_link
from livret.i18n.typography import COMPOUND, COMPOUND_START, stays_whole


def _parser() -> MarkdownIt:
    """CommonMark with raw HTML and images off, and links as :mod:`livret.html.links`
    allows them: a link it refuses stays as text, a ``mailto:`` loses extra fields."""
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable(["image", "html_inline", "html_block"])
    normalize = parser.normalizeLink

    def normalize_link(url: str) -> str:
        return safe_link(normalize(url)) or ""

    parser.normalizeLink = normalize_link  # type: ignore[method-assign]
    parser.validateLink = bool  # type: ignore[method-assign,assignment]
    return parser


_PARSER = _parser()
# Addresses first: ``phares-solidaires.example`` is an address, not a compound word.
_UNBREAKABLE = re.compile(
    f"(?P<address>{ADDRESS.pattern})|{COMPOUND_START}(?P<compound>{COMPOUND.pattern})"
)


def inline(text: str, typography: Callable[[str], str]) -> Markup:
    """Render one paragraph of inline Markdown to safe HTML.

    ``typography`` is applied to text nodes only, so link targets and code stay untouched.
    A link with a forbidden scheme is left as plain text.
    """
    tokens = _PARSER.parseInline(text)
    for token in tokens:
        children: list[Token] = []
        in_autolink = False
        for child in token.children or []:
            if child.type in ("link_open", "link_close") and child.markup == "autolink":
                in_autolink = child.type == "link_open"
            if child.type != "text":
                children.append(child)
            elif in_autolink:
                children += _address_tokens(child.content)
            else:
                children += _text_with_addresses(child.content, typography)
        token.children = children
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    return Markup(html.strip())


def _text_with_addresses(text: str, typography: Callable[[str], str]) -> list[Token]:
    """Text tokens with typography applied; the addresses in it, and the hyphenated words
    that a line must not split, kept apart in spans that stay whole."""
    tokens, start = [], 0
    for match in _UNBREAKABLE.finditer(text):
        kind = match.lastgroup or "address"
        found = match[kind]
        if kind == "compound" and not stays_whole(found):
            continue
        tokens.append(_text(typography(text[start : match.start(kind)])))
        if kind == "address":
            tokens += _address_tokens(found)
        else:
            tokens += _span(typography(found), "nobreak")
        start = match.end()
    tokens.append(_text(typography(text[start:])))
    return [token for token in tokens if token.type != "text" or token.content]


def _address_tokens(address: str) -> list[Token]:
    """``<span class="address"><span>site.</span><wbr><span>example</span></span>``: the
    same markup as the ``address`` macro of the templates (see templates/macros.html.j2)."""
    tokens = [_tag("span_open", "span", 1, {"class": "address"})]
    for index, part in enumerate(address_parts(address)):
        if index:
            tokens.append(_tag("wbr", "wbr", 0))
        tokens += _span(part)
    return [*tokens, _tag("span_close", "span", -1)]


def _span(text: str, css_class: str | None = None) -> list[Token]:
    attrs: dict[str, str | int | float] | None = {"class": css_class} if css_class else None
    return [_tag("span_open", "span", 1, attrs), _text(text), _tag("span_close", "span", -1)]


def _tag(
    kind: str,
    tag: str,
    nesting: Literal[-1, 0, 1],
    attrs: dict[str, str | int | float] | None = None,
) -> Token:
    return Token(kind, tag, nesting, attrs=attrs or {})


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def inline_tokens(text: str) -> list[Token]:
    """The flat inline tokens of one paragraph: text, emphasis, links, code."""
    return [child for token in _PARSER.parseInline(text) for child in token.children or []]
