"""What ``livret build`` and ``livret preview`` print while the build runs."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from livret.build.pipeline import BuildListener, JobResult
from livret.build.plan import Job
from livret.cli.settings import Settings, shown
from livret.wording import count

ERASE_LINE = "\r\x1b[2K"  # back to the start of the bar's line, and clear it


class Warnings(BuildListener):
    """Prints the build's warnings, and nothing else."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def warning(self, message: str) -> None:
        self.settings.warn(message)


class Progress(Warnings):
    """A progress bar on a terminal; one line per finished job otherwise (CI, pipes).

    The bar names the oldest document still rendering (the one being built, with one
    worker). A failure clears the bar's line first, so that it reads on its own line.
    """

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.bar: Any = None
        self.waiting: list[str] = []
        interactive = sys.stderr.isatty() and not os.environ.get("CI")
        self.use_bar = interactive and settings.verbosity == 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.render_finish()

    def rendering(self, count: int, jobs: Sequence[Job] = ()) -> None:
        self.waiting = [job.label for job in jobs]
        if self.use_bar and count:
            self.bar = click.progressbar(
                length=count, label="building", file=sys.stderr, item_show_func=lambda x: x
            )
            self.bar.current_item = self._current()
            self.bar.render_progress()

    def finished(self, result: JobResult) -> None:
        if result.job.label in self.waiting:
            self.waiting.remove(result.job.label)
        if result.error:
            if self.bar is not None:
                click.echo(ERASE_LINE, nl=False, err=True)
            click.secho(f"failed  {result.error}", fg="red", err=True)
            if result.set_aside is not None:
                click.secho(
                    f"        its previous PDF is out of date, renamed {shown(result.set_aside)}",
                    fg="red",
                    err=True,
                )
        elif result.skipped:
            if self.settings.verbosity > 0 and result.path is not None:
                self.settings.say(f"current {shown(result.path)}")
            return
        elif not self.use_bar and result.path is not None:
            self.settings.say(f"built   {shown(result.path)} ({count(result.pages, 'page')})")
        if self.bar is not None:
            self.bar.update(1, self._current())

    def _current(self) -> str:
        return self.waiting[0] if self.waiting else ""
