"""The build engine: incremental rebuilds, workers, shards, and shared chapter pages."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from conftest import copy_sample, run_cli
from pdfread import page_structure, page_texts
from PIL import Image

from livret.build.manifest import MANIFEST_NAME
from livret.build.plan import BuildOptions, Job, plan
from livret.kinds import KINDS
from livret.model.project import load_project
from livret.pdf.renderer import PdfRenderer


def outputs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.pdf"))}


AS_BUILT = ("--html",)  # the options sample_build was built with: they are part of each key


@pytest.fixture
def built(sample_build: Path, tmp_path: Path) -> Path:
    """A private copy of the built sample (PDFs, HTML, manifest), as if this test had
    built it: copied like ``cp -a``, so a build finds every output current."""
    return Path(shutil.copytree(sample_build, tmp_path / "built", symlinks=True))


def test_noop_rebuild_skips_and_force_rebuilds(built: Path, cli) -> None:
    project = built
    before = outputs(project / "out")
    again = cli("--project", str(project), "build", *AS_BUILT, "guide", "-j", "1")
    assert "0 built, 2 skipped" in again.output
    assert outputs(project / "out") == before
    forced = cli("--project", str(project), "build", *AS_BUILT, "guide", "--force", "-j", "1")
    assert "2 built, 0 skipped" in forced.output
    assert outputs(project / "out") == before, "rebuilds are byte-identical"


def test_only_changed_outputs_are_rebuilt(built: Path, cli) -> None:
    project = built
    catalog = project / "locales/en/LC_MESSAGES/livret.po"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace(
            'msgstr "Contents"', 'msgstr "Table of contents"'
        ),
        encoding="utf-8",
    )
    result = cli("--project", str(project), "build", *AS_BUILT, "guide", "-j", "1")
    assert "1 built, 1 skipped" in result.output
    assert "Table of contents" in page_texts(project / "out/en/guide.pdf")[1]


def test_missing_or_edited_output_is_rebuilt(built: Path, cli) -> None:
    project = built
    pdf = project / "out/fr/guide.pdf"
    pdf.write_bytes(b"%PDF-1.7 damaged")
    assert (
        "1 built" in cli("--project", str(project), "build", *AS_BUILT, "guide", "-l", "fr").output
    )
    pdf.unlink()
    assert (
        "1 built" in cli("--project", str(project), "build", *AS_BUILT, "guide", "-l", "fr").output
    )
    manifest = json.loads((project / "out" / MANIFEST_NAME).read_text())
    assert (
        manifest["outputs"]["fr/guide.pdf"]["sha256"]
        == hashlib.sha256(pdf.read_bytes()).hexdigest()
    )


def test_parallel_build_gives_the_same_bytes(sample_build: Path, cli, tmp_path: Path) -> None:
    """The shared sample build ran on two workers; one worker gives the same files (a
    checklist and the cheat sheets, in both languages; the guide is rebuilt by one worker
    in ``test_noop_rebuild_skips_and_force_rebuilds``)."""
    kinds = ("checklist-event", "cheatsheets")
    one = cli("--project", str(sample_build), "build", *kinds, "-j", "1", "-o", str(tmp_path))
    assert one.exit_code == 0, one.output
    two = outputs(sample_build / "out")
    expected = {f"{lang}/{doc}.pdf" for lang in ("fr", "en") for doc in kinds}
    assert set(outputs(tmp_path)) == expected
    assert outputs(tmp_path) == {name: two[name] for name in expected}


def test_shard_option_builds_a_slice(project: Path, cli) -> None:
    result = cli("--project", str(project), "build", "guide", "--shard", "2/2", "-j", "1")
    assert "1 built" in result.output
    assert cli("--project", str(project), "build", "--shard", "3/2").exit_code == 2


@pytest.fixture(scope="module")
def chapter_editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's guide built for every chapter in both languages, and a checklist and
    the cheat sheets for Lyon, once, in the default variant (PDF/UA-1: ``readers``
    validates each)."""
    project = copy_sample(tmp_path_factory.mktemp("editions") / "project")
    for documents in (
        ("guide", "--all-chapters"),
        ("checklist-fundraising", "cheatsheets", "-c", "lyon"),
    ):
        result = run_cli("--project", str(project), "build", *documents, "-j", "2")
        assert result.exit_code == 0, result.output
    return project


