"""The render schedule: what waits for what, and the costliest work first (no rendering)."""

from __future__ import annotations

from pathlib import Path

import pytest

from livret.build.packed import Packed
from livret.build.workers import Edition, RenderTask, TaskResult, _Schedule
from livret.pdf.fit import OnePage, TypeScale

ONE_PAGE = OnePage(TypeScale(start=11, floor=8.5, step=0.5), "content/checklists/x.yaml")


def task(name: str, html_size: int = 10, **fields: object) -> RenderTask:
    values: dict[str, object] = {
        "key": name,
        "label": name,
        "html": Packed("x" * html_size),
        "base_url": "",
        "allowed_folders": (),
        "pdf_options": {},
        "destinations": (Path(f"/out/{name}.pdf"),),
    }
    values.update(fields)
    return RenderTask(**values)  # type: ignore[arg-type]


def drain(schedule: _Schedule, fits: dict[str, tuple[float, float]] | None = None) -> list[str]:
    """Run the schedule one task at a time, as one worker would; the labels in order."""
    order = []
    while (next_task := schedule.next()) is not None:
        order.append(next_task.label)
        schedule.done(TaskResult(next_task, fit=(fits or {}).get(next_task.label)))
    return order


def test_costliest_first_and_every_task_once() -> None:
    tasks = [task("small", 10), task("large", 1000), task("medium", 100)]
    assert drain(_Schedule([], tasks)) == ["large", "medium", "small"]


def test_a_chapter_edition_waits_for_its_shared_pages() -> None:
    base = task("national", 5)
    edition = task("chapter", 10_000, edition=Edition(Packed("x" * 10_000), base.destinations[0]))
    schedule = _Schedule([base], [edition, task("other", 50)])
    first = schedule.next()
    assert first is not None and first.label == "other", "the edition is not ready yet"
    assert drain(schedule) == ["national", "chapter"]


def test_one_page_followers_start_from_their_leaders_fit() -> None:
    group = {"one_page": ONE_PAGE, "group": "fr/checklist"}
    leader, follower = task("ul-1", 20, **group), task("ul-2", 30, **group)
    cached = task("ul-3", 10, fit_hint=(9.0, 4.0), **group)
    schedule = _Schedule([], [leader, follower, cached])
    assert schedule.next() is leader, "the follower waits, whatever its size"
    schedule.done(TaskResult(leader, fit=(10.5, 12.0)))
    released = schedule.next()
    assert released is not None and released.label == "ul-2"
    assert released.fit_hint == (10.5, 12.0)
    assert schedule.next() is cached and schedule.next() is None


def test_followers_of_a_failed_leader_still_run() -> None:
    group = {"one_page": ONE_PAGE, "group": "fr/checklist"}
    leader, follower = task("ul-1", **group), task("ul-2", **group)
    schedule = _Schedule([], [leader, follower])
    assert schedule.next() is leader
    schedule.done(TaskResult(leader, error="overflows"))
    released = schedule.next()
    assert released is not None and released.label == "ul-2" and released.fit_hint is None


def test_a_single_task_runs_in_this_process(monkeypatch) -> None:
    """Starting worker processes for one document costs more than it saves."""
    import datetime as dt

    from livret.build import workers

    monkeypatch.setattr(workers, "run_task", lambda task, renderer: TaskResult(task, pages=1))
    monkeypatch.setattr(workers.RenderSession, "_pool", lambda self: pytest.fail("a pool"))
    results = list(workers.render_all([], [task("only")], 2, dt.date(2026, 11, 1)))
    assert [result.task.label for result in results] == ["only"]


def test_packed_text_gives_back_what_it_was_given() -> None:
    text = "Les règles d’or — « 66 % »\u202fet 😀 " * 200
    packed = Packed(text)
    assert str(packed) == text and len(packed) == len(text)
    assert len(packed._data) < len(text.encode()) / 10, "compressed while it waits"


def test_every_task_runs_while_the_pool_is_recycled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five tasks, two workers, a fresh pool after every two tasks: all five are written."""
    import datetime as dt

    from livret.build import workers

    monkeypatch.setattr(workers, "TASKS_PER_WORKER", 1)
    tasks = [
        task(f"t{n}", html=Packed(f"<p>Page {n}</p>"), destinations=(tmp_path / f"t{n}.pdf",))
        for n in range(5)
    ]
    results = list(workers.render_all([], tasks, 2, dt.date(2026, 11, 1)))
    assert sorted(result.task.label for result in results) == [f"t{n}" for n in range(5)]
    assert all(result.error is None for result in results)
    assert all((tmp_path / f"t{n}.pdf").is_file() for n in range(5))
