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


# Everyday rough edges (issue 17): options after the command, list, completion, pipes.


@pytest.mark.parametrize(
    "args",
    [
        ("--project", str(REPO), "build", "-q"),
        ("build", "-q", "--project", str(REPO)),
        ("build", "--quiet", "--project", str(REPO), "guide"),
        ("-q", "build", "--project", str(REPO)),
    ],
)
def test_quiet_and_project_work_after_the_command_too(
    fake: FakeBuild, args: tuple[str, ...]
) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert len(fake.calls) == 1
    # -q leaves the warnings only: no "built" line, no summary
    assert result.output == "warning: en: 1 untranslated and 0 fuzzy strings fall back\n"


def test_verbose_after_the_command_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("livret.build.pipeline.build", FakeBuild(raises=RuntimeError("boom")))
    result = CliRunner().invoke(main, ["build", "guide", "--project", str(REPO), "-v"])
    assert result.exit_code == 1
    assert "Traceback" in result.output and "RuntimeError: boom" in result.output


def test_project_after_an_i18n_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["i18n", "stats", "--project", str(tmp_path)])
    assert (result.exit_code, result.output) == (2, f"error: no livret.yaml in {tmp_path}\n")


def test_list_shows_titles_and_chapters(fake: FakeBuild) -> None:
    text = run("list").output.splitlines()
    guide = next(line for line in text if line.startswith("guide "))
    assert guide.split()[:2] == ["guide", "guide"]
    assert guide.endswith("Guide des réseaux sociaux")
    assert "chapters: 3" in text
    assert any(line.split()[0] == "lyon" and "Unité locale de Lyon" in line for line in text)

    data = json.loads(run("list", "--format", "json").output)
    assert data["languages"] == ["fr", "en"] and data["source_language"] == "fr"
    assert data["documents"]["guide"] == {
        "template": "guide",
        "content": "content/guide",
        "titles": {"fr": "Guide des réseaux sociaux", "en": "Social media guide"},
    }
    assert data["documents"]["checklist-event"]["titles"]["en"] == "Covering an event"
    assert list(data["chapters"]) == ["lyon", "aix", "lille"]
    assert data["chapters"]["lyon"] == {
        "name": "Unité locale de Lyon", "city": "Lyon", "source": "brand/chapters.csv",
    }  # fmt: skip
    assert fake.calls == []


def test_list_of_a_project_without_chapters(tmp_path: Path) -> None:
    from conftest import copy_sample

    root = copy_sample(tmp_path / "kit")
    (root / "brand/chapters.csv").unlink()
    data = json.loads(run_in(root, "list", "--format", "json").output)
    assert data["chapters"] == {}
    assert run_in(root, "list").output.splitlines()[-1] == "chapters: none"


def run_in(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def completions(*words: str) -> list[tuple[str, str | None]]:
    """What the shell is offered after ``livret WORDS`` (the last word being typed)."""
    from click.shell_completion import ShellComplete

    complete = ShellComplete(main, {}, "livret", "_LIVRET_COMPLETE")
    *args, incomplete = words
    return [(item.value, item.help) for item in complete.get_completions(args, incomplete)]


def test_completion_of_documents_languages_and_chapters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO / "content")  # the project is found from a subfolder too
    assert completions("build", "check") == [
        (doc, "checklist")
        for doc in ("checklist-before-posting", "checklist-event", "checklist-daily-watch",
                    "checklist-crisis", "checklist-fundraising")
    ]  # fmt: skip
    assert completions("preview", "gu") == [("guide", "guide")]
    assert completions("serve", "guide", "-l", "") == [("fr", None), ("en", None)]
    assert completions("build", "-c", "l") == [
        ("lyon", "Unité locale de Lyon"),
        ("lille", "Unité locale de Lille"),
    ]


def test_completion_reads_the_project_named_before_or_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no project here
    assert completions("build", "") == []
    assert completions("build", "-l", "") == []
    assert ("en", None) in completions("--project", str(REPO), "build", "-l", "")
    assert completions("build", "--project", str(REPO), "-c", "ai") == [
        ("aix", "Unité locale d'Aix-en-Provence & Pays d'Aix")
    ]


def test_completion_in_bash_does_not_load_the_renderer() -> None:
    import subprocess
    import sys

    script = (
        "import sys\nfrom livret.cli import main\n"
        "try:\n    main(prog_name='livret')\n"
        "finally:\n    print('weasyprint' in sys.modules, file=sys.stderr)\n"
    )
    env = {
        **__import__("os").environ,
        "_LIVRET_COMPLETE": "bash_complete",
        "COMP_WORDS": "livret build -c ",
        "COMP_CWORD": "3",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.stdout.splitlines() == ["plain,lyon", "plain,aix", "plain,lille"]
    assert done.stderr.strip() == "False"


def test_a_closed_pipe_is_no_internal_error() -> None:
    """``livret list | head -1``: the reader leaves before livret is done writing."""
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)  # as head does after its first line: every write now fails
    try:
        done = subprocess.run(
            [sys.executable, "-m", "livret", "--project", str(REPO), "list"],
            stdout=write, stderr=subprocess.PIPE, text=True, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write)
    assert done.stderr == ""
    assert done.returncode == 1  # click's exit code for a broken pipe


class FakeTerminal:
    """A stderr that says it is a terminal, and keeps what is written to it."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, text: str | bytes) -> int:
        if text:
            self.written.append(text.decode() if isinstance(text, bytes) else text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    @property
    def text(self) -> str:
        return "".join(self.written)


def test_progress_bar_names_the_document_and_failures_get_their_own_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from livret.cli.progress import ERASE_LINE, Progress
    from livret.cli.settings import Settings

    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    jobs = [Job("guide", "fr"), Job("checklist-event", "fr"), Job("guide", "en")]
    with Progress(Settings()) as progress:
        assert progress.use_bar
        progress.rendering(3, jobs)
        assert terminal.text.rstrip().endswith("fr/guide")  # the first one is rendering
        progress.finished(JobResult(jobs[0], REPO / "out/fr/guide.pdf", pages=22))
        assert terminal.written[-1].rstrip().endswith("fr/checklist-event")
        before = len(terminal.written)
        aside = REPO / "out/fr/checklist-event.pdf.failed"
        failed = JobResult(jobs[1], None, error="fr/checklist-event: overflows", set_aside=aside)
        progress.finished(failed)
        after = "".join(terminal.written[before:])
        # the bar's line is cleared, then the failure is written from its start
        assert after.startswith(
            ERASE_LINE + "\x1b[31mfailed  fr/checklist-event: overflows\x1b[0m\n"
        )
        assert "its previous PDF is out of date, renamed " in after
        assert after.rstrip().endswith("en/guide")  # the bar is drawn again, below
    assert terminal.text.endswith("\n")


def test_summary_says_a_failed_documents_pdf_was_renamed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    aside = REPO / "out/fr/checklist-event.pdf.failed"
    failed = JobResult(Job("checklist-event", "fr"), None, error="overflows", set_aside=aside)
    monkeypatch.setattr("livret.build.pipeline.build", FakeBuild([failed]))
    result = run("build", "checklist-event", "-l", "fr")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "        its previous PDF is out of date, renamed out/fr/checklist-event.pdf.failed" in (
        lines
    )
    assert lines[-1] == (
        "0 built, 0 skipped, 1 failed in 0.5 s (1 out-of-date PDF renamed to .pdf.failed)"
    )
