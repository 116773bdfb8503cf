"""A process that runs ``livret serve``'s rebuilds and is killed when one takes too long.

A build reads files written by volunteers, so it may hang (or take far too long) for
reasons no check foresaw. ``serve`` runs every rebuild here, in a child process that
stays up between rebuilds (WeasyPrint is imported once), and kills it at the time limit:
the server goes on, says so on its page, and starts a fresh child for the next rebuild.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from livret.errors import LivretError

DEFAULT_TIME_LIMIT = 120.0  # seconds for one step of a rebuild: plan, or build one job
POLL_SECONDS = 0.2  # how often a wait looks at the stop event


class Abandoned(Exception):
    """The step took longer than the time limit, or the server is stopping."""


class WorkerDied(Exception):
    """The child process ended without answering (killed, out of memory, a crash)."""


class WorkerBug(Exception):
    """A bug in livret, raised in the child: its one-line message and its traceback."""

    def __init__(self, message: str, details: str) -> None:
        super().__init__(message)
        self.message, self.details = message, details


def _serve(connection: Connection) -> None:
    """The child's loop: run each function it is sent, answer with its result."""
    while True:
        try:
            function, args = connection.recv()
        except EOFError:
            return  # the parent is gone
        try:
            answer: tuple[str, Any] = ("ok", function(*args))
        except LivretError as error:
            answer = ("user", str(error))
        except Exception as error:
            answer = ("bug", (f"{type(error).__name__}: {error}", traceback.format_exc()))
        connection.send(answer)


class Worker:
    """One child process at a time; ``call`` runs a function in it within a time limit."""

    def __init__(self, time_limit: float = DEFAULT_TIME_LIMIT) -> None:
        self.time_limit = time_limit
        self._context = multiprocessing.get_context("forkserver")  # safe beside threads
        self._process: Any = None
        self._connection: Connection | None = None
        self._lock = threading.Lock()  # one call at a time; close() may come from any thread

    @property
    def pid(self) -> int | None:
        """The child's process id, while one runs."""
        return self._process.pid if self._process is not None else None

    def call(
        self, function: Callable[..., Any], *args: Any, stop: threading.Event | None = None
    ) -> Any:
        """``function(*args)`` in the child (both must pickle), and its result.

        Raises the ``LivretError`` it raised; :class:`Abandoned` after the time limit or
        when ``stop`` is set (the child is killed); :class:`WorkerDied` when it ended;
        :class:`WorkerBug` for any other exception.
        """
        with self._lock:
            connection = self._start()
            connection.send((function, args))
            deadline = time.monotonic() + self.time_limit
            while not connection.poll(POLL_SECONDS):
                if stop is not None and stop.is_set():
                    self._kill()
                    raise Abandoned("the server is stopping")
                if time.monotonic() > deadline:
                    self._kill()
                    raise Abandoned(f"took longer than {self.time_limit:g} s")
            try:
                kind, value = connection.recv()
            except (EOFError, OSError):
                code = self._process.exitcode if self._process is not None else None
                self._kill()
                raise WorkerDied(f"the build process ended (exit code {code})") from None
        if kind == "user":
            raise LivretError(value)
        if kind == "bug":
            raise WorkerBug(*value)
        return value

    def close(self) -> None:
        """End the child, once the call in progress is over (pass ``stop`` to end it)."""
        with self._lock:
            self._kill()

    def _start(self) -> Connection:
        if self._process is None or not self._process.is_alive() or self._connection is None:
            self._kill()
            parent, child = self._context.Pipe()
            process = self._context.Process(
                target=_serve, args=(child,), name="livret-serve-build", daemon=True
            )
            process.start()
            child.close()
            self._process, self._connection = process, parent
        return self._connection

    def _kill(self) -> None:
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if process is not None:
            process.kill()
            process.join(timeout=10)
        if connection is not None:
            connection.close()
