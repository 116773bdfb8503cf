"""Turn validated content into what one language's reader sees.

Every :class:`Message` becomes safe HTML: translated along the fallback chain,
rendered as inline Markdown (no raw HTML), with the locale's typography.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import Markup, escape

from livret.errors import LivretError
from livret.html import markup
from livret.i18n import typography
from livret.i18n.placeholders import from_catalog, to_catalog, unknown_placeholders
from livret.i18n.translator import Translator
from livret.model.schema import Message


@dataclass
class Localizer:
    """Translation, typography and Markdown for one language and locale."""

    translator: Translator
    locale: str

    def typography(self, text: str) -> str:
        return typography.apply(text, self.locale)

    def message(self, message: Message) -> Markup:
        text = self.translator.gettext(to_catalog(message.text), message.context)
        return markup.inline(from_catalog(text), self.typography)

    def tree(self, tree: Any) -> Any:
        """A copy of a content tree with every message rendered."""
        if isinstance(tree, Message):
            return self.message(tree)
        if isinstance(tree, dict):
            return {key: self.tree(value) for key, value in tree.items()}
        if isinstance(tree, list):
            return [self.tree(value) for value in tree]
        return tree

    def template_callables(self) -> dict[str, Callable[..., Markup]]:
        """``_``, ``gettext``, ``ngettext``, ``pgettext`` and ``npgettext`` for templates.

        The result is escaped text, so a translation can never inject markup.
        """
        return {
            "_": self._gettext,
            "gettext": self._gettext,
            "pgettext": self._pgettext,
            "ngettext": partial(self._ngettext, None),
            "npgettext": self._ngettext,
        }

    def _gettext(self, msgid: str, **variables: Any) -> Markup:
        return self._finish(self.translator.gettext(msgid), variables, msgid)

    def _pgettext(self, context: str, msgid: str, **variables: Any) -> Markup:
        return self._finish(self.translator.gettext(msgid, context), variables, msgid, context)

    def _ngettext(
        self, context: str | None, singular: str, plural: str, n: int, **variables: Any
    ) -> Markup:
        text = self.translator.ngettext(singular, plural, n, context)
        return self._finish(text, {"num": n, **variables}, singular, context, plural)

    def _finish(
        self,
        text: str,
        variables: dict[str, Any],
        msgid: str,
        context: str | None = None,
        plural: str = "",
    ) -> Markup:
        """Escape, then fill placeholders; a broken one is reported where it was written.

        Always %-format, as Jinja's newstyle gettext does: ``%%`` is a percent sign.
        """
        result = escape(self.typography(text))
        try:
            unknown = unknown_placeholders(f"{msgid} {plural}", text)
            if unknown:
                raise ValueError(f"unknown placeholder {', '.join(unknown)}")
            return Markup(result % variables)
        except (KeyError, ValueError, TypeError) as error:
            problem = f"no value for {error}" if isinstance(error, KeyError) else str(error)
            if text in (msgid, plural):
                # The template's own label is wrong: render_html adds the template and line.
                raise ValueError(f"label '{msgid}': broken placeholder: {problem}") from None
            file, line = self.translator.location(msgid, context)
            raise LivretError(
                f"the translation of '{msgid}' has a broken placeholder: {problem}", file, line
            ) from None
