"""Command-line interface: parse, call one library function, print, exit.

Exit codes: 0 all built; 1 some document failed while the others were built;
2 invalid input or usage, with nothing written.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from livret.errors import LivretError
from livret.paper import DEFAULT_PAPER, PAPER_SIZES
from livret.project import Project, find_root, load_project

F = TypeVar("F", bound=Callable[..., Any])
EXIT_FAILED, EXIT_INVALID = 1, 2


class Settings:
    """Global options shared by every command."""

    def __init__(self, project_dir: Path | None, verbosity: int) -> None:
        self.project_dir = project_dir
        self.verbosity = verbosity

    def project(self) -> Project:
        root = self.project_dir.resolve() if self.project_dir else find_root(Path.cwd())
        if self.project_dir and not (root / "livret.yaml").is_file():
            raise LivretError(f"no livret.yaml in {root}")
        return load_project(root)

    def say(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message)

    def warn(self, message: str) -> None:
        click.secho(f"warning: {message}", fg="yellow", err=True)


def user_errors(function: F) -> F:
    """Report LivretError as one line with exit code 2, and never show a traceback."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except LivretError as error:
            click.secho(f"error: {error}", fg="red", err=True)
            sys.exit(EXIT_INVALID)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:  # a bug in livret: one line, the traceback only with -v
            settings = click.get_current_context().find_object(Settings)
            if settings and settings.verbosity > 0:
                traceback.print_exc()
            click.secho(
                f"internal error: {type(error).__name__}: {error} (run with -v for details)",
                fg="red",
                err=True,
            )
            sys.exit(EXIT_FAILED)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder (default: the nearest folder with a livret.yaml).",
)
@click.option(
    "-v", "--verbose", "verbose", count=True, help="Say more; show tracebacks of internal errors."
)
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.version_option(package_name="livret")
@click.pass_context
def main(context: click.Context, project_dir: Path | None, verbose: int, quiet: bool) -> None:
    """livret: branded, translated, print-ready PDFs for associations.

    Builds the guide, the checklists and the cheat sheets of a project from its brand
    kit (brand/), its content (content/), its templates and its translations (locales/).
    """
    context.obj = Settings(project_dir, -1 if quiet else verbose)


@main.command()
@click.argument("documents", nargs=-1, metavar="[DOC]...")
@click.option(
    "-l",
    "--lang",
    "languages",
    multiple=True,
    metavar="LANG",
    help="Only this language (repeatable).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: out/).",
)
@click.option(
    "--html", is_flag=True, help="Also write the intermediate <doc>.html beside each PDF."
)
@click.option(
    "--strict", is_flag=True, help="Fail on untranslated or fuzzy strings instead of falling back."
)
@click.option(
    "--paper",
    type=click.Choice(list(PAPER_SIZES), case_sensitive=False),
    default=DEFAULT_PAPER,
    show_default=True,
    help="Paper size of every page.",
)
@click.pass_obj
@user_errors
def build(
    settings: Settings,
    documents: tuple[str, ...],
    languages: tuple[str, ...],
    output: Path | None,
    html: bool,
    strict: bool,
    paper: str,
) -> None:
    """Build PDFs into out/<lang>/<doc>.pdf (all documents and languages by default).

    A checklist that does not fit on one page, even with its type shrunk to 8.5 pt,
    fails (exit code 1) while the other documents are still built.
    """
    from livret.build import BuildOptions, JobResult, plan
    from livret.build import build as run_build

    project = settings.project()
    jobs = plan(project, documents, languages)
    options = BuildOptions(
        output=output.resolve() if output else None, html=html, strict=strict, paper=paper.lower()
    )

    def on_event(kind: str, data: Any) -> None:
        if kind == "warning":
            settings.warn(data)
        elif isinstance(data, JobResult):
            if data.error:
                click.secho(f"failed {data.error}", fg="red", err=True)
            else:
                assert data.path is not None
                settings.say(f"built  {_shown(data.path)} ({data.pages} pages)")

    report = run_build(project, jobs, options, on_event)
    built = len(report.results) - len(report.failed)
    settings.say(f"{built} built, {len(report.failed)} failed in {report.seconds:.1f} s")
    if report.failed:
        sys.exit(EXIT_FAILED)


@main.command(name="list")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
@user_errors
def list_documents(settings: Settings, output_format: str) -> None:
    """List the project's documents and languages."""
    import json

    project = settings.project()
    if output_format == "json":
        data = {
            "languages": list(project.languages),
            "documents": {
                doc.id: {"template": doc.template, "content": project.relative(doc.content)}
                for doc in project.documents.values()
            },
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"languages: {', '.join(project.languages)} (source: {project.source_language})")
    for doc in project.documents.values():
        click.echo(f"{doc.id:28} {doc.template:12} {project.relative(doc.content)}")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
