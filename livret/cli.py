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
@click.pass_obj
@user_errors
def build(
    settings: Settings,
    documents: tuple[str, ...],
    languages: tuple[str, ...],
    output: Path | None,
    html: bool,
    strict: bool,
) -> None:
    """Build PDFs into out/<lang>/<doc>.pdf (all documents and languages by default)."""
    from livret.build import BuildOptions, JobResult, plan
    from livret.build import build as run_build

    project = settings.project()
    jobs = plan(project, documents, languages)
    options = BuildOptions(output=output.resolve() if output else None, html=html, strict=strict)

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


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
@user_errors
def init(settings: Settings, directory: Path) -> None:
    """Create a new project in DIRECTORY from the sample kit; never overwrites one."""
    from livret.sample import init_project

    for path in init_project(directory):
        settings.say(f"created {_shown(path)}")
    folder = _shown(directory)
    settings.say(f"next: edit its brand/ and content/, then: livret --project {folder} build")


@main.command()
@click.argument("document", metavar="DOC")
@click.option(
    "-l", "--lang", "languages", multiple=True, metavar="LANG", help="Only this language."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the pictures (default: preview/).",
)
@click.option("--dpi", type=float, default=100, show_default=True, help="Page picture resolution.")
@click.pass_obj
@user_errors
def preview(
    settings: Settings, document: str, languages: tuple[str, ...], output: Path | None, dpi: float
) -> None:
    """Build DOC, then write a PNG of each page and a contact sheet; print their paths."""
    from livret.preview import preview as make_preview

    project = settings.project()
    out_dir = output.resolve() if output else project.root / "preview"

    def on_event(kind: str, data: Any) -> None:
        if kind == "warning":
            settings.warn(data)

    previews, failures = make_preview(project, [document], languages, out_dir, dpi, events=on_event)
    for failure in failures:
        click.secho(f"failed {failure}", fg="red", err=True)
    for result in previews:
        for path in (*result.pages, result.sheet):
            click.echo(_shown(path))
    if failures:
        sys.exit(EXIT_FAILED)


@main.command()
@click.argument("documents", nargs=-1, metavar="[DOC]...")
@click.option(
    "-l", "--lang", "languages", multiple=True, metavar="LANG", help="Only this language."
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.pass_obj
@user_errors
def serve(
    settings: Settings, documents: tuple[str, ...], languages: tuple[str, ...], port: int, host: str
) -> None:
    """Serve a live page of every document's pages, rebuilt whenever a file is saved.

    PDFs are written to out/ as by build; the page shows each build error as it happens.
    """
    import signal
    import threading

    from livret.build import plan
    from livret.live import LiveSite
    from livret.server import LiveServer

    project = settings.project()
    plan(project, documents, languages)  # unknown documents or languages: exit 2 now
    site = LiveSite(project.root, documents, languages, log=settings.say)
    server = LiveServer(site, host, port, verbose=settings.verbosity > 0)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopped.set())
    click.echo(f"serving {server.url} (Ctrl+C to stop)")
    server.start()
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
