"""Command-line interface: ``livret [--project DIR] [-v | -q] COMMAND``.

Exit codes: 0 all built; 1 some document failed while the others were built;
2 invalid input or usage, with nothing written.
"""

from __future__ import annotations

from pathlib import Path

import click

from livret.cli.commands import build, check, init, list_documents, preview, serve
from livret.cli.i18n import i18n
from livret.cli.settings import (
    PROJECT_HELP,
    QUIET_HELP,
    VERBOSE_HELP,
    LivretGroup,
    Settings,
    accept_settings_after,
)


@click.group(cls=LivretGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP
)
@click.option("-v", "--verbose", "verbose", count=True, help=VERBOSE_HELP)
@click.option("-q", "--quiet", is_flag=True, help=QUIET_HELP)
@click.version_option(package_name="livret")
@click.pass_context
def main(context: click.Context, project_dir: Path | None, verbose: int, quiet: bool) -> None:
    """livret: branded, translated, print-ready PDFs for associations.

    Builds the guide, the checklists and the cheat sheets of a project from its brand
    kit (brand/), its content (content/), its templates and its translations (locales/).
    """
    context.obj = Settings(project_dir, verbose, quiet)


for command in (build, check, list_documents, init, preview, serve, i18n):
    accept_settings_after(command)
    main.add_command(command)
