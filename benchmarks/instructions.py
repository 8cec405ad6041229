"""Instructions a handout: a measure of typesetting's cost that the machine's load
does not move, for comparing two revisions on a busy machine.

CPU milliseconds on a shared machine swing by a tenth or more from one minute to the
next, so a change of a few per cent cannot be seen in them without many interleaved
runs. The number of instructions a batch executes hardly moves (two runs agree within
0.1 %). This counts them with Valgrind's cachegrind (``apt install valgrind``), for the
batches of the benchmark's 100-row CSV (as ``run.py --handouts`` makes it), typeset in
one process as a worker typesets them: the process run twice, with the first batch
alone and with one more, so that starting Python, importing and the first batch's
warming up cancel out (neither writes bytecode, so compiling cancels out too). About
two minutes.

    .venv/bin/python benchmarks/instructions.py
    mkdir -p /tmp/other && git archive REVISION src | tar -x -C /tmp/other && \
        PYTHONPATH=/tmp/other/src .venv/bin/python benchmarks/instructions.py

The second measures another revision's source (its ``src`` only: the content and layouts
are this checkout's). It measures in-process typesetting, not the command's start;
run.py measures the command.

    .venv/bin/python benchmarks/instructions.py --ratio

adds run.py's target measured in instructions (about two minutes more): every process of
``dnaoc-print handout SPEC --from CSV`` for the 100-row CSV (the CLI, the resource
tracker it starts, the fork server, two workers), a handout, beside the floor
(handout_floor.py: the handout's words as plain paragraphs, laid out once and written,
in one process), a page. CPU milliseconds also count the kernel's work for the processes
and how fast each instruction ran, which the machine's load moves; this ratio leaves
both out, so it is not run.py's target, only where the code stands without the machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = 100
# Run under cachegrind: typeset the warm-up batch, then ``extra`` batches more.
TYPESET = """
import sys
from pathlib import Path
from dnaoc_print.build.handouts import plan_handouts
from dnaoc_print.build.jobs import batches, run_work
from dnaoc_print.build.work import RunOptions
from dnaoc_print.build.workers import collect_as_a_worker
scratch, extra = Path(sys.argv[1]), int(sys.argv[2])
project = scratch / "project"
spec = project / "content/handouts/compassion.yaml"
plan = plan_handouts(project, spec, rows_from=scratch / "sessions.csv", output=scratch / "out")
work = batches([item.make() for item in plan.items])
for batch in work[: 1 + extra]:
    failed = [o.error for o in run_work(batch, RunOptions((project,))) if o.status != "built"]
    if failed:
        raise SystemExit(f"a handout failed: {failed[0]}")
    collect_as_a_worker()
print("measured:", len(work[1].jobs))
"""


def _cachegrind(script: str, *arguments: str, tmp: Path | None = None) -> tuple[int, int]:
    """Instructions of one run of ``script`` under cachegrind, and the number it
    printed after "measured:" (``tmp``: its temporary folder)."""
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
        + [sys.executable, "-c", script, *arguments],
        capture_output=True,
        text=True,
        env={**_environment(), **({"TMPDIR": str(tmp)} if tmp else {})},
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    measured = re.search(r"^measured: (\d+)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or found is None or measured is None:
        raise SystemExit(f"the run under valgrind failed:\n{done.stdout}{done.stderr[-2000:]}")
    return int(found[1].replace(",", "")), int(measured[1])


def instructions(scratch: Path, extra: int) -> tuple[int, int]:
    """Instructions of one run of TYPESET, and how many handouts its last batch had."""
    return _cachegrind(TYPESET, str(scratch), str(extra))


# Run under cachegrind: the floor's plain pages (handout_floor.py) as run.py times them.
# Both runs lay them out and write them once to warm up, then collect as a worker does;
# the second then lays them out and writes them once more. run.py's collection is
# outside what it times, and so it is here: the runs differ by that layout and writing
# alone (the warm-up's layout freed as the new one takes its name, as in run.py). Both
# end at once (os._exit), so neither pays for freeing what it holds at exit, and
# WeasyPrint's copies of the fonts go with the scratch folder (TMPDIR).
FLOOR = """
import os, sys
from pathlib import Path
scratch, extra, benchmarks = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, benchmarks)
import run as bench
from handout_floor import PAGES, plain_document, printed_sheet
from dnaoc_print.build.workers import collect_as_a_worker
from dnaoc_print.typeset import typesetting
project = scratch / "project"
loaded, [job] = bench._handout_jobs(project, 1)
roots = [loaded.root]
steps, pdf, text_size_pt = printed_sheet(job, roots, project / "layouts/handout.css")
# run.py's floor is one layout for each fit step tried, plus the writing: this counts one.
assert steps.layouts == 1, f"the handout is laid out {steps.layouts} times: see run.py"
plain, _, _ = plain_document(job, pdf, text_size_pt)
layout = typesetting.lay_out(plain, "floor", roots)
written = typesetting.write(layout).pdf
collect_as_a_worker()
for _ in range(extra):
    layout = typesetting.lay_out(plain, "floor", roots)
    written = typesetting.write(layout).pdf  # drawn, then written
