"""What ``livret list`` shows: the languages, each document with its title, the chapters.

Only the project's YAML, CSV and catalogs are read: listing never loads the renderer.
"""

from __future__ import annotations

from typing import Any

from livret.i18n.translator import Translator, translator_for
from livret.model.chapters import load_chapters
from livret.model.project import Document, Project, load_content
from livret.model.schema import Message


def document_titles(
    project: Project, document: Document, translators: dict[str, Translator]
) -> dict[str, str]:
    """The document's title in each language (the source text where it is untranslated)."""
    title = load_content(project, document).get("title")
    if not isinstance(title, Message):
        return {}
    return {lang: tr.gettext(title.text, title.context) for lang, tr in translators.items()}


def project_listing(project: Project) -> dict[str, Any]:
    """Everything ``livret list`` prints, as plain data (its ``--format json``)."""
    translators = {
        lang: translator_for(project.locales_dir, lang, project.source_language, project.root)
        for lang in project.languages
    }
    return {
        "languages": list(project.languages),
        "source_language": project.source_language,
        "documents": {
            doc.id: {
                "template": doc.template,
                "content": project.relative(doc.content),
                "titles": document_titles(project, doc, translators),
            }
            for doc in project.documents.values()
        },
        "chapters": {
            chapter.slug: {"name": chapter.name, "city": chapter.city, "source": chapter.source}
            for chapter in load_chapters(project).values()
        },
    }
