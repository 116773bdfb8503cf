"""Shared fixtures: a private copy of the sample project, and the sample built once."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import readers
from click.testing import CliRunner, Result

from livret.cli import main
from livret.model.parts import PROJECT_PARTS

REPO = Path(__file__).resolve().parent.parent

# A test is "slow" (end to end) when it builds real documents: it uses a copy of the sample
# to build in, or a fixture that builds, or lives in a module of builds in subprocesses.
# ``pytest -m "not slow"`` runs the fast layer: schema, plan, fit, CLI, i18n and typography.
BUILDING_FIXTURES = frozenset(
    {"project", "cli", "sample_build", "chapter_editions", "hostile", "other_brand",
     "print_build", "previewed", "sandbox", "built_checklists", "built", "booklets", "kit",
     "example"}
)  # fmt: skip
BUILDING_MODULES = frozenset(
    {"test_faults", "test_fuzz", "test_init", "test_serve", "test_preview", "test_errors"}
)


# The files that take longest (``--durations=0`` on 2 cores, summed per file), longest
# first. Each file runs whole in one process, in the order collected: a long file begun
# last would leave the other process idle at the end. The others follow in name order.
LONGEST_FIRST = (
    "test_engine", "test_faults", "test_errors", "test_print_design", "test_standards",
    "test_cheatsheets", "test_serve", "test_guide", "test_i18n_workflow", "test_security",
)  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the end-to-end tests ``slow`` (see BUILDING_FIXTURES), and start the longest
    files first (see LONGEST_FIRST)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BUILDING_FIXTURES or item.module.__name__ in BUILDING_MODULES:
            item.add_marker(pytest.mark.slow)
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.module.__name__, len(rank)))  # a stable sort


def copy_sample(destination: Path) -> Path:
    """Copy the sample project (not the package) into ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        else:
            shutil.copy2(source, destination / part)
    return destination


def run_cli(*args: str) -> Result:
    """Run the livret CLI in-process and return click's result."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def one_worker_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """An in-process build without ``-j`` renders in the test's own process: for a test's
    few documents, a pool of worker processes costs more than it saves. The tests of
    parallel builds ask for ``-j 2``, and builds in subprocesses keep one per core."""
    monkeypatch.setattr("livret.build.plan.default_workers", lambda: 1)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the sample project."""
    return copy_sample(tmp_path / "project")


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with every document built in every language, with ``--html``,
    by two workers, once per run: under pytest-xdist the first process to ask builds it in
    the run's shared folder while the others wait for it (the build keeps both cores
    busy), and checks it with ``readers``. Tests only read it: one that builds or edits
    copies it first, or writes elsewhere with ``-o``."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder of the run, above each process's own
    root, done = shared / "sample" / "project", shared / "sample" / "built"
    with (shared / "sample.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(root.parent, ignore_errors=True)  # what a failed build left
            copy_sample(root)
            result = run_cli("--project", str(root), "build", "--html", "-j", "2")
            assert result.exit_code == 0, result.output
            found = readers.all_problems(root / "out")
            assert not found, readers.report(found)
            done.touch()
    return root


@pytest.fixture
def cli() -> Callable[..., Result]:
    return run_cli


@pytest.fixture(autouse=True)
def _readers_agree(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every PDF a test writes in its ``tmp_path`` passes the checks of ``readers``."""
    checked = "tmp_path" in request.fixturenames and not request.node.get_closest_marker(
        "fake_pdfs"
    )
    folder = request.getfixturevalue("tmp_path") if checked else None
    yield
    if folder is not None:
        found = readers.all_problems(folder)
        assert not found, readers.report(found)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "fake_pdfs: the test writes files named .pdf that are not PDFs"
    )


@pytest.fixture(scope="session", autouse=True)
def _shared_pdfs_agree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The PDFs of shared (session and module) fixtures, checked once this process's tests
    are done (under pytest-xdist, in each worker: a problem fails the run there too)."""
    yield
    found = readers.all_problems(tmp_path_factory.getbasetemp())
    assert not found, readers.report(found)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many PDFs the readers checked (said only where they ran: not in the controller
    of pytest-xdist, whose workers check their own)."""
    if readers.checked_count():
        terminalreporter.write_line(readers.summary())
