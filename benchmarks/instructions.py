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


def instructions(scratch: Path, extra: int) -> tuple[int, int]:
    """Instructions of one run of TYPESET, and how many handouts its last batch had."""
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": "0",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
        + [sys.executable, "-c", TYPESET, str(scratch), str(extra)],
        capture_output=True,
        text=True,
        env=env,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    measured = re.search(r"^measured: (\d+)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or found is None or measured is None:
        raise SystemExit(f"the run under valgrind failed:\n{done.stdout}{done.stderr[-2000:]}")
    return int(found[1].replace(",", "")), int(measured[1])


def main() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: apt install valgrind")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import run as bench

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


if __name__ == "__main__":
    main()
