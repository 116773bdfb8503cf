"""Every regular expression applied to untrusted text runs in linear time.

Each layer that searches text from content or translations gets the inputs that made a
pattern backtrack (long runs of no-break spaces, dots, hyphens, apostrophes, quotes):
1 MB of it must take less than 30 times as long as 100 KB. A quadratic pattern takes
about 100 times as long; a linear one about 10. Times are the process's CPU time (not
wall time, which other users of a shared machine inflate), the median of several runs.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

import pytest

from livret.html import markup
from livret.i18n import check, placeholders, typography
from livret.model.svgcheck import svg_problems

pytestmark = pytest.mark.slow  # about a minute in all

SMALL, LARGE = 100_000, 1_000_000
RUNS = 3
MAX_RATIO = 30
BUDGET_SECONDS = 180  # per case, on a loaded machine; a linear run needs a few seconds
NBSP, NNBSP = "\u00a0", "\u202f"


def french(text: str) -> str:
    return typography.apply(text, "fr_FR")


def quebec(text: str) -> str:
    return typography.apply(text, "fr_CA")


def paragraph(text: str) -> str:
    return str(markup.inline(text, french))


def svg_style(text: str) -> object:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><style>{text}</style></svg>'
    return svg_problems(svg.encode("utf-8"))


# (case, function, what precedes the run, the unit repeated to make the run, what follows)
CASES: list[tuple[str, Callable[[str], object], str, str, str]] = [
    ("typography-no-break-spaces", french, "a", NBSP, "x"),
    ("typography-mixed-spaces", french, "a", NBSP + " ", "x"),
    ("typography-quebec", quebec, "a", NNBSP, "x"),
    ("typography-guillemets", french, "", "«" + NBSP, "x"),
    ("typography-apostrophes", french, "", "a'", "a"),
    (
        "typography-check",
        lambda text: typography.missing_spaces(text, "fr_FR"),
        "",
        NBSP + " ",
        ";",
    ),
    ("markdown-long-word", paragraph, "", "a", "!"),
    ("markdown-dots", paragraph, "", "a.", "1"),
    ("markdown-hyphens", paragraph, "", "x-", "y"),
    ("markdown-apostrophes", paragraph, "", "’a", "-b"),
    ("markdown-no-break-spaces", paragraph, "a", NBSP, "x"),
    ("placeholders-zeros", placeholders.placeholders, "%", "0", "!"),
    ("placeholders-brace", placeholders.placeholders, "", "{a", "x"),
    ("i18n-check-tag", lambda text: list(check.compare("x", text, "fr_FR")), "<", " ", "!"),
    ("i18n-check-spaces", lambda text: list(check.compare("x", text, "fr_FR")), "", " \t", "x"),
    ("svg-url", svg_style, "", "url( ", ""),
]


def cpu_seconds(function: Callable[[str], object], text: str) -> float:
    started = time.process_time()
    function(text)
    return time.process_time() - started


def ratio(function: Callable[[str], object], start: str, unit: str, end: str) -> float:
    """How many times as long 1 MB of input takes as 100 KB, in CPU time."""
    small = start + unit * (SMALL // len(unit)) + end
    large = start + unit * (LARGE // len(unit)) + end
    function(small)  # warm up: caches, compiled patterns
    small_times, large_times = [], []
    for _ in range(RUNS):  # interleaved, so that a busy moment slows both sizes
        small_times.append(cpu_seconds(function, small))
        large_times.append(cpu_seconds(function, large))
    return statistics.median(large_times) / max(statistics.median(small_times), 1e-3)


def _measure(connection: Connection, case: tuple[Callable[[str], object], str, str, str]) -> None:
    connection.send(ratio(*case))


@pytest.mark.parametrize(
    ("name", "function", "start", "unit", "end"), CASES, ids=[case[0] for case in CASES]
)
def test_ten_times_the_input_takes_about_ten_times_as_long(
    name: str, function: Callable[[str], object], start: str, unit: str, end: str
) -> None:
    """Measured in a child process, which is stopped if it takes more than a few minutes
    (a pattern that backtracks would take hours on 1 MB)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_measure, args=(sender, (function, start, unit, end)))
    child.start()
    finished = receiver.poll(BUDGET_SECONDS)
    found = receiver.recv() if finished else None
    child.kill()
    child.join()
    assert found is not None, f"{name}: 1.1 MB of input took more than {BUDGET_SECONDS} s"
    assert found < MAX_RATIO, f"{name}: 10 times the input took {found:.0f} times as long"
