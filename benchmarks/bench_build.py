"""Build benchmark: run by hand, prints ratios measured in one run on this machine.

    python benchmarks/bench_build.py [--runs 3] [--chapters 100]

Every figure is the median of ``--runs`` runs (the chapter batches run once: they
take minutes). Each ratio compares two things measured here, in this run:

1. overhead   livret build --force -j 1 (every document, fr + en)  vs  WeasyPrint alone
              on the same final HTML (from --html), in one process      goal <= 1.10
              (the first build, which searches each checklist's fit, is shown too)
2. parallel   -j 2  vs  -j 1                                            goal <= 0.58
3. no-op      a rebuild with nothing changed  vs  a full build          goal <= 0.05, < 0.3 s
4. batch      N chapters x 2 languages of the full kit, -j 1, per chapter-language,
              vs  WeasyPrint rendering each chapter's full HTML          goal <= 0.30
              and with -j 2, seconds per chapter-language               goal <= 0.45
              (every PDF of every CHECK_EVERY-th chapter passes the test suite's readers:
              qpdf --check, pdfium and poppler draw every page, page-validation)
5. memory     peak RSS of the largest process (the build or a worker), N-chapter
              batch vs 10, sampled from /proc                           goal <= 1.2
6. serve      livret serve, idle: save a guide paragraph, then a checklist line; seconds
              until the page's data for that document changes          goals <= 1.5 s, 0.5 s
              (and a checklist line saved while the English guide is rebuilt)

--serve-only runs part 6 alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHECK_EVERY = 10  # the batch outputs of every 10th chapter go through the PDF readers
PARTS = ("livret.yaml", "brand", "content", "templates", "locales")
RENDER_HTML = """
import sys, time
from pathlib import Path
from typing import Any
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
fonts, cache = FontConfiguration(), {}
for path in sorted(Path(sys.argv[1]).rglob("*.html")):
    HTML(filename=str(path)).write_pdf(
        str(path.with_suffix(".baseline.pdf")), font_config=fonts, cache=cache,
        pdf_forms=True, pdf_tags=True)
