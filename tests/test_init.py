"""`livret init`: a new project from the sample, from the checkout and from a built wheel."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import PROJECT_PARTS, REPO
from pdfread import page_texts

WHEEL_SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "livret")
JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


def sample_files(root: Path) -> dict[str, bytes]:
    """Every file of the sample project under ``root``, by POSIX path relative to it."""
    files = {}
    for part in PROJECT_PARTS:
        path = root / part
        for file in [path] if path.is_file() else sorted(path.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                files[file.relative_to(root).as_posix()] = file.read_bytes()
    return files


def tree_state(root: Path) -> dict[str, tuple[int, bytes]]:
    return {
        path.relative_to(root).as_posix(): (path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_init_scaffolds_a_project_that_builds(tmp_path: Path, cli: Callable[..., Result]) -> None:
    target = tmp_path / "new-association"
    result = cli("init", str(target))
    assert result.exit_code == 0, result.output
    assert sample_files(target) == sample_files(REPO)
    assert sorted(path.name for path in target.iterdir()) == sorted(PROJECT_PARTS)
    # The guide in Markdown: the title file, then one file per chapter, and its pictures.
    guide = sorted(path.name for path in (target / "content/guide").iterdir())
    assert guide[:2] == ["00-index.md", "01-pour-qui.md"] and len(guide) >= 12
    assert (target / "content/images/double-authentification.svg").is_file()
    assert "livret --project" in result.output

    built = cli("--project", str(target), "build", "guide", "-l", "fr")
    assert built.exit_code == 0, built.output
    assert "Guide des réseaux sociaux" in page_texts(target / "out/fr/guide.pdf")[0]


def test_init_never_overwrites(tmp_path: Path, cli: Callable[..., Result]) -> None:
    target = tmp_path / "kit"
    assert cli("init", str(target)).exit_code == 0
    (target / "brand/brand.yaml").write_text("name: Ours\n", encoding="utf-8")
    before = tree_state(target)

    again = cli("init", str(target))
    assert again.exit_code == 2
    message = again.output.strip()
    assert message.count("\n") == 0 and "Traceback" not in message
    assert f"error: {target} already holds livret.yaml, brand, content" in message
    assert "never overwrites" in message
    assert tree_state(target) == before


def test_init_refuses_a_folder_with_any_project_part(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    result = cli("init", str(tmp_path))
    assert result.exit_code == 2
    assert "already holds content" in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["content", "notes.txt"]


def test_init_into_a_file_is_refused(tmp_path: Path, cli: Callable[..., Result]) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = cli("init", str(tmp_path / "file"))
    assert result.exit_code == 2
    assert "is a file" in result.output


def _failing_copy(monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    """Make the copy of the sample fail with ENOSPC once ``after`` files are copied."""
    copied = [0]
    real_copy2, real_copytree = shutil.copy2, shutil.copytree

    def copy2(source: Any, destination: Any, **kwargs: Any) -> Any:
        copied[0] += 1
        if copied[0] > after:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_copy2(source, destination, **kwargs)

    def copytree(source: Any, destination: Any, *args: Any, **kwargs: Any) -> Any:
        if not args:  # livret's call; copytree calls itself for subfolders with all arguments
            kwargs["copy_function"] = copy2
        return real_copytree(source, destination, *args, **kwargs)

    monkeypatch.setattr(shutil, "copy2", copy2)
    monkeypatch.setattr(shutil, "copytree", copytree)


@pytest.mark.parametrize("existing", [False, True], ids=["new-folders", "empty-folder"])
def test_init_that_fails_midway_leaves_nothing(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    target = tmp_path / "a" / "b" / "kit"
    if existing:
        target.mkdir(parents=True)
    _failing_copy(monkeypatch, after=20)
    result = cli("init", str(target))
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert message.startswith(f"error: cannot create the project in {target}: "), message
    assert message.endswith("No space left on device") and "\n" not in message, message
    left = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*"))
    assert left == (["a", "a/b", "a/b/kit"] if existing else []), left


def test_wheel_ships_the_sample_and_init_uses_it(tmp_path: Path) -> None:
    """Build a wheel from a copy of the sources, unpack it, and scaffold from it."""
    source = tmp_path / "source"
    source.mkdir()
    for name in (*WHEEL_SOURCES, *PROJECT_PARTS):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=JUNK)
        else:
            shutil.copy2(REPO / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "--disable-pip-version-check", "-w", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("livret-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        shipped = {
            name.removeprefix("livret/sample/"): archive.read(name)
            for name in names
            if name.startswith("livret/sample/") and not name.endswith("/")
        }
    assert shipped == sample_files(REPO)
    assert {
        "livret/serve/web/page.html.j2",
        "livret/serve/web/page.css",
        "livret/serve/web/page.js",
    } <= names
    (points,) = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as archive:
        entry_points = archive.read(points).decode()
    assert "livret = livret.cli:main" in entry_points
    assert "livret_yaml = livret.i18n.extract:extract_content_yaml" in entry_points

    installed = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    code = (
        "import sys, livret.model.sample\n"
        "print(livret.model.sample.sample_root())\n"
        "from livret.cli import main\n"
        "main(['init', sys.argv[1]])"
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(installed)}
    run = subprocess.run(
        [sys.executable, "-c", code, "scaffolded"],
        cwd=outside, env=environment, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == str(installed / "livret/sample")
    assert sample_files(outside / "scaffolded") == sample_files(REPO)
