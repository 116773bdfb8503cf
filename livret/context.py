"""The data every template receives: brand, localized content, locale and assets."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from livret import __version__
from livret.brand import Brand
from livret.fonts import FontFamily
from livret.localize import Localizer
from livret.project import Document, Project


def _font_faces(families: list[FontFamily]) -> list[dict[str, Any]]:
    """One ``@font-face`` entry per distinct face of the brand's families."""
    faces = {}
    for family in families:
        for face in family.faces:
            entry = {"family": family.css_name, "url": face.path.as_uri(), "weight": face.weight}
            faces[(family.css_name, face.weight, face.style)] = {**entry, "style": face.style}
    return list(faces.values())


def brand_view(brand: Brand, localizer: Localizer) -> dict[str, Any]:
    """The brand as templates see it: translated texts and file URLs."""
    return {
        "name": localizer.typography(brand.name),
        "short_name": localizer.typography(brand.short_name),
        "tagline": localizer.message(brand.tagline),
        "legal": localizer.message(brand.legal),
        "logo_url": brand.logo.as_uri(),
        "colors": asdict(brand.colors),
        "contact": asdict(brand.contact),
        "accounts": brand.accounts,
        "fonts": {"body": brand.body_font.css_name, "heading": brand.heading_font.css_name},
        "font_faces": _font_faces([brand.body_font, brand.heading_font]),
    }


def stylesheets(project: Project, document: Document) -> list[str]:
    """The shared base stylesheet, then the document kind's own one."""
    names = ["base.css", f"{document.template}.css"]
    return [
        (project.templates_dir / name).as_uri()
        for name in names
        if (project.templates_dir / name).is_file()
    ]


def template_context(
    project: Project,
    brand: Brand,
    document: Document,
    content: Any,
    localizer: Localizer,
    paper: str = "A4",
    type_size: float | None = None,
    free_space: float = 0.0,
) -> dict[str, Any]:
    """Everything a document template may use.

    ``paper`` is a CSS page size. While a one-page document is fitted, ``type_size`` is
    its body size in points (else None: the stylesheet decides) and ``free_space`` the
    millimetres left at the bottom of the page, for the template to fill.
    """
    locale = localizer.locale
    return {
        "doc": localizer.tree(content),
        "document": {"id": document.id, "kind": document.template},
        "brand": brand_view(brand, localizer),
        "lang": localizer.translator.lang,
        "locale": locale,
        "html_lang": locale.replace("_", "-"),
        "edition": project.edition_date,
        "stylesheets": stylesheets(project, document),
        "generator": f"livret {__version__}",
        "paper": paper,
        "type_size": type_size,
        "free_space": free_space,
        **localizer.template_callables(),
    }