"""


def copy_project(target: Path, chapters: int | None) -> Path:
    """The sample project, with ``chapters`` made-up chapters (None: the sample's own)."""
    target.mkdir(parents=True)
    for part in PARTS:
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
    if chapters is None:
        return target
    rows = ["slug,name,city,email,phone,website"]
    rows += [
        f"ul-{n:03d},Unité locale n° {n},Ville {n},ul{n}@phares-solidaires.example,"
        f"+33 1 00 00 {n // 100:02d} {n % 100:02d},"
        for n in range(1, chapters + 1)
    ]
    (target / "brand/chapters.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return target


def livret(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "livret", "-q", "--project", str(project), "build", *args]


def seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def median(command: list[str], runs: int) -> float:
    return statistics.median(seconds(command) for _ in range(runs))


def peak_rss_mb(command: list[str]) -> tuple[float, float]:
    """The peak resident memory of the build's own process and of its largest worker, in
    MB, sampled from /proc every 0.1 s (workers are the forkserver's children: getrusage
    in this process would not see them)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    parent = worker = 0
    while process.poll() is None:
        parent = max(parent, _rss_kb(process.pid))
        worker = max([worker, *(_rss_kb(pid) for pid in _descendants(process.pid))])
        time.sleep(0.1)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return parent / 1024, worker / 1024


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    rows = [line.split() for line in status.splitlines() if line.startswith("VmRSS")]
    return int(rows[0][1]) if rows else 0


def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        for task in Path(f"/proc/{stack.pop()}/task").glob("*"):
            try:
                children = [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            stack += children
    return found


def reader_problems(folder: Path, chapters: int, per_chapter: int) -> tuple[int, list[str]]:
    """Run the test suite's PDF readers over the outputs of every CHECK_EVERY-th chapter,
    each of which must have ``per_chapter`` PDFs (the national kit's count)."""
    sys.path.insert(0, str(REPO / "tests"))
    import readers  # the same checks as every test's PDFs

    checked, found = 0, []
    for number in range(1, chapters + 1, CHECK_EVERY):
        paths = sorted((folder / "chapters" / f"ul-{number:03d}").rglob("*.pdf"))
        if len(paths) != per_chapter:
            found.append(f"ul-{number:03d}: {len(paths)} PDFs instead of {per_chapter}")
        for path in paths:
            checked += 1
            found += [f"{path.relative_to(folder)}: {issue}" for issue in readers.problems(path)]
    return checked, found


def serve_latencies(project: Path, runs: int) -> tuple[float, float, float]:
    """Median seconds from saving a file to the served page's new data: a guide paragraph,
    then a checklist line, each on an idle server; and a checklist line saved just after
    the French guide was rebuilt, while the English one is (the real server: watcher,
    worker process, thumbnails)."""
    from livret.serve.live import LiveSite, Selection
    from livret.serve.server import LiveServer

    site = LiveSite(project, Selection(("guide", "checklist-event")))
    server = LiveServer(site, port=0)
    server.start()
    try:
        for label in ("fr/guide", "en/guide", "fr/checklist-event", "en/checklist-event"):
            wait_until_built(site, label, 0, 600)
        guide = project / "content/guide/03-trois-actions.md"
        checklist = project / "content/checklists/event.yaml"
        guide_times, checklist_times, busy_times = [], [], []
        for run in range(runs):
            paragraph = f"\n\nÉdition {run}.\n\n"
            guide_times.append(edit_and_wait(site, guide, "fr/guide", "\n\n", paragraph))
            checklist_times.append(
                edit_and_wait(site, checklist, "fr/checklist-event", "title: ", f"title: {run} ")
            )
            edit_and_wait(site, guide, "fr/guide", "\n\n", f"\n\nBis {run}.\n\n")
            busy_times.append(
                edit_and_wait(site, checklist, "fr/checklist-event", "title: ", "title: + ", False)
            )
        guide_s, checklist_s, busy_s = (
            statistics.median(times) for times in (guide_times, checklist_times, busy_times)
        )
        return guide_s, checklist_s, busy_s
    finally:
        server.close()


def edit_and_wait(
    site: Any, path: Path, label: str, old: str, new: str, idle: bool = True
) -> float:
    """Seconds from saving ``path`` (``old`` replaced by ``new``) until ``label`` is rebuilt;
    ``idle``: first wait until nothing is being built."""
    while idle and site.snapshot().building:
        site.wait(site.snapshot().version, 1.0)
    before = site.snapshot().entry(label).built
    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    wait_until_built(site, label, before, 120)
    return time.perf_counter() - started


def wait_until_built(site: Any, label: str, before: int, timeout: float) -> None:
    """Wait until ``label`` was built after version ``before`` (as the page's long poll)."""
    deadline = time.monotonic() + timeout
    while True:
        snapshot = site.wait(site.snapshot().version, 1.0)
        entry = snapshot.entry(label)
        if entry is not None and entry.error:
            raise SystemExit(f"serve: {label}: {entry.error}")
        if entry is not None and entry.state == "ok" and entry.built > before:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"serve: {label} was not rebuilt within {timeout:g} s")


def build_figures(args: Any, work: Path, project: Path, row: Any) -> None:
    """Parts 1 to 5: builds, batches and memory."""
    out = work / "out"
    first_j1 = seconds(livret(project, "-j", "1", "-o", str(out)))  # searches every fit
    full_j1 = median(livret(project, "--force", "-j", "1", "-o", str(out)), args.runs)
    subprocess.run(
        livret(project, "--force", "--html", "-j", "1", "-o", str(work / "html")), check=True
    )
    direct = median([sys.executable, "-c", RENDER_HTML, str(work / "html")], args.runs)
    row(
        "1. overhead (-j 1 vs WeasyPrint alone)",
        f"{full_j1:.2f} s / {direct:.2f} s = {full_j1 / direct:.2f}",
        "<= 1.10",
    )
    row(
        "   first build (fits searched)",
        f"{first_j1:.2f} s / {direct:.2f} s = {first_j1 / direct:.2f}",
        "",
    )
    full_j2 = median(livret(project, "--force", "-j", "2", "-o", str(out)), args.runs)
    row(
        "2. parallel (-j 2 vs -j 1)",
        f"{full_j2:.2f} s / {full_j1:.2f} s = {full_j2 / full_j1:.2f}",
        "<= 0.58",
    )
    noop = median(livret(project, "-o", str(out)), args.runs)
    row(
        "3. no-op rebuild vs full build (-j 2)",
        f"{noop:.2f} s / {full_j2:.2f} s = {noop / full_j2:.3f}",
        "<= 0.05 and < 0.3 s",
    )

    baseline_dir = work / "baseline"
    subprocess.run(
        livret(
            project,
            "--force",
            "--html",
            "-j",
            "2",
            "-c",
            "ul-001",
            "-c",
            "ul-002",
            "-o",
            str(baseline_dir),
        ),
        check=True,
    )
    per_full = seconds([sys.executable, "-c", RENDER_HTML, str(baseline_dir / "chapters")]) / 4
    batch = work / "batch"
    batch_j1 = seconds(livret(project, "--force", "--all-chapters", "-j", "1", "-o", str(batch)))
    per_batch = batch_j1 / (2 * args.chapters)
    per_chapter = len(list(out.glob("*/*.pdf")))  # the national kit: documents x languages
    checked, found = reader_problems(batch, args.chapters, per_chapter)
    valid = f"{checked} PDFs checked, {len(found)} problems"
    row(
        f"4. batch {args.chapters} chapters x 2 (-j 1)",
        f"{per_batch:.3f} s / {per_full:.3f} s = {per_batch / per_full:.2f} ({valid})",
        "<= 0.30, valid",
    )
    for problem in found[:10]:
        print("   ", problem)
    shutil.rmtree(batch)
    batch_j2 = seconds(livret(project, "--all-chapters", "-j", "2", "-o", str(batch)))
    checked, found = reader_problems(batch, args.chapters, per_chapter)
    row(
        "   same batch with -j 2 (from scratch)",
        f"{batch_j2:.1f} s, {batch_j2 / (2 * args.chapters):.3f} s per chapter-language"
        f" ({checked} PDFs checked, {len(found)} problems)",
        "<= 0.45 s",
    )
    for problem in found[:10]:
        print("   ", problem)

    small = copy_project(work / "small", 10)
    small_parent, small_worker = peak_rss_mb(
        livret(small, "--force", "--all-chapters", "-o", str(work / "s"))
    )
    large_parent, large_worker = peak_rss_mb(
        livret(project, "--force", "--all-chapters", "-o", str(batch))
    )
    largest_small, largest_large = max(small_parent, small_worker), max(large_parent, large_worker)
    row(
        f"5. peak RSS, largest process, {args.chapters} vs 10 chapters",
        f"{largest_large:.0f} MB / {largest_small:.0f} MB = {largest_large / largest_small:.2f}",
        "<= 1.2",
    )
    row(
        "   the build's own process",
        f"{large_parent:.0f} MB / {small_parent:.0f} MB = {large_parent / small_parent:.2f}",
        "",
    )
    row(
        "   its largest worker",
        f"{large_worker:.0f} MB / {small_worker:.0f} MB = {large_worker / small_worker:.2f}",
        "",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chapters", type=int, default=100)
    parser.add_argument("--serve-only", action="store_true", help="measure serve alone")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="livret-bench-"))
    project = copy_project(work / "project", args.chapters)
    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, goal: str) -> None:
        rows.append((name, value, goal))
        print(f"{name:<40} {value:<36} {goal}", flush=True)

    if not args.serve_only:
        build_figures(args, work, project, row)
    serve = copy_project(work / "serve", None)
    guide_s, checklist_s, busy_s = serve_latencies(serve, args.runs)
    row("6. serve: a guide paragraph saved", f"{guide_s:.2f} s to the new page data", "<= 1.5 s")
    row("   serve: a checklist line saved", f"{checklist_s:.2f} s", "<= 0.5 s")
    row("   the same, the English guide building", f"{busy_s:.2f} s", "")

    print(
        f"\n{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}, medians of {args.runs} runs"
        " (batches: one run)"
    )
    print("\n| measure | result | goal |\n|---|---|---|")
    for name, value, goal in rows:
        print(f"| {name.strip()} | {value} | {goal} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
