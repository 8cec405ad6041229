"""Benchmarks for dnaoc-print on the shipped content, each figure beside the naive baseline.

Not part of the test suite: run it by hand on a quiet machine.

    .venv/bin/python benchmarks/run.py            # everything (several minutes)
    .venv/bin/python benchmarks/run.py --quick    # smaller batches, for a first look

The naive baseline typesets each document's HTML with the `weasyprint` command, one
process per document, one after another. Figures are wall-clock seconds on this
machine unless they say otherwise.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "dnaoc_print"]
WEASYPRINT = [sys.executable, "-m", "weasyprint"]
PROJECT_FOLDERS = ("content", "layouts", "fonts", "brands")


def copy_project(destination: Path) -> Path:
    for folder in PROJECT_FOLDERS:
        shutil.copytree(ROOT / folder, destination / folder)
    return destination


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


@dataclass
class Baseline:
    seconds: float
    documents: int
    # The largest of the weasyprint processes, and the largest PDFs they wrote.
    peak_mb: float
    largest_handout_kb: float
    largest_guide_kb: float


def naive_baseline(project: Path, scratch: Path) -> Baseline:
    """Every shipped document's HTML typeset by the weasyprint command, one process each."""
    sys.path.insert(0, str(ROOT / "src"))
    from dnaoc_print.build import Brands
    from dnaoc_print.loading import load_project

    loaded = load_project(project)
    layouts = Brands(loaded).layouts(None)
    documents = [layouts.guide(guide) for guide in loaded.guides]
    documents += [layouts.handout(handout) for handout in loaded.handouts]
    total = 0.0
    sizes = []
    for index, document in enumerate(documents):
        html = scratch / f"doc{index}.html"
        pdf = scratch / f"doc{index}.pdf"
        html.write_text(document.html, encoding="utf-8")
        total += timed(
            [*WEASYPRINT, "--base-url", document.base_url.as_uri() + "/", str(html), str(pdf)],
            project,
        )
        sizes.append(pdf.stat().st_size / 1024)
    guides = len(loaded.guides)
    return Baseline(
        seconds=total,
        documents=len(documents),
        # Children measured so far are only these weasyprint processes.
        peak_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        largest_handout_kb=max(sizes[guides:]),
        largest_guide_kb=max(sizes[:guides]),
    )


def sessions_csv(path: Path, rows: int) -> None:
    stories = [
        "touch",
        "stay",
        "critical-care",
        "what-do-you-see",
        "dis-integration",
        "just-five-minutes-more",
        "the-light-on-the-water",
        "floristry-perhaps",
    ]
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "title", "session.date", "session.venue", "stories"])
        for n in range(rows):
            writer.writerow(
                [
                    f"session-{n:04d}",
                    f"Team session {n}",
                    "2027-01-15",
                    f"Room {n % 40}",
                    ";".join(stories[(n + k) % 8] for k in range(4)),
                ]
            )


def _handout_jobs(project: Path, count: int):
    """``count`` copies of the shipped compassion handout, as the build would make them."""
    sys.path.insert(0, str(ROOT / "src"))
    from dnaoc_print.build import Brands, handout_job
    from dnaoc_print.loading import load_project

    loaded = load_project(project)
    brands = Brands(loaded)
    handout = next(h for h in loaded.handouts if h.name == "compassion")
    out = project / "memory"
    jobs = [handout_job(handout, brands, None, out / f"h{n}.pdf").make() for n in range(count)]
    return loaded, jobs


