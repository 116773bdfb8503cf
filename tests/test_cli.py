"""The command line over a stand-in build: options reach the library, errors become exit codes.

Nothing is rendered here: ``livret.build.pipeline.build`` is replaced by a function that
records its arguments and returns a prepared report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import REPO

from livret.build.pipeline import BuildListener, BuildReport, JobResult
from livret.build.plan import BuildOptions, Job
from livret.cli import main
from livret.errors import LivretError


class FakeBuild:
    """Records each call of ``build`` and plays back ``results`` to the listener."""

    def __init__(self, results: list[JobResult] | None = None, raises: Exception | None = None):
        self.results, self.raises = results or [], raises
        self.calls: list[tuple[list[Job], BuildOptions]] = []

    def __call__(self, project: Any, jobs: Any, options: BuildOptions, listener: Any = None):
        self.calls.append((list(jobs), options))
        if self.raises is not None:
            raise self.raises
        listener = listener or BuildListener()
        listener.warning("en: 1 untranslated and 0 fuzzy strings fall back")
        listener.rendering(len(self.results))
        for result in self.results:
            listener.finished(result)
        return BuildReport(results=self.results, seconds=0.5)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeBuild:
    stand_in = FakeBuild([JobResult(Job("guide", "fr"), REPO / "out/fr/guide.pdf", pages=22)])
    monkeypatch.setattr("livret.build.pipeline.build", stand_in)
    return stand_in


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(REPO), *args], catch_exceptions=False)


def test_options_reach_the_library(fake: FakeBuild, tmp_path: Path) -> None:
    result = run(
        "build", "guide", "checklist-event", "-l", "en", "-o", str(tmp_path), "-j", "3",
        "--paper", "LETTER", "--variant", "pdf/ua-1", "--booklet", "--force", "--html",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ((jobs, options),) = fake.calls
    assert jobs == [Job("guide", "en"), Job("checklist-event", "en")]
    assert options == BuildOptions(
        output=tmp_path.resolve(), html=True, booklet=True, variant="pdf/ua-1", workers=3,
        force=True, paper="letter",
    )  # fmt: skip
    assert "warning: en: 1 untranslated" in result.output
    assert "built   " in result.output and "(22 pages)" in result.output
    assert result.output.rstrip().endswith("1 built, 0 skipped, 0 failed in 0.5 s")


def test_a_failed_document_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    failed = JobResult(Job("checklist-event", "fr"), None, error="fr/checklist-event: overflows")
    monkeypatch.setattr("livret.build.pipeline.build", FakeBuild([failed]))
    result = run("build", "checklist-event", "-l", "fr")
    assert result.exit_code == 1
    assert "failed  fr/checklist-event: overflows" in result.output


def test_shards_are_parsed_by_click(fake: FakeBuild) -> None:
    assert run("build", "--shard", "2/3").exit_code == 0
    ((jobs, _),) = fake.calls
    assert len(jobs) == 5  # of 7 documents x 2 languages: the 2nd, 5th, 8th, 11th, 14th
    for bad in ("3/2", "0/2", "two/4", "2"):
        result = run("build", "--shard", bad)
        assert result.exit_code == 2, bad
        assert "Invalid value for '--shard'" in result.output and "use K/N" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("build", "gide"), "error: unknown document 'gide' (did you mean 'guide'?)"),
        (("build", "-l", "de"), "error: unknown language 'de'"),
        (("build", "-c", "lyonn"), "error: unknown chapter 'lyonn' (did you mean 'lyon'?)"),
        (("preview", "guide", "--dpi", "5"), "error: --dpi must be between 36 and 300, not 5"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    fake: FakeBuild, args: tuple[str, ...], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.startswith(message) and result.output.count("\n") == 1
    assert fake.calls == []


def test_library_errors_are_handled_once_for_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(project: Any) -> None:
        raise LivretError("invalid catalog", "locales/en/LC_MESSAGES/livret.po", 7)

    monkeypatch.setattr("livret.i18n.stats.languages", broken)
    result = run("i18n", "stats")
    assert (result.exit_code, result.output) == (
        2,
        "error: locales/en/LC_MESSAGES/livret.po:7: invalid catalog\n",
    )


def test_a_bug_is_one_line_and_its_traceback_only_with_v(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("livret.build.pipeline.build", FakeBuild(raises=RuntimeError("boom")))
    quiet = run("build", "guide")
    assert quiet.exit_code == 1
    assert quiet.output == "internal error: RuntimeError: boom (run with -v for details)\n"
    verbose = CliRunner().invoke(main, ["--project", str(REPO), "-v", "build", "guide"])
    assert verbose.exit_code == 1
    assert "Traceback" in verbose.output and "RuntimeError: boom" in verbose.output


def test_list_reads_the_project_only(fake: FakeBuild) -> None:
    result = run("list")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "languages: fr, en (source: fr)"
    assert "checklist-event" in result.output and fake.calls == []


@pytest.mark.parametrize(
    ("level", "strict", "code"),
    [("warning", False, 0), ("warning", True, 1), ("error", False, 1), (None, True, 0)],
)
def test_check_exits_1_on_errors_and_on_warnings_with_strict(
    monkeypatch: pytest.MonkeyPatch, level: str | None, strict: bool, code: int
) -> None:
    from livret.build.check import Diagnostic

    found = [Diagnostic("brand/brand.yaml", 4, level, "low contrast")] if level else []
    monkeypatch.setattr("livret.build.check.run_checks", lambda root: found)
    result = run("check", *(["--strict"] if strict else []))
    assert result.exit_code == code
    expected = f"brand/brand.yaml:4: {level}: low contrast" if level else "all checks passed"
    assert expected in result.output
    as_json = run("check", "--format", "json")
    assert json.loads(as_json.output) == [item.as_dict() for item in found]
