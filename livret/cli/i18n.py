"""``livret i18n``: the translator's commands over standard PO files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from livret.cli.settings import EXIT_FAILED, Settings
from livret.errors import shortened
from livret.wording import count

if TYPE_CHECKING:
    pass


@click.group()
def i18n() -> None:
    """Keep translations current: extract, update, init, stats, check.

    Catalogs are standard gettext PO files in locales/<lang>/LC_MESSAGES/livret.po,
    for Poedit, Weblate or any text editor; the template is locales/livret.pot.
    """


@i18n.command()
@click.pass_obj
def extract(settings: Settings) -> None:
    """Regenerate locales/livret.pot from content, brand and templates."""
    from livret.i18n.extract import write_template

    project = settings.project()
    path, total = write_template(project)
    settings.say(f"wrote {project.relative(path)} ({count(total, 'message')})")


@i18n.command()
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit with 1 and list the files that would change (for CI).",
)
@click.option(
    "--compendium",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A PO file whose exact matches fill in untranslated strings.",
)
@click.pass_obj
def update(settings: Settings, check_only: bool, compendium: Path | None) -> None:
    """Extract, then merge into every catalog; changed strings become fuzzy."""
    from livret.i18n.catalogs import update_catalogs

    project = settings.project()
    summaries, template_changed = update_catalogs(project, compendium, write=not check_only)
    if not summaries:
        settings.say("no language to translate: add one to 'languages' in livret.yaml")
    for item in summaries:
        settings.say(str(item))
    if not check_only:
        return
    stale = [item.file for item in summaries if item.changed]
    if template_changed:
        stale.insert(0, project.relative(project.locales_dir / "livret.pot"))
    for file in stale:
        click.echo(f"would change: {file}")
    if stale:
        click.secho("catalogs are not up to date (run: livret i18n update)", fg="red", err=True)
        sys.exit(EXIT_FAILED)


@i18n.command()
@click.argument("lang")
@click.option(
    "--from",
    "compendium",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Pre-fill exact matches from this PO file (another catalog, an earlier edition).",
)
@click.pass_obj
def init(settings: Settings, lang: str, compendium: Path | None) -> None:
    """Start the catalog of a new language LANG, such as de, es or fr_CA.

    A regional variant (fr_CA, en_GB…) starts empty: it needs only the strings that
    differ from its parent language.
    """
    from livret.i18n.catalogs import init_catalog

    project = settings.project()
    path = init_catalog(project, lang, compendium)
    settings.say(f"created {project.relative(path)}")
    if lang not in project.languages:
        settings.warn(f"add '{lang}' to 'languages' in livret.yaml to build it")


@i18n.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    metavar="PERCENT",
    help="Exit with 1 when a language is translated below PERCENT.",
)
@click.option(
    "--list",
    "listed",
    type=click.Choice(["untranslated", "fuzzy"]),
    help="List these strings, with their line and place in the document.",
)
@click.option("--by-document", is_flag=True, help="Also show each document's progress.")
@click.pass_obj
def stats(
    settings: Settings,
    output_format: str,
    fail_under: float | None,
    listed: str | None,
    by_document: bool,
) -> None:
    """Translated, fuzzy, untranslated and obsolete counts per language.

    A regional variant counts what it takes from its parent language as covered.
    """
    from livret.i18n.stats import Stats, languages, stats_by_document

    project = settings.project()
    data: dict[str, object] = {}
    below = []
    for item in languages(project):
        progress = Stats.of(item.messages, item.obsolete, item.parent)
        if progress.percent < (fail_under or 0):
            below.append(item.lang)
        if listed:
            chosen = [m for m in item.messages if m.state == listed]
            data[item.lang] = [message.as_dict() for message in chosen]
            if output_format == "text":
                for message in chosen:
                    place = f" [{message.place}]" if message.place else ""
                    text = shortened(message.entry.msgid, 70, "…")
                    click.echo(f"{message.file}:{message.line}: {listed}{place}: {text}")
            continue
        documents = stats_by_document(project, item) if by_document else {}
        data[item.lang] = progress.as_dict() | (
            {"documents": {doc: part.as_dict() for doc, part in documents.items()}}
            if by_document
            else {}
        )
        if output_format == "text":
            click.echo(f"{item.lang:6} {progress}")
            for document, part in documents.items():
                click.echo(f"  {document:26} {part}")
    if output_format == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    if fail_under is not None and below:
        click.secho(f"below {fail_under:g}%: {', '.join(below)}", fg="red", err=True)
        sys.exit(EXIT_FAILED)


@i18n.command()
@click.pass_obj
def check(settings: Settings) -> None:
    """Find what msgfmt misses: placeholders, markup, French spacing."""
    from livret.i18n.check import check_project

    findings = check_project(settings.project())
    for finding in findings:
        click.echo(str(finding))
    problems = sum(not finding.warning for finding in findings)
    settings.say(f"{count(problems, 'problem')}, {count(len(findings) - problems, 'warning')}")
    if problems:
        sys.exit(EXIT_FAILED)
