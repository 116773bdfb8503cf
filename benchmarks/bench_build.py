"""Build benchmark: run by hand, prints ratios measured in one run on this machine.

    python benchmarks/bench_build.py [--runs 3] [--chapters 100]

Every figure is the median of ``--runs`` runs (the chapter batches run once: they
take minutes). Each ratio compares two things measured here, in this run:

1. overhead   livret build -j 1 (every document, fr + en)  vs  WeasyPrint alone on the
              same final HTML (from --html), in one process            goal <= 1.10
2. parallel   -j 2  vs  -j 1                                            goal <= 0.62
3. no-op      a rebuild with nothing changed  vs  a full build          goal <= 0.05, < 0.5 s
4. batch      N chapters x 2 languages of the full kit, -j 1, per chapter-language,
              vs  WeasyPrint rendering each chapter's full HTML          goal <= 0.35
5. memory     peak RSS of the largest process, N-chapter batch vs 10    goal <= 1.5
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

REPO = Path(__file__).resolve().parent.parent
PARTS = ("livret.yaml", "brand", "content", "templates", "locales")
RENDER_HTML = """
import sys, time
from pathlib import Path
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
fonts, cache = FontConfiguration(), {}
for path in sorted(Path(sys.argv[1]).rglob("*.html")):
    HTML(filename=str(path)).write_pdf(
        str(path.with_suffix(".baseline.pdf")), font_config=fonts, cache=cache,
        pdf_forms=True, pdf_tags=True)
"""
PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def copy_project(target: Path, chapters: int) -> Path:
    target.mkdir(parents=True)
    for part in PARTS:
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
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


def peak_rss_mb(command: list[str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *command], check=True, capture_output=True, text=True
    )
    return int(out.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chapters", type=int, default=100)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="livret-bench-"))
    project = copy_project(work / "project", args.chapters)
    out = work / "out"
    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, goal: str) -> None:
        rows.append((name, value, goal))
        print(f"{name:<40} {value:<36} {goal}", flush=True)

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
    full_j2 = median(livret(project, "--force", "-j", "2", "-o", str(out)), args.runs)
    row(
        "2. parallel (-j 2 vs -j 1)",
        f"{full_j2:.2f} s / {full_j1:.2f} s = {full_j2 / full_j1:.2f}",
        "<= 0.62",
    )
    noop = median(livret(project, "-o", str(out)), args.runs)
    row(
        "3. no-op rebuild vs full build (-j 2)",
        f"{noop:.2f} s / {full_j2:.2f} s = {noop / full_j2:.3f}",
        "<= 0.05 and < 0.5 s",
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
    row(
        f"4. batch {args.chapters} chapters x 2 (-j 1)",
        f"{per_batch:.3f} s / {per_full:.3f} s = {per_batch / per_full:.2f}",
        "<= 0.35",
    )
    batch_j2 = seconds(livret(project, "--force", "--all-chapters", "-j", "2", "-o", str(batch)))
    row(
        "   same batch with -j 2",
        f"{batch_j2:.1f} s, {batch_j2 / (2 * args.chapters):.3f} s per chapter-language",
        "",
    )

    small = copy_project(work / "small", 10)
    rss_small = peak_rss_mb(livret(small, "--force", "--all-chapters", "-o", str(work / "s")))
    rss_large = peak_rss_mb(livret(project, "--force", "--all-chapters", "-o", str(batch)))
    row(
        f"5. peak RSS {args.chapters} vs 10 chapters",
        f"{rss_large:.0f} MB / {rss_small:.0f} MB = {rss_large / rss_small:.2f}",
        "<= 1.5",
    )

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
