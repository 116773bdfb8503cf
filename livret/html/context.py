"""The data every template receives: brand, localized content, locale and assets."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from livret import __version__
from livret.html.localize import Localizer
from livret.kinds import SHARED_STYLESHEET
from livret.model.brand import Brand
from livret.model.fonts import FontFamily
from livret.model.project import Document, Project


def _font_faces(families: list[FontFamily]) -> list[dict[str, Any]]:
    """One ``@font-face`` entry per distinct face of the brand's families."""
    faces = {}
    for family in families:
        for face in family.faces:
            entry = {"family": family.css_name, "url": face.path.as_uri(), "weight": face.weight}
            faces[(family.css_name, face.weight, face.style)] = {**entry, "style": face.style}
    return list(faces.values())


def _chapter(brand: Brand, localizer: Localizer) -> dict[str, str] | None:
    if brand.chapter is None:
        return None
    chapter = brand.chapter
    return {"slug": chapter.slug, "name": localizer.typography(chapter.name), "city": chapter.city}


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
        "accounts": brand.effective_accounts,
        "national_accounts": brand.accounts,
        "chapter": _chapter(brand, localizer),
        "fonts": {"body": brand.body_font.css_name, "heading": brand.heading_font.css_name},
        "font_faces": _font_faces([brand.body_font, brand.heading_font]),
    }


def stylesheets(project: Project, document: Document) -> list[str]:
    """The shared base stylesheet, then the document kind's own one."""
    names = [SHARED_STYLESHEET, document.kind.stylesheet]
    return [
        (project.templates_dir / name).as_uri()
        for name in names
        if (project.templates_dir / name).is_file()
    ]


def template_context(
    project: Project, brand: Brand, document: Document, doc: Any, localizer: Localizer, paper: str
) -> dict[str, Any]:
    """Everything a document template may use; ``doc`` is the localized content tree."""
    locale = localizer.locale
    return {
        "doc": doc,
        "document": {"id": document.id, "kind": document.template},
        "brand": brand_view(brand, localizer),
        "lang": localizer.translator.lang,
        "locale": locale,
        "html_lang": locale.replace("_", "-"),
        "edition": project.edition_date,
        "stylesheets": stylesheets(project, document),
        "generator": f"livret {__version__}",
        "edition_pages_only": False,  # a guide's cover and back cover alone
        "edition_footer_only": False,  # a checklist's footer alone, at the top of its page
        "edition_without_footer": False,  # a checklist without its footer
        "paper": paper,
        **localizer.template_callables(),
    }