assert layout.page_count == PAGES and written.startswith(b"%PDF-")
print("measured:", PAGES, flush=True)
os._exit(0)
"""


def _environment() -> dict[str, str]:
    return {
        **os.environ,
        "SOURCE_DATE_EPOCH": "0",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def floor_instructions(scratch: Path) -> float:
    """Instructions a page of the floor: two runs of FLOOR, the second with one more
    layout and writing of its pages."""
    tmp = scratch / "floor-tmp"
    tmp.mkdir(exist_ok=True)
    benchmarks = str(ROOT / "benchmarks")
    warm, _ = _cachegrind(FLOOR, str(scratch), "0", benchmarks, tmp=tmp)
    one_more, pages = _cachegrind(FLOOR, str(scratch), "1", benchmarks, tmp=tmp)
    return (one_more - warm) / pages


# The command's processes, in the order printed: how each is told by its command line
# (the fork server's and its workers' name dnaoc_print too, in its preload list, so the
# CLI is tested for last).
ROLES = (
    ("multiprocessing.forkserver", "fork server and workers"),
    ("multiprocessing.resource_tracker", "resource tracker (the CLI's)"),
    ("dnaoc_print", "the CLI"),
)
WORKERS = 2


def command_instructions(scratch: Path) -> dict[str, int]:
    """Instructions of each process of the handout command for the CSV (WORKERS
    workers, as on a 2-core machine), by role.

    Cachegrind writes a file for each process. A process forked, not started afresh,
    begins with its parent's count: the workers are forked from the fork server, so
    its count is taken off each worker's. That is its whole count, so what it does
    after forking (its children's ends, its own) is taken off too and each worker is
    undercounted by it: at most 19 million instructions (the fork server's whole count
    was 2,467 million, importing its modules alone 2,448), a thousandth of a worker's."""
    folder = scratch / "cachegrind"
    folder.mkdir()
    command = [sys.executable, "-m", "dnaoc_print", "handout"]
    command += ["content/handouts/compassion.yaml", "--from", str(scratch / "sessions.csv")]
    command += ["-o", str(scratch / "command-out"), "--jobs", str(WORKERS)]
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--trace-children=yes"]
        + [f"--cachegrind-out-file={folder}/%p", *command],
        cwd=scratch / "project",
        capture_output=True,
        text=True,
        # Bytecode as run.py has it: dnaoc_print's compiled first (main), the rest
        # written by whichever process imports it first, unless the environment says not.
        env={**os.environ, "SOURCE_DATE_EPOCH": "0", "PYTHONHASHSEED": "0"},
    )
    written = len(list((scratch / "command-out").glob("*.pdf")))
    if done.returncode != 0 or written != ROWS:
        raise SystemExit(f"the command under valgrind failed:\n{done.stdout}{done.stderr[-2000:]}")
    counts: dict[str, list[int]] = {role: [] for _, role in ROLES}
    counts["programs it starts"] = []
    for output in folder.iterdir():
        text = output.read_text()
        [line] = re.findall(r"^cmd: (.*)$", text, re.MULTILINE)
        [total] = re.findall(r"^summary: (\d+)$", text, re.MULTILINE)
        role = next((role for mark, role in ROLES if mark in line), "programs it starts")
        counts[role].append(int(total))
    # The fork server is the workers' parent: its count is the least. A worker killed
    # before it ended writes no file: then the figure would be wrong, so it is refused.
    forked = sorted(counts.pop("fork server and workers"))
    if len(forked) != 1 + WORKERS:
        raise SystemExit(
            f"expected a fork server and {WORKERS} workers under valgrind, found "
            f"{len(forked)} such processes: a worker killed, or no fork server here"
        )
    server, *workers = forked
    return {
        **{role: sum(totals) for role, totals in counts.items()},
        "fork server": server,
        f"workers ({WORKERS})": sum(total - server for total in workers),
    }


def print_ratio(scratch: Path) -> None:
    from run import RATIO_TARGETS

    from dnaoc_print.typeset.weasyprint_adapter import available_subsetters

    subsetter = available_subsetters()[0]  # the command's, as it typesets by default
    by_role = command_instructions(scratch)
    floor = floor_instructions(scratch)
    a_handout = sum(by_role.values()) / ROWS
    print(f"\ndnaoc-print handout SPEC --from CSV, {ROWS} rows, million instructions a handout:")
    for role, count in by_role.items():
        print(f"  {role:<28} {count / ROWS / 1e6:7.1f}")
    print(f"  {'every process':<28} {a_handout / 1e6:7.1f}")
    print(f"the floor (handout_floor.py), a page: {floor / 1e6:.1f}")
    print(
        f"ratio in instructions: {a_handout / floor:.2f}x the floor ({subsetter}; run.py's "
        f"target, in CPU time: <= {RATIO_TARGETS[subsetter]}x)"
    )


def main() -> None:
    ratio = "--ratio" in sys.argv[1:]
    if set(sys.argv[1:]) - {"--ratio"}:
        raise SystemExit("usage: instructions.py [--ratio]")
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: apt install valgrind")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import run as bench

    if ratio:
        bench.compile_package()  # as run.py measures the command: with its bytecode
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        bench.copy_project(scratch / "project")
        bench.sessions_csv(scratch / "sessions.csv", ROWS)
        alone, _ = instructions(scratch, 0)
        shutil.rmtree(scratch / "out", ignore_errors=True)
        with_one_more, count = instructions(scratch, 1)
        print(
            f"{(with_one_more - alone) / count / 1e6:.1f} million instructions a handout "
            f"({count} handouts in the batch measured; the compassion spec, {ROWS}-row CSV; "
            "valgrind cachegrind)"
        )
        if ratio:
            print_ratio(scratch)


if __name__ == "__main__":
    main()
