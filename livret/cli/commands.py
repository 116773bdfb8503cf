"""The commands of ``livret``: each parses its options, calls one library function, prints.

Errors are not handled here: the ``livret`` group does it once (see
:mod:`livret.cli.settings`). Library modules are imported inside each command, so
``livret --help`` starts without loading the renderer.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from livret.cli.completion import complete_documents
from livret.cli.settings import (
    EXIT_FAILED,
    EXIT_INVALID,
    Settings,
    ShardType,
    chapters_options,
    chosen_chapters,
    languages_option,
    output_option,
    shown,
)
from livret.pdf.paper import PAPER_SIZES
from livret.serve.worker import DEFAULT_TIME_LIMIT
from livret.wording import count


@click.command()
@click.argument("documents", nargs=-1, metavar="[DOC]...", shell_complete=complete_documents)
@languages_option
@chapters_options
@output_option("Output folder (default: out/).")
@click.option(
    "-j", "--jobs", "workers", type=click.IntRange(min=1), help="Worker processes (default: cores)."
)
@click.option("--force", is_flag=True, help="Rebuild even what is up to date.")
@click.option("--shard", type=ShardType(), help="Build only the K-th of N slices of the jobs (CI).")
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
    from livret.cli.progress import Progress

    project = settings.project()
    selected = chosen_chapters(project, flags["chapters"], flags["all_chapters"])
    jobs = plan(project, documents, flags["languages"], selected)
    if flags["shard"]:
        jobs = shard(jobs, *flags["shard"])
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
        list_fallbacks=settings.verbosity > 0,
    )
    with Progress(settings) as progress:
        report = run_build(project, jobs, options, progress)
    summary = (
        f"{len(report.built)} built, {len(report.skipped)} skipped, "
        f"{len(report.failed)} failed in {report.seconds:.1f} s"
    )
    aside = sum(result.set_aside is not None for result in report.failed)
    if aside:
        pdfs = "PDF" if aside == 1 else "PDFs"
        summary += f" ({aside} out-of-date {pdfs} renamed to .pdf.failed)"
    settings.say(summary)
    if report.failed:
        sys.exit(EXIT_FAILED)


@click.command()
@click.option("--strict", is_flag=True, help="Treat warnings (contrast, fallbacks) as errors.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def check(settings: Settings, strict: bool, output_format: str) -> None:
    """Run every validation the build runs, without writing any PDF.

    Exit code 1 when an error is found (or a warning, with --strict); 2 when a
    catalog cannot be read.
    """
    import json

    from livret.build.check import ERROR, run_checks

    findings = run_checks(settings.root())
    if output_format == "json":
        click.echo(json.dumps([item.as_dict() for item in findings], indent=2, ensure_ascii=False))
    else:
        for item in findings:
            click.echo(str(item), err=True)
        settings.say(
            f"{count(len(findings), 'problem')} found" if findings else "all checks passed"
        )
    if any(item.level == ERROR and (item.file or "").endswith(".po") for item in findings):
        sys.exit(EXIT_INVALID)  # a catalog that cannot be read is invalid input, as in build
    if any(item.level == ERROR or strict for item in findings):
        sys.exit(EXIT_FAILED)


@click.command(name="list")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def list_documents(settings: Settings, output_format: str) -> None:
    """List the project's languages, documents (with their titles) and chapters."""
    import json

    from livret.cli.listing import project_listing

    listing = project_listing(settings.project())
    if output_format == "json":
        click.echo(json.dumps(listing, indent=2, ensure_ascii=False))
        return
    source = listing["source_language"]
    click.echo(f"languages: {', '.join(listing['languages'])} (source: {source})")
    for doc_id, doc in listing["documents"].items():
        title = doc["titles"].get(source, "")
        click.echo(f"{doc_id:28} {doc['template']:12} {doc['content']:40} {title}".rstrip())
    chapters = listing["chapters"]
    click.echo(f"chapters: {len(chapters)}" if chapters else "chapters: none")
    for slug, chapter in chapters.items():
        click.echo(f"{slug:28} {chapter['name']} ({chapter['source']})")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def init(settings: Settings, directory: Path) -> None:
    """Create a new project in DIRECTORY from the sample kit; never overwrites one."""
    from livret.model.sample import init_project

    for path in init_project(directory):
        settings.say(f"created {shown(path)}")
    folder = shown(directory)
    settings.say(f"next: edit its brand/ and content/, then: livret --project {folder} build")


@click.command()
@click.argument("document", metavar="DOC", shell_complete=complete_documents)
@languages_option
@chapters_options
@output_option("Folder for the pictures (default: preview/).")
@click.option("--dpi", type=float, default=100, show_default=True, help="Page picture resolution.")
@click.pass_obj
def preview(settings: Settings, /, document: str, dpi: float, **flags: Any) -> None:
    """Build DOC, then write a PNG of each page and a contact sheet; print their paths.

    Chapter editions (-c SLUG, --all-chapters) go to preview/chapters/<slug>/<lang>/.
    """
    from livret.cli.progress import Warnings
    from livret.serve.preview import preview as make_preview

    project = settings.project()
    out_dir = flags["output"].resolve() if flags["output"] else project.root / "preview"
    chapters = chosen_chapters(project, flags["chapters"], flags["all_chapters"])
    previews, failures = make_preview(
        project, [document], flags["languages"], out_dir, dpi, chapters=chapters,
        listener=Warnings(settings),
    )  # fmt: skip
    for failure in failures:
        click.secho(f"failed {failure}", fg="red", err=True)
    for result in previews:
        for path in (*result.pages, result.sheet):
            click.echo(shown(path))
    if failures:
        sys.exit(EXIT_FAILED)


@click.command()
@click.argument("documents", nargs=-1, metavar="[DOC]...", shell_complete=complete_documents)
@languages_option
@chapters_options
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1),
    default=DEFAULT_TIME_LIMIT,
    show_default=True,
    metavar="SECONDS",
    help="Abandon a document's rebuild after this long.",
)
@click.pass_obj
def serve(settings: Settings, /, documents: tuple[str, ...], **flags: Any) -> None:
    """Serve a live page of every document's pages, rebuilt whenever a file is saved.

    PDFs are written to out/ as by build; the page shows each build error as it happens.
    A rebuild that takes longer than --time-limit is abandoned, and the next save retries.
    """
    from livret.build.plan import plan
    from livret.serve.live import LiveSite, Selection
    from livret.serve.server import LiveServer
    from livret.serve.worker import Worker

    project = settings.project()
    chapters = chosen_chapters(project, flags["chapters"], flags["all_chapters"])
    plan(project, documents, flags["languages"], chapters)  # unknown ids: exit 2 now
    selection = Selection(documents, flags["languages"], flags["chapters"], flags["all_chapters"])
    site = LiveSite(project.root, selection, settings.say, Worker(flags["time_limit"]))
    server = LiveServer(site, flags["host"], flags["port"], verbose=settings.verbosity > 0)
    click.echo(f"serving {server.url} (Ctrl+C to stop)")
    server.serve_until_stopped()
