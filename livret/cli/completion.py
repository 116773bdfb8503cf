"""Shell completion of document ids, languages and chapter slugs, read from the project.

click's own completion calls these (``_LIVRET_COMPLETE=bash_source livret``). They read
``livret.yaml`` and the chapters only, never load the renderer, and offer nothing
rather than fail when there is no valid project.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.shell_completion import CompletionItem

from livret.errors import LivretError
from livret.model.project import Project, find_root, load_project


def _project(context: click.Context) -> Project | None:
    """The project that the command line names (``--project`` before or after the
    command), or the nearest one; None when there is none or it does not load."""
    folder = getattr(context.obj, "project_dir", None)  # --project after the command
    folder = folder or context.find_root().params.get("project_dir")
    try:
        return load_project(folder.resolve() if folder else find_root(Path.cwd()))
    except (LivretError, OSError):
        return None


def complete_documents(
    context: click.Context, _: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Document ids, with their kind."""
    project = _project(context)
    documents = project.documents.values() if project else []
    return [
        CompletionItem(doc.id, help=doc.template)
        for doc in documents
        if doc.id.startswith(incomplete)
    ]


def complete_languages(
    context: click.Context, _: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The project's languages."""
    project = _project(context)
    langs = project.languages if project else ()
    return [CompletionItem(lang) for lang in langs if lang.startswith(incomplete)]


def complete_chapters(
    context: click.Context, _: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Chapter slugs, with the chapter's name."""
    from livret.model.chapters import load_chapters

    project = _project(context)
    try:
        found = load_chapters(project).values() if project else []
    except (LivretError, OSError):
        return []
    return [
        CompletionItem(chapter.slug, help=chapter.name)
        for chapter in found
        if chapter.slug.startswith(incomplete)
    ]
