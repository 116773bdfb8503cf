"""The one confined reader (livret/inputs.py) and the loaders that go through it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from livret.errors import LivretError
from livret.inputs import digest, read_bytes, read_text
from livret.limits import MAX_TEXT_FILE_BYTES


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A project folder with a file, a FIFO, links in and out, and a file outside it."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "inside.txt").write_text("inside", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("outside", encoding="utf-8")
    os.mkfifo(root / "fifo")
    (root / "link-in.txt").symlink_to(root / "inside.txt")
    (root / "link-out.txt").symlink_to(tmp_path / "outside.txt")
    (root / "link-to-fifo").symlink_to(root / "fifo")
    (root / "zero").symlink_to("/dev/zero")
    (root / "loop").symlink_to(root / "loop")
    (root / "sub").mkdir()
    return root


REFUSED = [
    ("fifo", "the file is not a regular file (a folder, a FIFO or a device)"),
    ("link-to-fifo", "not a regular file"),
    ("sub", "not a regular file"),
    ("link-out.txt", "the file is a link to a file outside the project"),
    ("zero", "a link to a file outside the project"),
    ("loop", "cannot read the file"),
    ("missing.txt", "file not found"),
]


@pytest.mark.parametrize(("name", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_refused_without_blocking(folder: Path, name: str, message: str) -> None:
    """A FIFO nobody writes to would block an ordinary open for ever: the reader runs in
    a thread that must come back at once."""
    outcome: list[BaseException | bytes] = []

    def read() -> None:
        try:
            outcome.append(read_bytes(folder / name, folder, name))
        except LivretError as error:
            outcome.append(error)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert outcome, "the reader blocked"
    assert isinstance(outcome[0], LivretError), outcome
    assert str(outcome[0]) == f"{name}: {message}" or message in str(outcome[0])
    assert str(outcome[0]).startswith(f"{name}: ")


def test_files_inside_are_read(folder: Path) -> None:
    assert read_bytes(folder / "inside.txt", folder, "inside.txt") == b"inside"
    assert read_text(folder / "link-in.txt", folder, "link-in.txt") == "inside"
    outside = folder.parent / "outside.txt"
    assert read_bytes(folder / "link-out.txt", [folder, folder.parent], "x") == b"outside"
    assert read_bytes(outside, folder.parent, "outside.txt") == b"outside"


def test_size_limit_and_utf8(folder: Path) -> None:
    (folder / "big.txt").write_bytes(b"x" * (MAX_TEXT_FILE_BYTES + 1))
    with pytest.raises(LivretError, match=r"^big\.txt: file is larger than 5 MB$"):
        read_text(folder / "big.txt", folder, "big.txt")
    assert read_bytes(folder / "big.txt", folder, "big.txt", limit=MAX_TEXT_FILE_BYTES + 1)
    (folder / "latin1.txt").write_bytes(b"ok\ncaf\xe9\n")
    with pytest.raises(LivretError, match=r"^latin1\.txt:2: file is not valid UTF-8$"):
        read_text(folder / "latin1.txt", folder, "latin1.txt")
    (folder / "bom.txt").write_bytes("\ufeffbonjour".encode())
    assert read_text(folder / "bom.txt", folder, "bom.txt") == "bonjour"


def test_the_kind_of_file_is_named(folder: Path) -> None:
    with pytest.raises(LivretError, match=r"^x\.po: the catalog is a link to a file outside"):
        read_text(folder / "link-out.txt", folder, "x.po", "catalog")


def test_digest_says_why_instead_of_reading(folder: Path) -> None:
    assert digest(folder / "inside.txt", folder) == digest(folder / "link-in.txt", folder)
    assert len(digest(folder / "inside.txt", folder)) == 64
    for name in ("fifo", "zero", "link-out.txt", "sub"):
        assert digest(folder / name, folder).startswith("unreadable: "), name
