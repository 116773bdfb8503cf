"""Inline Markdown for content and translations: no raw HTML, safe links, typography on text."""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def is_allowed_link(url: str) -> bool:
    """Only web, e-mail and phone links; nothing relative, no javascript: or file:."""
    return url.strip().lower().startswith(ALLOWED_SCHEMES)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable(["image", "html_inline", "html_block"])
    parser.validateLink = is_allowed_link  # type: ignore[method-assign]
    return parser


_PARSER = _parser()


def inline(text: str, typography: Callable[[str], str]) -> Markup:
    """Render one paragraph of inline Markdown to safe HTML.

    ``typography`` is applied to text nodes only, so link targets and code stay untouched.
    A link with a forbidden scheme is left as plain text.
    """
    tokens = _PARSER.parseInline(text)
    in_autolink = False
    for token in tokens:
        for child in token.children or []:
            if child.type in ("link_open", "link_close") and child.markup == "autolink":
                in_autolink = child.type == "link_open"
            elif child.type == "text" and not in_autolink:
                child.content = typography(child.content)
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    return Markup(html.strip())


def inline_tokens(text: str) -> list[Token]:
    """The flat inline tokens of one paragraph: text, emphasis, links, code."""
    return [child for token in _PARSER.parseInline(text) for child in token.children or []]
