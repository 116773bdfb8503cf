"""``livret i18n``: the translator's commands over standard PO files."""

from __future__ import annotations

import json
import sys

import click

from livret.cli.settings import EXIT_FAILED, Settings
from livret.wording import count


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
@click.pass_obj
def update(settings: Settings) -> None:
    """Extract, then merge into every catalog; changed strings become fuzzy."""
    from livret.i18n.catalogs import update_catalogs

    project = settings.project()
    summaries = update_catalogs(project)
    if not summaries:
        settings.say("no language to translate: add one to 'languages' in livret.yaml")
    for item in summaries:
        settings.say(
            f"{item.lang}: {item.added} added, {item.fuzzy} fuzzy, {item.obsolete} obsolete, "
            f"{item.unchanged} unchanged ({item.file})"
        )


@i18n.command()
@click.argument("lang")
@click.pass_obj
def init(settings: Settings, lang: str) -> None:
    """Start the catalog of a new language LANG, such as de, es or fr_CA."""
    from livret.i18n.catalogs import init_catalog

    project = settings.project()
    path = init_catalog(project, lang)
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
@click.pass_obj
def stats(settings: Settings, output_format: str, fail_under: float | None) -> None:
    """Translated, fuzzy, untranslated and obsolete counts per language."""
    from livret.i18n.catalogs import catalog_stats

    progress = catalog_stats(settings.project())
    if output_format == "json":
        data = {lang: item.as_dict() for lang, item in progress.items()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for lang, item in progress.items():
            click.echo(
                f"{lang:6} {item.percent:5.1f}%  {item.translated} translated, "
                f"{item.fuzzy} fuzzy, {item.untranslated} untranslated, "
                f"{item.obsolete} obsolete, {item.total} total"
            )
    below = [lang for lang, item in progress.items() if item.percent < (fail_under or 0)]
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
