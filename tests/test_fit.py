"""The one-page fit and its measurement, on tiny HTML with the real renderer."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import pytest
import weasyprint

from livret.build.packed import Packed
from livret.errors import LivretError
from livret.kinds import KINDS
from livret.pdf.boxes import SUPPORTED_WEASYPRINT
from livret.pdf.fit import OnePage, TypeScale, fit, measure, with_fit
from livret.pdf.overrun import FixedBoxes, check_fixed_boxes
from livret.pdf.renderer import PdfRenderer

PAGE = "@page { size: A5; margin: 10mm }"  # 148 x 210 mm: a 190 mm tall content area


def page(body: str, style: str = "") -> str:
    return (
        f"<!doctype html><html lang=fr><head><title>t</title>"
        f"<style>{PAGE} body {{ margin: 0; font-size: var(--type-size, 11pt) }} {style}</style>"
        f"</head><body>{body}</body></html>"
    )


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("fit")
    renderer = PdfRenderer(dt.date(2026, 11, 1))
    return partial(renderer.layout, base_url=folder.as_uri() + "/", allowed_folders=[folder])


def test_weasyprint_is_the_release_the_box_reader_supports() -> None:
    assert weasyprint.__version__.startswith(SUPPORTED_WEASYPRINT)


def test_measure_reads_the_content_height_of_each_page(layout) -> None:
    used, available = measure(layout(page('<div style="height: 100mm; border: 0"></div>')))
    assert available == pytest.approx(190, abs=0.1)
    assert used == pytest.approx(100, abs=0.1)
    two_pages = layout(page('<div style="height: 150mm"></div><div style="height: 150mm"></div>'))
    assert len(two_pages.pages) == 2
    assert measure(two_pages)[0] == pytest.approx(300, abs=0.1)


def test_fit_shrinks_the_type_until_one_page_holds_it(layout) -> None:
    text = "<p>" + "Une ligne de texte assez longue pour le test. " * 120 + "</p>"
    scale = TypeScale(start=11, floor=7, step=0.5)
    document, html, (size, free) = fit(page(text), OnePage(scale, "content/x.yaml"), layout, "A5")
    assert len(document.pages) == 1
    assert 7 <= size < 11
    assert f"--type-size: {size:g}pt" in html
    assert f"--free-space: {free:g}mm" in html  # the space left, handed to the template
    used, available = measure(layout(with_fit(page(text), scale.start, 0)))
    assert used > available, "at the starting size it did overflow"


def test_a_hint_that_still_fits_takes_one_layout(layout) -> None:
    calls: list[str] = []

    def counting(html: str):
        calls.append(html)
        return layout(html)

    one_page = OnePage(TypeScale(start=11, floor=8, step=0.5), "content/x.yaml")
    _, _, used_fit = fit(page("<p>court</p>"), one_page, counting, "A5", hint=(9.5, 20.0))
    assert used_fit == (9.5, 20.0) and len(calls) == 1


def test_overflow_names_the_paper_the_floor_and_the_file(layout) -> None:
    """Content that might fit at the floor size is laid out down to it: the excess is exact."""
    tall = page('<div style="height: 200mm"></div>')
    with pytest.raises(LivretError) as caught:
        fit(tall, OnePage(TypeScale(start=11, floor=10, step=0.5), "content/x.yaml"), layout, "A5")
    assert str(caught.value) == (
        "overflows one A5 page by 10 mm even at 10 pt (shorten content/x.yaml)"
    )


def test_hopeless_content_takes_one_layout(layout) -> None:
    """Content shrinks at most with the square of the type size: when the first layout
    shows that even the floor size cannot hold it, the fitter stops there."""
    calls: list[str] = []

    def counting(html: str):
        calls.append(html)
        return layout(html)

    text = "<p>" + "Une ligne de texte assez longue pour le test. " * 2000 + "</p>"
    one_page = OnePage(TypeScale(start=11, floor=7, step=0.5), "content/x.yaml")
    with pytest.raises(LivretError, match=r"^overflows one A5 page by at least \d+ mm even at 7"):
        fit(page(text), one_page, counting, "A5")
    assert len(calls) == 1


def test_checklists_are_the_one_page_kind() -> None:
    scale = KINDS["checklist"].one_page
    assert scale is not None and scale.sizes() == [11, 10.5, 10, 9.5, 9, 8.5]
    assert all(kind.one_page is None for name, kind in KINDS.items() if name != "checklist")


def test_renderers_are_made_per_run(tmp_path: Path) -> None:
    """Two runs never share a font configuration (serve and tests run in-process)."""
    from livret.build import workers

    made: list[PdfRenderer] = []

    def recording(task, renderer):
        made.append(renderer)
        return workers.TaskResult(task)

    task = workers.RenderTask(
        key="k", label="fr/x", html=Packed(""), base_url="", allowed_folders=(), pdf_options={},
        destinations=(),
    )  # fmt: skip
    original = workers.run_task
    workers.run_task = recording  # type: ignore[assignment]
    try:
        for _ in range(2):
            list(workers.render_all([], [task, task], 1, dt.date(2026, 11, 1)))
    finally:
        workers.run_task = original  # type: ignore[assignment]
    assert made[0] is made[1], "one renderer for the tasks of a run"
    assert made[2] is not made[0], "a new one for the next run"


BOXES = FixedBoxes("card", "content/cards.yaml")
FIXED = ".card { height: 60mm } .block { break-inside: avoid }"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ('<div class="card"><div class="block" style="height: 50mm"></div></div>', None),
        (
            '<div class="card"><div class="block" style="height: 72mm"></div></div>',
            r"page 1: the text runs 12 mm past its space, over what is printed below it "
            r"\(shorten content/cards\.yaml\)",
        ),
        (
            '<div class="card" style="height: 190mm">'  # the whole page, as a card's
            '<div class="block" style="height: 100mm"></div>'
            '<div class="block" style="height: 100mm"></div></div>',
            r"page 1: the text goes on to the next page \(shorten content/cards\.yaml\)",
        ),
    ],
    ids=["holds", "overruns", "breaks"],
)
def test_a_fixed_box_must_hold_its_content_on_its_page(
    layout, body: str, error: str | None
) -> None:
    document = layout(page(body, FIXED))
    if error is None:
        check_fixed_boxes(document, BOXES)
    else:
        with pytest.raises(LivretError, match=f"^{error}$"):
            check_fixed_boxes(document, BOXES)
