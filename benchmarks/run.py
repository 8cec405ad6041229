"""Benchmarks for dnaoc-print on the shipped content, each figure beside the naive baseline.

Not part of the test suite: run it by hand on a quiet machine.

    .venv/bin/python benchmarks/run.py            # everything (several minutes)
    .venv/bin/python benchmarks/run.py --quick    # smaller batches, for a first look
    .venv/bin/python benchmarks/run.py --handouts 100 1000   # CPU a handout, by stage
    .venv/bin/python benchmarks/run.py --handouts 100 --repeat 5   # five runs, not three

To measure another revision the same way, put its source first (its src only: the
content and layouts are this checkout's):
    mkdir -p /tmp/other && git archive REVISION src | tar -x -C /tmp/other && \
        PYTHONPATH=/tmp/other/src .venv/bin/python benchmarks/run.py --handouts 100

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
    sys.path.append(str(ROOT / "src"))  # an installed (or PYTHONPATH) dnaoc_print first
    from dnaoc_print.build.brand_set import Brands
    from dnaoc_print.content.loading import load_project

    loaded = load_project(project)
    layouts = Brands(loaded).templates(None)
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


SESSION_STORIES = [
    "touch",
    "stay",
    "critical-care",
    "what-do-you-see",
    "dis-integration",
    "just-five-minutes-more",
    "the-light-on-the-water",
    "floristry-perhaps",
]


def session_rows(rows: int) -> list[dict]:
    """The benchmark's sessions: each its own title, date, room and facilitator, four
    stories in turn (the rows rotate through eight story sets)."""
    return [
        {
            "name": f"session-{n:04d}",
            "title": f"Team session {n}",
            "date": f"2027-01-{n % 28 + 1:02d}",
            "venue": f"Room {n % 40}",
            "facilitator": f"Facilitator {n % 12}",
            "stories": [SESSION_STORIES[(n + k) % 8] for k in range(4)],
        }
        for n in range(rows)
    ]


def sessions_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            ["name", "title", "session.date", "session.venue", "session.facilitator", "stories"]
        )
        for row in session_rows(rows):
            writer.writerow(
                [
                    row["name"],
                    row["title"],
                    row["date"],
                    row["venue"],
                    row["facilitator"],
                    ";".join(row["stories"]),
                ]
            )


def _handout_jobs(project: Path, count: int):
    """``count`` copies of the shipped compassion handout, as the build would make them."""
    sys.path.append(str(ROOT / "src"))  # an installed (or PYTHONPATH) dnaoc_print first
    from dnaoc_print.build.brand_set import Brands
    from dnaoc_print.build.planning import handout_job
    from dnaoc_print.content.loading import load_project

    loaded = load_project(project)
    brands = Brands(loaded)
    handout = next(h for h in loaded.handouts if h.name == "compassion")
    out = project / "memory"
    jobs = [handout_job(handout, brands, None, out / f"h{n}.pdf").make() for n in range(count)]
    return loaded, jobs


def memory_over_handouts(project: Path, count: int) -> tuple[float, float, float]:
    """Typeset ``count`` handouts in this process, in batches as a worker does;
    peak RSS and its growth, in MB."""
    from dnaoc_print.build.jobs import batches, run_work
    from dnaoc_print.build.work import RunOptions
    from dnaoc_print.build.workers import collect_as_a_worker

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
        collect_as_a_worker()
        if n in (len(work) // 10, len(work) - 1):
            samples.append(rss_mb())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return peak, samples[0], samples[-1]


# -- Handouts: CPU time a handout, all processes ------------------------------------

# Where a handout's CPU time goes, by WeasyPrint's pipeline stages and ours. Each stage
# is timed exclusive of the stages it calls (drawing is inside writing, say).
STAGES = [
    ("HTML parse", "weasyprint", "HTML.__init__"),
    ("style cascade", "weasyprint.document", "get_all_computed_styles"),
    ("box tree", "weasyprint.document", "build_formatting_structure"),
    ("layout", "weasyprint.document", "layout_document"),
    ("drawing", "weasyprint.document", "draw_page"),
    ("tagging", "weasyprint.pdf", "add_tags"),
    ("font subsetting", "weasyprint.pdf", "build_fonts_dictionary"),
    ("serialising", "pydyf", "PDF.write"),
    ("tags finished, each handout written", "dnaoc_print.pdf.splitting", "split_pdf"),
]

LAYOUTS = "layouts a handout"
# Runs of the command for each CSV size, and their median ratio, unless --repeat says:
# on a shared machine one run's ratio swings by a tenth or more either way.
HANDOUT_RUNS = 3

# Forces WeasyPrint's fontTools subsetter in every process of a CLI run (the CLI, the
# fork server, the workers it forks), as weasyprint_adapter.subsetter does in one:
# WeasyPrint uses fontTools when weasyprint.pdf.fonts.harfbuzz_subset is None.
FONTTOOLS_SITECUSTOMIZE = """
import importlib.abc, importlib.util, sys