def memory_over_handouts(project: Path, count: int) -> tuple[float, float, float]:
    """Typeset ``count`` handouts in this process, in batches as a worker does;
    peak RSS and its growth, in MB."""
    from dnaoc_print.jobs import RunOptions, batches, run_work

    loaded, jobs = _handout_jobs(project, count)
    options = RunOptions((loaded.root,))

    def rss_mb() -> float:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    work = batches(jobs, workers=1)
    samples = []
    for n, batch in enumerate(work):
        run_work(batch, options)
        if n in (len(work) // 10, len(work) - 1):
            samples.append(rss_mb())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return peak, samples[0], samples[-1]


def where_a_handout_goes(project: Path, count: int = 25) -> dict[str, float]:
    """CPU milliseconds per handout in each stage, for one batch in this process."""
    import dnaoc_print.splitting as splitting
    import dnaoc_print.typesetting as typesetting
    from dnaoc_print.jobs import HandoutBatch, RunOptions, run_work

    loaded, jobs = _handout_jobs(project, count)
    spent = {"lay out (all passes)": 0.0, "paint and write PDF": 0.0, "split into PDFs": 0.0}

    def timed_call(module, name, stage):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[stage] += time.process_time() - started

        setattr(module, name, wrapper)
        return original

    originals = [
        (typesetting, "lay_out", timed_call(typesetting, "lay_out", "lay out (all passes)")),
        (typesetting, "write", timed_call(typesetting, "write", "paint and write PDF")),
        (splitting, "split_pdf", timed_call(splitting, "split_pdf", "split into PDFs")),
    ]
    try:
        batch = HandoutBatch(jobs[0].sheet.document, tuple(jobs))
        started = time.process_time()
        run_work(batch, RunOptions((loaded.root,)))
        total = time.process_time() - started
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
    figures = {stage: seconds * 1000 / count for stage, seconds in spent.items()}
    figures["everything"] = total * 1000 / count
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller batches")
    args = parser.parse_args()
    rows = 50 if args.quick else 200
    memory_count = 100 if args.quick else 1000
    rows_out = []

    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        project = copy_project(scratch / "project")
        naive = naive_baseline(project, scratch)
        baseline, documents = naive.seconds, naive.documents
        per_document = baseline / documents

        cold = timed([*CLI, "build"], project)
        nothing = statistics.median(timed([*CLI, "build"], project) for _ in range(5))
        catalogue = project / "content/stories.yaml"
        catalogue.write_text(
            catalogue.read_text().replace(
                "Meetings instead of action;", "Meeting after meeting, no action;"
            )
        )
        one_story = timed([*CLI, "build"], project)

        sessions_csv(scratch / "sessions.csv", rows)
        batch = timed(
            [
                *CLI,
                "handout",
                str(project / "content/handouts/compassion.yaml"),
                "--from",
                str(scratch / "sessions.csv"),
                "-o",
                str(scratch / "batch"),
            ],
            project,
        )
        sizes = sorted(p.stat().st_size for p in (scratch / "batch").glob("*.pdf"))
        guide_sizes = sorted(p.stat().st_size for p in (project / "build/guides").glob("*.pdf"))
        peak, early, late = memory_over_handouts(project, memory_count)
        stages = where_a_handout_goes(project)

    rows_out = [
        (
            "(1) cold build, all shipped PDFs",
            f"{cold:.1f} s",
            f"{cold / baseline:.2f}x",
            "<= 0.40x baseline",
        ),
        (
            "(2) rebuild, nothing changed",
            f"{nothing:.2f} s",
            f"{nothing / baseline:.3f}x",
            "< 0.5 s",
        ),
        (
            "(3) rebuild after one story changed",
            f"{one_story:.1f} s",
            f"{one_story / baseline:.2f}x",
            "-",
        ),
        (
            f"(4) {rows}-row CSV handout batch",
            f"{rows / batch:.1f} handouts/s",
            f"{(rows / batch) / (1 / per_document):.1f}x",
            ">= 25 handouts/s",
        ),
        (
            f"(5) peak memory, one worker, {memory_count} handouts",
            f"{peak:.0f} MB",
            f"{peak / naive.peak_mb:.2f}x",
            "<= 300 MB",
        ),
        (
            "(5) memory growth, 10% -> 100% of the run",
            f"{late - early:+.0f} MB",
            "n/a",  # the baseline's processes live for one document each
            "no growth",
        ),
        (
            "(6) handout PDF size, largest",
            f"{sizes[-1] / 1024:.0f} KB",
            f"{sizes[-1] / 1024 / naive.largest_handout_kb:.2f}x",
            "<= 60 KB",
        ),
        (
            "(6) guide PDF size, largest",
            f"{guide_sizes[-1] / 1024:.0f} KB",
            f"{guide_sizes[-1] / 1024 / naive.largest_guide_kb:.2f}x",
            "-",
        ),
        (
            "naive baseline: weasyprint command, one process per document",
            f"{baseline:.1f} s ({documents} docs, {per_document:.2f} s each)",
            "1.00x",
            "-",
        ),
        (
            "naive baseline: peak memory; largest handout, guide",
            f"{naive.peak_mb:.0f} MB; {naive.largest_handout_kb:.0f} KB, "
            f"{naive.largest_guide_kb:.0f} KB",
            "1.00x",
            "-",
        ),
    ]
    width = max(len(row[0]) for row in rows_out)
    print(f"{'measure':<{width}}  {'figure':>34}  {'vs baseline':>11}  target")
    for name, figure, ratio, target in rows_out:
        print(f"{name:<{width}}  {figure:>34}  {ratio:>11}  {target}")
    print("\nwhere one handout's time goes (CPU ms, one batch of 25 in one process):")
    for stage, milliseconds in stages.items():
        print(f"  {stage:<24} {milliseconds:6.0f} ms")
    print(f"\nmachine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
