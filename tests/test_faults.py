"""Faults: killed builds, concurrent builds, and byte-identical rebuilds."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
from conftest import REPO, copy_sample

from livret.build.manifest import MANIFEST_NAME
from livret.build.pipeline import build
from livret.build.plan import BuildOptions, plan
from livret.files import STALE_AFTER_SECONDS, atomic_write, remove_stale_temporaries
from livret.model.project import load_project

OUTPUTS = {"fr/guide.pdf", "en/guide.pdf"}
TEMPORARY = re.compile(r"\..+\.tmp")  # what atomic_write names its temporary files
KILLS = 10

# Loaded by every Python process of a build (the CLI, the fork server and the workers that
# write the PDFs): a slow fsync, so that the moments when a file is half written (between
# creating its temporary file and moving it into place) are long enough to be hit by a kill.
SLOW_WRITES = """
import os, time
fsync = os.fsync
os.fsync = lambda fd: (time.sleep(0.3), fsync(fd))[1]
"""


def start_build(root: Path, *args: str, slow: Path | None = None) -> subprocess.Popen[bytes]:
    """A build of the guide in its own session (the CLI and its workers), with this livret.

    ``slow`` is a folder holding the ``sitecustomize.py`` that slows writes down.
    """
    env = dict(os.environ)
    if slow is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(slow), env.get("PYTHONPATH")]))
    command = [sys.executable, str(REPO / "cli.py"), "--project", str(root), "build", "guide"]
    return subprocess.Popen(
        [*command, *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def outputs(root: Path) -> dict[str, bytes]:
    out = root / "out"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], float]:
    """A project built once in a subprocess: its root, its PDFs and the build's duration."""
    root = copy_sample(tmp_path_factory.mktemp("faults") / "project")
    started = time.monotonic()
    process = start_build(root)
    output = process.communicate()[0].decode()
    assert process.returncode == 0, output
    files = outputs(root)
    assert set(files) == OUTPUTS | {MANIFEST_NAME}, output
    check_manifest(root, "after the first build")
    pdfs = {name: data for name, data in files.items() if name in OUTPUTS}
    return root, pdfs, time.monotonic() - started


