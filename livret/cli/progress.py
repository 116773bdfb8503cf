"""What ``livret build`` and ``livret preview`` print while the build runs."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from livret.build.pipeline import BuildListener, JobResult
from livret.cli.settings import Settings, shown
from livret.wording import count


class Warnings(BuildListener):
    """Prints the build's warnings, and nothing else."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def warning(self, message: str) -> None:
        self.settings.warn(message)


class Progress(Warnings):
    """A progress bar on a terminal; one line per finished job otherwise (CI, pipes)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.bar: Any = None
        interactive = sys.stderr.isatty() and not os.environ.get("CI")
        self.use_bar = interactive and settings.verbosity == 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.render_finish()

    def rendering(self, count: int) -> None:
        if self.use_bar and count:
            self.bar = click.progressbar(length=count, label="building", file=sys.stderr)

    def finished(self, result: JobResult) -> None:
        if result.error:
            click.secho(f"failed  {result.error}", fg="red", err=True)
        elif result.skipped:
            if self.settings.verbosity > 0 and result.path is not None:
                self.settings.say(f"current {shown(result.path)}")
            return
        elif not self.use_bar and result.path is not None:
            self.settings.say(f"built   {shown(result.path)} ({count(result.pages, 'page')})")
        if self.bar is not None:
            self.bar.update(1)
