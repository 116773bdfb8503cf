"""Chapter edition benchmark: run by hand, prints one ratio measured in this run.

    python benchmarks/bench_edition.py [--runs 5] [--chapter lyon] [--lang fr]

In one process, with one renderer (as a worker has), the median of ``--runs`` runs of:

- a full render of the chapter's guide (layout, write, finishing pass);
- a chapter edition: the cover and back cover rendered alone and spliced into the
  finished national PDF (``livret.pdf.editions.merge_edition``).

Goal (issue 14): the edition costs at most a third of the full render.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from livret.build.plan import BuildOptions, Job
from livret.build.prepare import prepare
from livret.model.project import load_project
from livret.pdf.editions import merge_edition
from livret.pdf.renderer import PdfRenderer

REPO = Path(__file__).resolve().parent.parent


def median_seconds(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chapter", default="lyon")
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args()
    project = load_project(REPO)
    options = BuildOptions()
    [item], _ = prepare(project, [Job("guide", args.lang, args.chapter)], options)
    assert item.edition_html and item.national_html
    base_url = item.pdf_path.parent.as_uri() + "/"
    pdf_options = options.pdf_options
    with PdfRenderer(project.edition_date) as renderer:

        def render(html: str) -> bytes:
            document = renderer.layout(html, base_url, item.allowed_folders, **pdf_options)
            return renderer.write(document, **pdf_options)

        national = render(str(item.national_html))
        render(str(item.html))  # warm the font and image caches, as in a batch

        def edition() -> None:
            merged = merge_edition(national, render(str(item.edition_html)))
            assert merged is not None

        full = median_seconds(lambda: render(str(item.html)), args.runs)
        spliced = median_seconds(edition, args.runs)
    print(f"full render of the chapter guide: {full:.3f} s (median of {args.runs})")
    print(f"chapter edition (2 pages + splice): {spliced:.3f} s (median of {args.runs})")
    print(f"ratio: {spliced / full:.2f} (goal <= 0.33)")


if __name__ == "__main__":
    main()