def check_manifest(root: Path, moment: str) -> dict[str, str]:
    """The manifest lists every output with the SHA-256 of the file on disk; returns them."""
    entries = json.loads((root / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"]
    assert set(entries) == OUTPUTS, f"the manifest lists {sorted(entries)} {moment}"
    hashes = {}
    for name, entry in entries.items():
        path = root / "out" / name
        assert path.is_file(), f"the manifest lists {name}, which is missing {moment}"
        hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["sha256"] == hashes[name], f"the manifest has a stale hash of {name} {moment}"
    return hashes


def check_outputs(root: Path, expected: dict[str, bytes], moment: str) -> None:
    """Every output is a complete PDF (the previous one or the new one: they are the same)."""
    files = outputs(root)
    for name, data in files.items():
        if name in expected:
            assert data == expected[name], f"{name} changed or is incomplete {moment}"
            assert len(pypdf.PdfReader(root / "out" / name).pages) > 1
        elif name != MANIFEST_NAME:  # the manifest is checked by check_manifest
            leaf = name.rsplit("/", 1)[-1]
            assert TEMPORARY.fullmatch(leaf), f"unexpected file {name} {moment}"
            assert not leaf.endswith(".pdf"), f"a temporary file looks like an output: {name}"
    assert set(expected) | {MANIFEST_NAME} <= set(files), f"an output disappeared {moment}"


def test_killed_builds_leave_every_pdf_whole(
    baseline: tuple[Path, dict[str, bytes], float], tmp_path: Path
) -> None:
    root, expected, seconds = baseline
    (tmp_path / "sitecustomize.py").write_text(SLOW_WRITES)
    moments = random.Random(1901).sample(range(50, int(seconds * 1000) + 600), KILLS)
    for delay in moments:
        # --force: every output is rendered and written again (same bytes), not skipped.
        process = start_build(root, "--force", slow=tmp_path)
        time.sleep(delay / 1000)
        os.killpg(process.pid, signal.SIGKILL)  # the CLI and its workers: no cleanup runs
        process.wait()
        moment = f"after a SIGKILL at {delay} ms"
        check_outputs(root, expected, moment)
        check_manifest(root, moment)
    # A build after the kills removes temporary files left by them once they are stale,
    # and finds every output current.
    for leftover in (root / "out").rglob(".*.tmp"):
        os.utime(leftover, (time.time() - 2 * STALE_AFTER_SECONDS,) * 2)
    process = start_build(root)
    output = process.communicate()[0].decode()
    assert process.returncode == 0, output
    assert re.search(r"^0 built, 2 skipped, 0 failed in ", output, re.MULTILINE), output
    assert set(outputs(root)) == OUTPUTS | {MANIFEST_NAME}
    check_manifest(root, "after the kills")


@pytest.mark.fake_pdfs
def test_stale_temporaries_go_and_fresh_ones_stay(tmp_path: Path) -> None:
    stale, fresh = tmp_path / ".guide.pdf.old.tmp", tmp_path / ".guide.pdf.new.tmp"
    for path in (stale, fresh):
        path.write_bytes(b"%PDF-1.7 half")
    os.utime(stale, (time.time() - 2 * STALE_AFTER_SECONDS,) * 2)
    (tmp_path / "guide.pdf").write_bytes(b"kept")
    assert remove_stale_temporaries(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".guide.pdf.new.tmp", "guide.pdf"]


@pytest.mark.fake_pdfs
def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "guide.pdf"
    target.write_bytes(b"previous")

    def crash(source: str, destination: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["guide.pdf"]


def test_two_builds_into_one_folder_both_succeed(
    baseline: tuple[Path, dict[str, bytes], float], tmp_path: Path
) -> None:
    _, expected, _ = baseline
    root = copy_sample(tmp_path / "project")
    processes = [start_build(root), start_build(root)]
    results = [(process.wait(), process.communicate()[0].decode()) for process in processes]
    assert [code for code, _ in results] == [0, 0], results
    files = outputs(root)
    assert set(files) == OUTPUTS | {MANIFEST_NAME}, "concurrent builds left a missing or odd file"
    assert {name: files[name] for name in OUTPUTS} == expected
    check_manifest(root, "after two concurrent builds")


def test_clean_builds_are_byte_identical(
    baseline: tuple[Path, dict[str, bytes], float], sample_build: Path
) -> None:
    root, expected, _ = baseline
    for name, data in expected.items():
        assert (sample_build / "out" / name).read_bytes() == data, name
        metadata = pypdf.PdfReader(sample_build / "out" / name).metadata or {}
        assert "/CreationDate" not in metadata and "/ModDate" not in metadata
    # The manifests agree on the files; their input keys name each project's own paths.
    entries = json.loads((sample_build / "out" / MANIFEST_NAME).read_text())["outputs"]
    sample_hashes = {name: entries[name]["sha256"] for name in OUTPUTS}
    assert sample_hashes == check_manifest(root, "in baseline")


def test_fonttools_subsetting_is_reproducible_too(
    project: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Without HarfBuzz subsetting, fontTools would stamp each font with the clock."""
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    loaded = load_project(project)
    jobs = plan(loaded, ["guide"], ["fr"])
    first = project / "first"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        build(loaded, jobs, BuildOptions(output=first))
    assert "Using fontTools instead of HarfBuzz-Subset" in caplog.text
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 400 * 86400)  # a later day
    build(loaded, jobs, BuildOptions(output=project / "second"))
    monkeypatch.setattr(time, "time", real_time)
    assert (project / "second/fr/guide.pdf").read_bytes() == (first / "fr/guide.pdf").read_bytes()
    assert "SOURCE_DATE_EPOCH" not in os.environ, "the renderer must restore the environment"