@pytest.mark.parametrize(
    ("lang", "chapter", "name"),
    [("fr", "lyon", "Unité locale de Lyon"), ("en", "aix", "Aix-en-Provence & Pays d")],
)
def test_chapter_edition_matches_a_full_render(
    chapter_editions: Path,
    tmp_path: Path,
    lang: str,
    chapter: str,
    name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chapter's guide made of its own cover and back cover around the shared body reads
    as the chapter's guide rendered whole: text, outline, links and structure tree."""
    monkeypatch.setitem(KINDS, "guide", replace(KINDS["guide"], shared_body=False))
    args = ("--project", str(chapter_editions), "build", "guide", "-c", chapter, "-l", lang)
    result = run_cli(*args, "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    full = tmp_path / f"chapters/{chapter}/{lang}/guide.pdf"
    spliced = chapter_editions / f"out/chapters/{chapter}/{lang}/guide.pdf"
    assert page_texts(spliced) == page_texts(full)
    spliced_pdf, full_pdf = pypdf.PdfReader(spliced), pypdf.PdfReader(full)
    assert [spliced_pdf.get_destination_page_number(o) for o in spliced_pdf.outline] == [
        full_pdf.get_destination_page_number(o) for o in full_pdf.outline
    ]
    named = spliced_pdf.named_destinations
    toc_links = [a.get_object() for a in spliced_pdf.pages[1].get("/Annots", [])]
    assert len(toc_links) >= 10
    for link in toc_links:
        assert spliced_pdf.get_destination_page_number(named[str(link["/Dest"])]) >= 2
    last = len(full_pdf.pages) - 1
    for index in (0, last):  # the cover and the back cover
        expected = page_structure(full, index)
        assert len(expected) > 10
        assert page_structure(spliced, index) == expected
    assert name in " ".join(page_texts(spliced)[0].split())
    assert f"{chapter}@phares-solidaires.example" in page_texts(spliced)[-1]
    assert_unique_struct_parents(spliced)
    assert_mupdf_draws(spliced, [1, last + 1], tmp_path)


def assert_unique_struct_parents(path: Path) -> None:
    numbers = []
    for page in pypdf.PdfReader(path).pages:
        numbers.append(page["/StructParents"])
        numbers += [a.get_object()["/StructParent"] for a in page.get("/Annots", [])]
    assert len(numbers) == len(set(numbers))


def assert_mupdf_draws(path: Path, pages: list[int], folder: Path) -> None:
    """MuPDF draws each of ``pages`` (1-based) into a raster that is not uniform."""
    for number in pages:
        image = folder / f"mupdf-{number}.png"
        subprocess.run(
            ["mutool", "draw", "-q", "-r", "20", "-o", str(image), str(path), str(number)],
            check=True,
            capture_output=True,
        )
        low, high = Image.open(image).convert("L").getextrema()
        assert low != high, f"MuPDF draws page {number} of {path} blank"


def test_noop_rebuild_prepares_nothing(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from livret.build import pipeline as build_module

    project = built
    loaded = load_project(project)
    options = BuildOptions(workers=1, html=True)  # as the sample was built
    calls: list[int] = []
    real_prepare = build_module.prepare

    def counting_prepare(project_: object, jobs: list[Job], options_: BuildOptions) -> object:
        calls.append(len(list(jobs)))
        return real_prepare(project_, jobs, options_)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "prepare", counting_prepare)
    again = build_module.build(loaded, plan(loaded, ["guide"]), options)
    assert len(again.skipped) == 2 and calls == [0], "unchanged files: no parsing, no rendering"
    (project / "README.md").write_text("not an input")
    catalog = project / "locales/en/LC_MESSAGES/livret.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = build_module.build(loaded, plan(loaded, ["guide"]), options)
    assert calls[-1] == 2, "a changed catalog is looked at again"
    assert len(third.skipped) == 2, "same pages: nothing rendered again"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_build_leaves_no_temporary_files(project: Path, tmp_path: Path, workers: str) -> None:
    """WeasyPrint copies the brand fonts into a temporary folder per font configuration."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    command = [sys.executable, "-m", "livret", "--project", str(project), "build", "-j", workers]
    command += ["checklist-event", "checklist-crisis", "-l", "fr"]
    result = subprocess.run(
        command, env={**os.environ, "TMPDIR": str(temporary)}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "2 built" in result.stdout
    assert sorted(temporary.iterdir()) == []


def test_a_moved_project_skips_every_document(built: Path, tmp_path: Path, cli) -> None:
    """``built`` is itself a copy of the sample built elsewhere; copy and move it again."""
    project = built
    first = cli(
        "--project", str(project), "build", *AS_BUILT, "guide", "checklist-event", "-j", "1"
    )
    assert "0 built, 4 skipped" in first.output
    copied = tmp_path / "copy"
    shutil.copytree(project, copied)  # like `cp -a`: contents and modification times
    moved = tmp_path / "moved"
    project.rename(moved)
    for root in (copied, moved):
        again = cli(
            "--project", str(root), "build", *AS_BUILT, "guide", "checklist-event", "-j", "1"
        )
        assert "0 built, 4 skipped" in again.output, again.output


def test_a_forced_rebuild_lays_each_checklist_out_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest keeps each one-page document's fit: the same HTML is laid out once,
    at that fit, and gives the same bytes as the build that searched for it."""
    from livret.build import pipeline as build_module

    loaded = load_project(project)
    layouts: list[str] = []
    real_layout = PdfRenderer.layout

    def counting_layout(self: PdfRenderer, html: str, *args: object, **kwargs: object) -> object:
        layouts.append(html)
        return real_layout(self, html, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PdfRenderer, "layout", counting_layout)
    jobs = plan(loaded, ["checklist-event"], ["fr"])
    build_module.build(loaded, jobs, BuildOptions(workers=1))
    first = (project / "out/fr/checklist-event.pdf").read_bytes()
    searched = len(layouts)
    assert searched >= 2, "the first build measures, then fills the page"
    entry = json.loads((project / "out" / MANIFEST_NAME).read_text())["outputs"]
    assert entry["fr/checklist-event.pdf"]["fit"][1] > 0, "the fit and its free space"
    layouts.clear()
    report = build_module.build(loaded, jobs, BuildOptions(workers=1, force=True))
    assert len(report.built) == 1 and len(layouts) == 1, "one layout, at the recorded fit"
    assert (project / "out/fr/checklist-event.pdf").read_bytes() == first


def test_a_job_that_gets_no_result_is_reported_not_rendered(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the renderer ever lose a task, the build says so: never a silent gap."""
    from livret.build import pipeline as build_module

    def render_nothing(*args: object) -> Iterator[object]:
        yield from ()

    monkeypatch.setattr(build_module, "render_all", render_nothing)
    loaded = load_project(project)
    report = build_module.build(loaded, plan(loaded, ["checklist-event"], ["fr"]), BuildOptions())
    assert [result.error for result in report.failed] == ["fr/checklist-event: not rendered"]
