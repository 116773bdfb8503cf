"""The build engine: incremental rebuilds, workers, shards, and shared chapter pages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from pdfread import page_texts

from livret.build import BuildOptions, Job, plan, prepare, shard
from livret.chapters import load_chapters
from livret.manifest import MANIFEST_NAME
from livret.project import load_project
from livret.render import PdfRenderer


def outputs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.pdf"))}


def test_noop_rebuild_skips_and_force_rebuilds(project: Path, cli) -> None:
    first = cli("--project", str(project), "build", "guide", "-j", "1")
    assert "2 built, 0 skipped" in first.output
    before = outputs(project / "out")
    again = cli("--project", str(project), "build", "guide", "-j", "1")
    assert "0 built, 2 skipped" in again.output
    assert outputs(project / "out") == before
    forced = cli("--project", str(project), "build", "guide", "--force", "-j", "1")
    assert "2 built, 0 skipped" in forced.output
    assert outputs(project / "out") == before, "rebuilds are byte-identical"


def test_only_changed_outputs_are_rebuilt(project: Path, cli) -> None:
    cli("--project", str(project), "build", "guide", "-j", "1")
    catalog = project / "locales/en/LC_MESSAGES/livret.po"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace(
            'msgstr "Contents"', 'msgstr "Table of contents"'
        ),
        encoding="utf-8",
    )
    result = cli("--project", str(project), "build", "guide", "-j", "1")
    assert "1 built, 1 skipped" in result.output
    assert "Table of contents" in page_texts(project / "out/en/guide.pdf")[1]


def test_missing_or_edited_output_is_rebuilt(project: Path, cli) -> None:
    cli("--project", str(project), "build", "guide", "-l", "fr", "-j", "1")
    pdf = project / "out/fr/guide.pdf"
    pdf.write_bytes(b"%PDF-1.7 damaged")
    assert "1 built" in cli("--project", str(project), "build", "guide", "-l", "fr").output
    pdf.unlink()
    assert "1 built" in cli("--project", str(project), "build", "guide", "-l", "fr").output
    manifest = json.loads((project / "out" / MANIFEST_NAME).read_text())
    assert set(manifest["outputs"]) == {"fr/guide.pdf"}


def test_parallel_build_gives_the_same_bytes(project: Path, cli, tmp_path: Path) -> None:
    one = cli("--project", str(project), "build", "-j", "1", "-o", str(tmp_path / "one"))
    two = cli("--project", str(project), "build", "-j", "2", "-o", str(tmp_path / "two"))
    assert one.exit_code == two.exit_code == 0, two.output
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


def test_shards_partition_the_jobs(project: Path) -> None:
    loaded = load_project(project)
    chapters = list(load_chapters(loaded).values())
    jobs = plan(loaded, chapters=chapters)
    slices = [shard(jobs, index, 3) for index in (1, 2, 3)]
    assert sorted(repr(job) for part in slices for job in part) == sorted(map(repr, jobs))
    assert max(map(len, slices)) - min(map(len, slices)) <= 1
    assert shard(jobs, 2, 3) == shard(list(reversed(jobs)), 2, 3), "deterministic"


def test_shard_option_builds_a_slice(project: Path, cli) -> None:
    result = cli("--project", str(project), "build", "guide", "--shard", "2/2", "-j", "1")
    assert "1 built" in result.output
    assert cli("--project", str(project), "build", "--shard", "3/2").exit_code == 2


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_chapter_edition_matches_a_full_render(project: Path, cli, lang: str) -> None:
    result = cli("--project", str(project), "build", "guide", "-l", lang, "--all-chapters")
    assert result.exit_code == 0, result.output
    loaded = load_project(project)
    items, _ = prepare(loaded, [Job("guide", lang, "aix")], BuildOptions())
    renderer = PdfRenderer(loaded.edition_date)
    document = renderer.layout(
        items[0].html,
        items[0].pdf_path.parent.as_uri() + "/",
        items[0].allowed_folders,
        **BuildOptions().pdf_options,
    )
    full = project / "full.pdf"
    full.write_bytes(renderer.write(document, **BuildOptions().pdf_options))
    fast = project / f"out/chapters/aix/{lang}/guide.pdf"
    assert page_texts(fast) == page_texts(full)
    fast_pdf, full_pdf = pypdf.PdfReader(fast), pypdf.PdfReader(full)
    assert [fast_pdf.get_destination_page_number(o) for o in fast_pdf.outline] == [
        full_pdf.get_destination_page_number(o) for o in full_pdf.outline
    ]
    toc_links = [a.get_object() for a in fast_pdf.pages[1].get("/Annots", [])]
    named = fast_pdf.named_destinations
    for link in toc_links:
        target = named[str(link["/Dest"])]
        assert fast_pdf.get_destination_page_number(target) >= 2
    assert "Aix-en-Provence" in page_texts(fast)[0]
    assert "aix@phares-solidaires.example" in page_texts(fast)[-1]


def test_noop_rebuild_prepares_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from livret import build as build_module

    loaded = load_project(project)
    options = BuildOptions(workers=1)
    first = build_module.build(loaded, plan(loaded, ["guide"]), options)
    assert len(first.built) == 2
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


def test_a_moved_project_skips_every_document(project: Path, tmp_path: Path, cli) -> None:
    first = cli("--project", str(project), "build", "guide", "checklist-event", "-j", "1")
    assert "4 built, 0 skipped" in first.output
    copied = tmp_path / "copy"
    shutil.copytree(project, copied)  # like `cp -a`: contents and modification times
    moved = tmp_path / "moved"
    project.rename(moved)
    for root in (copied, moved):
        again = cli("--project", str(root), "build", "guide", "checklist-event", "-j", "1")
        assert "0 built, 4 skipped" in again.output, again.output
