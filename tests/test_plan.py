"""Planning a build: jobs, their outputs, shards and usage errors, without rendering."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

from livret.build.plan import BuildOptions, Job, plan, shard
from livret.errors import LivretError
from livret.model.chapters import load_chapters
from livret.model.project import load_project


@pytest.fixture(scope="module")
def sample():
    return load_project(REPO)


def test_every_document_in_every_language_by_default(sample) -> None:
    jobs = plan(sample)
    assert len(jobs) == len(sample.documents) * len(sample.languages) == 14
    assert jobs[:2] == [Job("guide", "fr"), Job("checklist-before-posting", "fr")]
    assert {job.chapter for job in jobs} == {None}


def test_chapters_multiply_the_jobs_and_their_folders(sample) -> None:
    chapters = list(load_chapters(sample).values())
    jobs = plan(sample, ["guide"], ["en"], chapters)
    assert [job.chapter for job in jobs] == [chapter.slug for chapter in chapters]
    out = sample.output
    assert jobs[0].output(out) == out / "chapters" / chapters[0].slug / "en" / "guide.pdf"
    assert Job("guide", "fr").output(out) == out / "fr" / "guide.pdf"
    assert jobs[0].label == f"chapters/{chapters[0].slug}/en/guide"


def test_repeated_names_are_built_once(sample) -> None:
    assert plan(sample, ["guide", "guide"], ["fr", "fr"]) == [Job("guide", "fr")]


@pytest.mark.parametrize(
    ("documents", "languages", "message"),
    [
        (["gide"], [], "unknown document 'gide' (did you mean 'guide'?)"),
        ([], ["de"], "unknown language 'de' (livret.yaml lists: fr, en)"),
    ],
)
def test_unknown_names_are_usage_errors(sample, documents, languages, message) -> None:
    with pytest.raises(LivretError, match=re.escape(message)):
        plan(sample, documents, languages)


def test_shards_partition_the_jobs(sample) -> None:
    jobs = plan(sample, chapters=list(load_chapters(sample).values()))
    slices = [shard(jobs, index, 3) for index in (1, 2, 3)]
    assert sorted(repr(job) for part in slices for job in part) == sorted(map(repr, jobs))
    assert max(map(len, slices)) - min(map(len, slices)) <= 1
    assert shard(jobs, 2, 3) == shard(list(reversed(jobs)), 2, 3), "deterministic"
    with pytest.raises(LivretError, match="K must be between 1 and N"):
        shard(jobs, 4, 3)


def test_the_pdf_ua_variant_is_the_default_output() -> None:
    """``--variant pdf/ua-1`` writes the file a build without a variant writes (same
    WeasyPrint options, same build key), so validating the default output checks it."""
    default, ua = BuildOptions(), BuildOptions(variant="pdf/ua-1")
    assert ua.output_options == default.output_options
    assert default.pdf_options["pdf_variant"] == "pdf/ua-1"
    assert BuildOptions(variant="pdf/a-3b").output_options != default.output_options
