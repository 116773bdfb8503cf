"""Shared fixtures: a private copy of the sample project, and PDFs built from it once."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import readers
from click.testing import CliRunner, Result

from livret.cli import main

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("livret.yaml", "brand", "content", "templates", "locales")


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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the sample project."""
    return copy_sample(tmp_path / "project")


@pytest.fixture(scope="session")
def built_guide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with the guide built in every language (built once per session)."""
    root = copy_sample(tmp_path_factory.mktemp("built") / "project")
    result = run_cli("--project", str(root), "build", "guide", "--html")
    assert result.exit_code == 0, result.output
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


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The PDFs of shared (session and module) fixtures, checked once the tests are done."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    found = readers.all_problems(factory.getbasetemp()) if factory else {}
    print("\n" + readers.summary())
    if found:
        print("\n" + readers.report(found))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
