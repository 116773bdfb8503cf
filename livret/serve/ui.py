"""The language of the ``livret serve`` page itself (not of the documents): fr or en.

The page's labels are English in the templates, translated by the small catalog
``web/fr.po`` shipped in the package: the project's ``locales/`` belong to the
association, not to livret. The page follows the browser's ``Accept-Language``; its
switch sets the ``ui`` query parameter, which a cookie then remembers.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

UI_LANGUAGES = {"en": "English", "fr": "Français"}
DEFAULT_UI = "en"
COOKIE = "livret-ui"


@cache
def translations(lang: str) -> NullTranslations:
    """The page's translations into ``lang`` (none for English, the templates' language)."""
    if lang == DEFAULT_UI:
        return NullTranslations()
    source = resources.files("livret.serve").joinpath("web", f"{lang}.po").read_bytes()
    buffer = io.BytesIO()
    write_mo(buffer, read_po(io.BytesIO(source), locale=lang))
    buffer.seek(0)
    return Translations(fp=buffer)


def gettext_functions(lang: str) -> dict[str, Callable[..., str]]:
    """``_`` and ``ngettext`` for the page's templates; values are filled in by name."""
    found = translations(lang)

    def gettext(message: str, **values: Any) -> str:
        text = found.gettext(message)
        return text % values if values else text

    def ngettext(singular: str, plural: str, num: int, **values: Any) -> str:
        return found.ngettext(singular, plural, num) % {"num": num, **values}

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def choose_language(asked: str | None, cookie: str | None, accept_language: str) -> str:
    """The page's language: asked for on the page, else remembered, else the browser's."""
    for lang in (asked, cookie):
        if lang in UI_LANGUAGES:
            return lang
    return preferred(accept_language)


def preferred(accept_language: str) -> str:
    """The first of ``UI_LANGUAGES`` in an ``Accept-Language`` header, by its weights."""
    weighted = []
    for position, item in enumerate(accept_language.split(",")):
        tag, _, parameters = item.strip().partition(";")
        weight = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                weight = 0.0
        weighted.append((-weight, position, tag.strip().split("-")[0].lower()))
    for weight, _, lang in sorted(weighted):
        if weight < 0 and lang in UI_LANGUAGES:
            return lang
    return DEFAULT_UI


def cookie_value(header: str) -> str | None:
    """The page language remembered in a ``Cookie`` header, if any."""
    for item in header.split(";"):
        name, _, value = item.strip().partition("=")
        if name == COOKIE:
            return value
    return None
