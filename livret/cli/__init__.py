"""Command-line interface: parse, call one library function, print, exit.

Exit codes: 0 all built; 1 some document failed while the others were built;
2 invalid input or usage, with nothing written.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from livret.errors import LivretError
from livret.model.project import Project, find_root, load_project
from livret.pdf.paper import PAPER_SIZES

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
    "-l", "--lang", "languages", multiple=True, metavar="LANG", help="Only this language."
)
@click.option(
    "-c", "--chapter", "chapters", multiple=True, metavar="SLUG", help="This chapter's edition."
)
@click.option("--all-chapters", is_flag=True, help="Every chapter's edition.")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: out/).",
)
@click.option(
    "-j", "--jobs", "workers", type=click.IntRange(min=1), help="Worker processes (default: cores)."
)
@click.option("--force", is_flag=True, help="Rebuild even what is up to date.")
@click.option("--shard", metavar="K/N", help="Build only the K-th of N slices of the jobs (CI).")
@click.option("--strict", is_flag=True, help="Fail on untranslated or fuzzy strings.")
@click.option("--html", is_flag=True, help="Also write the intermediate <doc>.html.")
@click.option("--print-marks", is_flag=True, help="3 mm bleed and crop marks for print shops.")
@click.option("--booklet", is_flag=True, help="Also write <doc>-booklet.pdf, imposed 2-up.")
@click.option(
    "--variant",
    type=click.Choice(["pdf/ua-1", "pdf/a-3b"]),
    help="Accessible PDF/UA-1 or archival PDF/A-3b (default output is tagged too).",
)
@click.option(
    "--paper",
    type=click.Choice(list(PAPER_SIZES), case_sensitive=False),
    help="Paper size (default: by locale, Letter for en_CA/fr_CA, A4 elsewhere).",
)
@click.pass_obj
@user_errors
def build(settings: Settings, /, documents: tuple[str, ...], **flags: Any) -> None:
    """Build PDFs into out/<lang>/<doc>.pdf (all documents and languages by default).

    Chapter editions (-c SLUG, --all-chapters) go to out/chapters/<slug>/<lang>/.
    Outputs whose inputs did not change are skipped (see --force).

    A checklist that does not fit on one page, even with its type shrunk to 8.5 pt,
    fails while the other documents are built.

    Exit codes: 0 all built, 1 a document failed, 2 invalid input (nothing written).
    """
    from livret.build.pipeline import build as run_build
    from livret.build.plan import BuildOptions, default_workers, plan, shard
    from livret.model.chapters import load_chapters, select_chapters

    project = settings.project()
    wanted = flags["chapters"] or flags["all_chapters"]
    chapters = load_chapters(project) if wanted else {}
    selected = select_chapters(chapters, flags["chapters"], flags["all_chapters"]) if wanted else []
    jobs = plan(project, documents, flags["languages"], selected)
    if flags["shard"]:
        jobs = shard(jobs, *_parse_shard(flags["shard"]))
    options = BuildOptions(
        output=flags["output"].resolve() if flags["output"] else None,
        html=flags["html"],
        strict=flags["strict"],
        print_marks=flags["print_marks"],
        booklet=flags["booklet"],
        variant=flags["variant"],
        workers=flags["workers"] or default_workers(),
        force=flags["force"],
        paper=flags["paper"].lower() if flags["paper"] else None,
    )
    with Progress(settings) as progress:
        report = run_build(project, jobs, options, progress.event)
    settings.say(
        f"{len(report.built)} built, {len(report.skipped)} skipped, "
        f"{len(report.failed)} failed in {report.seconds:.1f} s"
    )
    if report.failed:
        sys.exit(EXIT_FAILED)


def _parse_shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise LivretError(f"--shard '{text}': use K/N, e.g. 2/4") from None
    return index, count


class Progress:
    """A progress bar on a terminal; one line per finished job otherwise (CI, pipes)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.bar: Any = None
        interactive = sys.stderr.isatty() and not os.environ.get("CI")
        self.use_bar = interactive and settings.verbosity == 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.render_finish()

    def event(self, kind: str, data: Any) -> None:
        from livret.build.pipeline import JobResult

        if kind == "warning":
            self.settings.warn(data)
        elif kind == "start" and self.use_bar and data:
            self.bar = click.progressbar(length=data, label="building", file=sys.stderr)
        elif kind == "job" and isinstance(data, JobResult):
            self._job(data)

    def _job(self, result: Any) -> None:
        if result.error:
            click.secho(f"failed  {result.error}", fg="red", err=True)
        elif result.skipped:
            if self.settings.verbosity > 0:
                self.settings.say(f"current {_shown(result.path)}")
            return
        elif not self.use_bar:
            self.settings.say(f"built   {_shown(result.path)} ({result.pages} pages)")
        if self.bar is not None:
            self.bar.update(1)


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings (contrast, fallbacks) as errors.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
@user_errors
def check(settings: Settings, strict: bool, output_format: str) -> None:
    """Run every validation the build runs, without writing any PDF.

    Exit code 1 when an error is found (or a warning, with --strict).
    """
    import json

    from livret.build.check import ERROR, run_checks

    root = settings.project_dir.resolve() if settings.project_dir else find_root(Path.cwd())
    findings = run_checks(root)
    if output_format == "json":
        click.echo(json.dumps([item.as_dict() for item in findings], indent=2, ensure_ascii=False))
    else:
        for item in findings:
            click.echo(str(item), err=True)
        settings.say(f"{len(findings)} problem(s) found" if findings else "all checks passed")
    if any(item.level == ERROR or strict for item in findings):
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
    from livret.model.sample import init_project

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
    from livret.serve.preview import preview as make_preview

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

    from livret.build.plan import plan
    from livret.serve.live import LiveSite
    from livret.serve.server import LiveServer

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


from livret.cli.i18n import i18n  # noqa: E402 (the group uses Settings and user_errors)

main.add_command(i18n)
