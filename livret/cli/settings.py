"""What every command shares: global settings, the options used by several commands, and
the one place where errors become messages and exit codes.

A :class:`LivretError` becomes one red line and exit code 2; any other exception is a
bug in livret, shown as one line with exit code 1 (and its traceback with ``-v``).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from livret.cli.completion import complete_chapters, complete_languages
from livret.errors import LivretError
from livret.model.brand import Chapter
from livret.model.parts import CONFIG_NAME
from livret.model.project import Project, find_root, load_project

EXIT_FAILED, EXIT_INVALID = 1, 2
F = TypeVar("F", bound=Callable[..., Any])


class Settings:
    """Global options shared by every command, given before or after its name."""

    def __init__(self, project_dir: Path | None = None, verbose: int = 0, quiet: bool = False):
        self.project_dir = project_dir
        self.verbose = verbose
        self.quiet = quiet

    @property
    def verbosity(self) -> int:
        """-1 with ``-q`` (which wins over ``-v``), else the number of ``-v``."""
        return -1 if self.quiet else self.verbose

    def root(self) -> Path:
        """The project folder: ``--project``, or the nearest folder with a livret.yaml."""
        return self.project_dir.resolve() if self.project_dir else find_root(Path.cwd())

    def project(self) -> Project:
        root = self.root()
        if self.project_dir and not (root / CONFIG_NAME).is_file():
            raise LivretError(f"no {CONFIG_NAME} in {root}")
        return load_project(root)

    def say(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message)

    def warn(self, message: str) -> None:
        click.secho(f"warning: {message}", fg="yellow", err=True)


class UserError(click.ClickException):
    """A problem in the user's input, as click reports it: one red line, exit code 2."""

    exit_code = EXIT_INVALID

    def show(self, file: IO[Any] | None = None) -> None:
        click.secho(f"error: {self.message}", fg="red", err=True)


class LivretGroup(click.Group):
    """The ``livret`` group: runs a command and turns whatever it raises into an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LivretError as error:
            raise UserError(str(error)) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # the reader left (``livret list | head -1``): click exits 1
            raise
        except Exception as error:  # a bug in livret: one line, the traceback only with -v
            settings = ctx.find_object(Settings)
            if settings and settings.verbosity > 0:
                traceback.print_exc()
            click.secho(
                f"internal error: {type(error).__name__}: {error} (run with -v for details)",
                fg="red",
                err=True,
            )
            ctx.exit(EXIT_FAILED)


PROJECT_HELP = "Project folder (default: the nearest folder with a livret.yaml)."
VERBOSE_HELP = "Say more; show tracebacks of internal errors."
QUIET_HELP = "Print only warnings and errors."


def _set_project(context: click.Context, _: click.Parameter, value: Path | None) -> None:
    if value is not None:
        context.ensure_object(Settings).project_dir = value


def _add_verbose(context: click.Context, _: click.Parameter, value: int) -> None:
    context.ensure_object(Settings).verbose += value


def _set_quiet(context: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        context.ensure_object(Settings).quiet = True


def accept_settings_after(command: click.Command) -> None:
    """Let ``-q``, ``-v`` and ``--project`` follow the command's name too (``livret build
    -q``, as in MkDocs), in ``command`` and, for a group, in each of its commands."""
    project = {"type": click.Path(file_okay=False, path_type=Path)}
    for names, callback, help, kind in (
        (["--project"], _set_project, PROJECT_HELP, project),
        (["-v", "--verbose"], _add_verbose, VERBOSE_HELP, {"count": True}),
        (["-q", "--quiet"], _set_quiet, QUIET_HELP, {"is_flag": True}),
    ):
        option = click.Option(names, expose_value=False, callback=callback, help=help, **kind)
        command.params.append(option)
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            accept_settings_after(subcommand)


class ShardType(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    """``K/N``: the K-th of N slices of the jobs, 1 <= K <= N."""

    name = "K/N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        index, slash, count = str(value).partition("/")
        if not (slash and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
            self.fail(f"'{value}': use K/N with 1 <= K <= N, e.g. 2/4", param, ctx)
        return int(index), int(count)


def _repeatable(
    names: tuple[str, str, str], metavar: str, help: str, complete: Any
) -> Callable[[F], F]:
    """A repeatable option whose values the shell completes from the project."""
    return click.option(*names, multiple=True, metavar=metavar, help=help, shell_complete=complete)


def languages_option(function: F) -> F:
    """``-l/--lang LANG``, repeatable: only these languages."""
    names = ("-l", "--lang", "languages")
    return _repeatable(names, "LANG", "Only this language.", complete_languages)(function)


def chapters_options(function: F) -> F:
    """``-c/--chapter SLUG``, repeatable, and ``--all-chapters``: chapter editions."""
    names = ("-c", "--chapter", "chapters")
    chapter = _repeatable(names, "SLUG", "This chapter's edition.", complete_chapters)
    every = click.option("--all-chapters", is_flag=True, help="Every chapter's edition.")
    return chapter(every(function))


def chosen_chapters(project: Project, slugs: Sequence[str], every: bool) -> list[Chapter]:
    """The chapters that ``-c`` and ``--all-chapters`` name; none when neither is given."""
    if not (slugs or every):
        return []
    from livret.model.chapters import load_chapters, select_chapters

    return select_chapters(load_chapters(project), tuple(slugs), every)


def output_option(help: str) -> Callable[[F], F]:
    """``-o/--output DIR``: where a command writes its files."""
    return click.option(
        "-o", "--output", type=click.Path(file_okay=False, path_type=Path), help=help
    )


def shown(path: Path) -> str:
    """A path as printed: relative to the current folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