class _FontToolsSubsetting(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "weasyprint.pdf.fonts":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            module.harfbuzz_subset = None

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _FontToolsSubsetting())
"""


@dataclass(frozen=True)
class CpuTime:
    """CPU seconds of a command's processes: all of it, and the kernel's part (system
    time: forking, page faults, pipes, files), which counting instructions leaves out."""

    seconds: float
    system: float

    def __sub__(self, other: CpuTime) -> CpuTime:
        return CpuTime(self.seconds - other.seconds, self.system - other.system)


def _cpu_time() -> CpuTime:
    """CPU time of this process and every descendant waited for."""
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    system = sum(usage.ru_stime for usage in usages)
    return CpuTime(sum(usage.ru_utime for usage in usages) + system, system)


def _adopt_orphans() -> None:
    """Become the reaper of our descendants: the CLI's fork server outlives it by a
    moment, and its CPU time (and its workers') counts only once it is waited for."""
    import ctypes

    pr_set_child_subreaper = 36
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


def _reap_orphans() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def cli_cpu(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[CpuTime, float]:
    """(CPU time of every process of the command, wall seconds)."""
    before, started = _cpu_time(), time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    _reap_orphans()
    return _cpu_time() - before, wall


def handout_batch_cpu(
    project: Path, scratch: Path, rows: int, subsetter: str, jobs: int | None = None
):
    """A CSV of ``rows`` handouts of the compassion spec, made by the CLI as a user
    would (default workers, unless ``jobs`` says how many): CPU ms a handout over all
    its processes, the system time's share of it, wall handouts a second, and the
    sha256 of the first PDF."""
    import hashlib

    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    if subsetter == "fonttools":
        site = scratch / "fonttools-site"
        site.mkdir(exist_ok=True)
        (site / "sitecustomize.py").write_text(FONTTOOLS_SITECUSTOMIZE)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    table = scratch / f"sessions-{rows}.csv"
    sessions_csv(table, rows)
    out = scratch / f"out-{rows}-{subsetter}"
    spec = project / "content/handouts/compassion.yaml"
    command = [*CLI, "handout", str(spec), "--from", str(table), "-o", str(out)]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    cpu, wall = cli_cpu(command, project, env)
    pdfs = sorted(out.glob("*.pdf"))
    if len(pdfs) != rows:
        raise SystemExit(f"expected {rows} handouts, found {len(pdfs)} in {out}")
    first = hashlib.sha256(pdfs[0].read_bytes()).hexdigest()
    shutil.rmtree(out)
    return cpu.seconds * 1000 / rows, cpu.system / cpu.seconds, rows / wall, first


def where_a_handout_goes(project: Path, count: int, subsetter: str) -> dict[str, float]:
    """CPU ms a handout in each stage, for ``count`` handouts typeset in this process
    in the batches a run makes (no workers, no CLI: the typesetting alone)."""
    import importlib
    import inspect

    from dnaoc_print.build.jobs import batches, run_work
    from dnaoc_print.build.work import RunOptions
    from dnaoc_print.build.workers import collect_as_a_worker
    from dnaoc_print.typeset.weasyprint_adapter import subsetter as subsetting

    loaded, jobs = _handout_jobs(project, count)
    spent = dict.fromkeys([stage for stage, _, _ in STAGES], 0.0)
    nested: list[float] = []  # CPU time of the stages inside the one running

    def timed(stage, original):
        def run(call):
            nested.append(0.0)
            started = time.process_time()
            try:
                return call()
            finally:
                elapsed = time.process_time() - started
                inner = nested.pop()
                spent[stage] += elapsed - inner
                if nested:
                    nested[-1] += elapsed

        def each(generator):
            # WeasyPrint's layout yields a page at a time: time each page as it is asked for.
            while True:
                try:
                    item = run(lambda: next(generator))
                except StopIteration:
                    return
                yield item

        def wrapper(*args, **kwargs):
            result = run(lambda: original(*args, **kwargs))
            return each(result) if inspect.isgenerator(result) else result

        return wrapper

    originals = []
    for stage, module_name, attribute in STAGES:
        owner = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        originals.append((owner, name, getattr(owner, name)))
        setattr(owner, name, timed(stage, getattr(owner, name)))
    # Sheets laid out (a handout tried at two fit steps is laid out twice).
    from dnaoc_print.build import handout_typesetting as handout_pages

    sheets_laid_out = []
    lay_out_sheets = handout_pages._lay_out_sheets

    def counted(batch, entries, roots):
        sheets_laid_out.append(len(entries))
        return lay_out_sheets(batch, entries, roots)

    handout_pages._lay_out_sheets = counted
    work = batches(jobs)
    try:
        with subsetting(subsetter):
            run_work(work[0], RunOptions((loaded.root,)))  # warm: fonts loaded, caches
            spent.update(dict.fromkeys(spent, 0.0))
            sheets_laid_out.clear()
            collect_as_a_worker()
            started = time.process_time()
            for batch in work:
                run_work(batch, RunOptions((loaded.root,)))
                collect_as_a_worker()  # as a worker does after each batch
            total = time.process_time() - started
    finally:
        handout_pages._lay_out_sheets = lay_out_sheets
        for owner, name, original in originals:
            setattr(owner, name, original)
    figures = {stage: seconds * 1000 / count for stage, seconds in spent.items()}
    figures["fitting, templating the batch, writing files, other"] = (
        (total - sum(spent.values())) * 1000 / count
    )
    figures["everything"] = total * 1000 / count
    figures[LAYOUTS] = sum(sheets_laid_out) / count
    return figures


def warm_single_handout(project: Path, repeats: int = 5) -> list[float]:
    """Wall seconds for one handout typeset by an already warm worker, as the composer
    asks for one (its job made from the spec, then typeset and written)."""
    import functools

    from dnaoc_print.build.jobs import run_work
    from dnaoc_print.build.work import HandoutBatch, RunOptions
    from dnaoc_print.build.workers import Pool

    loaded, jobs = _handout_jobs(project, repeats + 1)
    options = RunOptions((loaded.root,))
    seconds = []
    with Pool(functools.partial(run_work, options=options), 1, 60) as pool:
        for job in jobs:
            started = time.perf_counter()
            pool.submit(HandoutBatch(job.sheet.document, (job,)))
            [(_, answer)] = list(pool.results())
            seconds.append(time.perf_counter() - started)
            assert answer[0].status == "built", answer
    return seconds[1:]  # the first warms the worker


def print_stages(stages: dict[str, float]) -> None:
    for stage, figure in stages.items():
        unit = "" if stage == LAYOUTS else " ms"
        print(f"  {stage:<52} {figure:6.1f}{unit}")


def print_floor(project: Path, stages: dict[str, float]) -> float:
    """The least a handout of the compassion spec can cost with WeasyPrint (see
    handout_floor.py), beside what one layout of it costs now; returns the floor (ms)."""
    from handout_floor import measure_floor

    loaded, [job] = _handout_jobs(project, 1)
    steps, floor = measure_floor(job, [loaded.root], project / "layouts/handout.css")
    heights = " / ".join(f"{height:.1f}" for height in steps.heights_mm)
    one_layout = sum(stages[s] for s in ("HTML parse", "style cascade", "box tree", "layout"))
    least = steps.layouts * floor.render_ms + floor.write_ms
    print(
        "\nthe floor (the compassion spec, A4; see benchmarks/handout_floor.py):\n"
        f"  height at fit steps 0 / 1 / 2: {heights} mm, of {steps.available_mm:.1f} mm: "
        f"first fits at step {steps.first_fitting}, so {steps.layouts} layouts a handout "
        f"(the run above: {stages[LAYOUTS]:.2f})\n"
        f"  one layout of it now (HTML parse to layout, from the first table above): "
        f"{one_layout / stages[LAYOUTS]:.1f} ms\n"
        f"  its words as plain paragraphs ({floor.characters} characters, "
        f"{floor.text_size_pt} pt, no design): {floor.render_ms:.1f} ms a page to lay out, "
        f"{floor.write_ms:.1f} ms to write\n"
        f"  least any WeasyPrint design can cost: {steps.layouts} x {floor.render_ms:.1f} + "
        f"{floor.write_ms:.1f} = {least:.1f} ms a handout (no design, no split)"
    )
    return least


def print_typst_anchor(project: Path) -> None:
    """CPU a page for a comparable page typeset by Typst, if it is installed."""
    try:
        from typst_anchor import typst_cpu_ms
    except ImportError:
        print("\nanchor: Typst not installed (.venv/bin/pip install -e '.[bench]')")
        return
    milliseconds, pages, _ = typst_cpu_ms(project, session_rows(100))
    print(
        f"\nanchor: a comparable page typeset by Typst (benchmarks/typst_anchor.py; {pages} "
        f"pages in one PDF, not split, cold): {milliseconds:.1f} ms CPU a page"
    )


# CPU a handout may cost, as a multiple of the floor measured in the same run (issue 24):
# CPU milliseconds differ from machine to machine and with load; the ratio travels.
RATIO_TARGETS = {"harfbuzz": 3.0, "fonttools": 3.3}


def floor_now(project: Path) -> float:
    """The floor (ms a handout), measured again now: CPU milliseconds change with the
    machine's load, so each CPU figure is set beside a floor measured just before and
    just after it."""
    from handout_floor import measure_floor

    loaded, [job] = _handout_jobs(project, 1)
    steps, floor = measure_floor(job, [loaded.root], project / "layouts/handout.css")
    return steps.layouts * floor.render_ms + floor.write_ms


def _ratio_run(project: Path, scratch: Path, rows: int, subsetter: str, jobs: int | None):
    """One run of the CLI on a CSV of ``rows``, printed beside the floor measured just
    before and just after it; returns the ratio."""
    before = floor_now(project)
    cpu, system, rate, first = handout_batch_cpu(project, scratch, rows, subsetter, jobs)
    floor = (before + floor_now(project)) / 2
    print(
        f"  {subsetter:<9} {rows:>5} rows  {cpu:6.1f} ms CPU a handout ({system:.0%} system), "
        f"{cpu / floor:4.2f}x the floor of {floor:.1f} ms (before and after) "
        f"(target <= {RATIO_TARGETS[subsetter]}x)   wall: {rate:5.1f} handouts/s "
        f"[first PDF {first[:12]}]",
        flush=True,
    )
    return cpu / floor


def compile_package() -> None:
    """Compile dnaoc_print's modules to bytecode, as `pip install .` does and as any
    command does where writing it is not turned off, so that the figures are of the
    command, not of Python compiling its source (see docs/install.md)."""
    import compileall
    import py_compile

    sys.path.append(str(ROOT / "src"))  # an installed (or PYTHONPATH) dnaoc_print first
    import dnaoc_print

    # Checked by the source's time, as Python writes it itself (with SOURCE_DATE_EPOCH
    # set, compileall would write hashes, checked on every import).
    compileall.compile_dir(
        Path(dnaoc_print.__file__).parent,
        quiet=1,
        invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP,
    )
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print(
            "dnaoc_print's modules compiled to bytecode first: this environment sets "
            "PYTHONDONTWRITEBYTECODE, so each command\nwould otherwise compile them again "
            "(about 0.1 s of CPU; see docs/install.md)\n"
        )


def handout_figures(rows_list: list[int], repeat: int = 1, jobs: int | None = None) -> None:
    """Print the handout figures: where a handout's CPU goes, the floor, then CPU a
    handout by subsetter and batch, each beside the floor (the ratio is the target):
    ``repeat`` runs of each, and their median ratio; in ``jobs`` worker processes
    (None: the CLI's default, one a core)."""
    from dnaoc_print.typeset.weasyprint_adapter import available_subsetters

    sys.path.append(str(ROOT / "src"))  # an installed (or PYTHONPATH) dnaoc_print first
    _adopt_orphans()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        project = copy_project(scratch / "project")
        tables = []
        for subsetter in available_subsetters():
            tables.append(where_a_handout_goes(project, 100, subsetter))
            print(f"where a handout's CPU goes ({subsetter}; 100 handouts in this process):")
            print_stages(tables[-1])
        # One layout's cost from the first table (HarfBuzz's, where it is available).
        print_floor(project, tables[0])
        from dnaoc_print.build.running import default_workers

        count = default_workers() if jobs is None else jobs
        workers = f"{count} worker" + ("s" if count != 1 else "")
        print("\nCPU time a handout, every process of `dnaoc-print handout SPEC --from CSV`")
        print(f"(CLI, fork server, {workers}; getrusage of self and children, not wall time;")
        print(" rows vary in date, venue, facilitator and stories):")
        for subsetter in available_subsetters():
            for rows in rows_list:
                ratios = [
                    _ratio_run(project, scratch, rows, subsetter, jobs) for _ in range(repeat)
                ]
                if repeat > 1:
                    print(
                        f"  {subsetter:<9} {rows:>5} rows  median of {repeat} runs: "
                        f"{statistics.median(ratios):4.2f}x the floor "
                        f"(target <= {RATIO_TARGETS[subsetter]}x)"
                    )
        print_typst_anchor(project)
        warm = warm_single_handout(project)
        print(
            "\none handout by a warm worker (wall, as the composer asks): "
            f"median {statistics.median(warm) * 1000:.0f} ms, slowest {max(warm) * 1000:.0f} ms"
        )
    load = os.getloadavg()[0]
    print(
        f"machine: {os.cpu_count()} cores, load average {load:.1f}; Python {sys.version.split()[0]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller batches")
    parser.add_argument(
        "--handouts",
        nargs="*",
        type=int,
        metavar="ROWS",
        help="only the handout figures: CPU a handout for CSVs of these sizes (100 1000)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        metavar="N",
        help="with --handouts: N runs of each size, and their median ratio (default "
        f"{HANDOUT_RUNS}: CPU time varies from run to run with the machine's load, so one "
        "run is a sample, not the figure)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="with --handouts: typeset in N worker processes (default: the CLI's, one a core)",
    )
    args = parser.parse_args()
    if (args.repeat is not None and args.repeat < 1) or (args.jobs is not None and args.jobs < 1):
        parser.error("--repeat and --jobs take a number of at least 1")
    if args.handouts is None and (args.repeat is not None or args.jobs is not None):
        parser.error("--repeat and --jobs go with --handouts")
    compile_package()
    if args.handouts is not None:
        handout_figures(args.handouts or [100, 1000], args.repeat or HANDOUT_RUNS, args.jobs)
        return
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
        from dnaoc_print.typeset.weasyprint_adapter import available_subsetters

        stages = where_a_handout_goes(project, 25, available_subsetters()[0])

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
    print_stages(stages)
    print(f"\nmachine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
