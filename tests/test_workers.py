"""Worker processes that can be killed: time limits end the worker that overran, a
worker that dies fails only its own outputs, and typesetting is safe from any thread."""

from __future__ import annotations

import ctypes
import dataclasses
import os
import signal
import threading
import time
from pathlib import Path

import pytest

import dnaoc_print.build.preload
import dnaoc_print.build.workers
from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.engine import build
from dnaoc_print.build.handouts import make_handouts
from dnaoc_print.build.jobs import run_jobs, run_work
from dnaoc_print.build.planning import handout_job
from dnaoc_print.build.work import HandoutBatch, Job, RunOptions
from dnaoc_print.build.workers import Lost, Pool
from dnaoc_print.content.loading import load_project

from conftest import default_layouts
from pdf_inspect import PdfFacts

# --- The pool itself, with small stand-ins for typesetting (run in the workers) ---


def tell_and_sleep(item: tuple[str, float]) -> int:
    """Write this worker's pid to a file, then take ``seconds``."""
    path, seconds = item
    Path(path).write_text(str(os.getpid()))
    time.sleep(seconds)
    return os.getpid()


def crash(_: object) -> None:
    ctypes.string_at(0)  # reads address 0: a segmentation fault


def _gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_a_worker_that_overruns_is_ended_and_a_new_one_does_the_rest(tmp_path: Path) -> None:
    slow, quick = (str(tmp_path / "slow"), 60.0), (str(tmp_path / "quick"), 0.0)
    started = time.monotonic()
    with Pool(tell_and_sleep, 1, time_limit=1.0) as pool:
        pool.submit(slow)
        pool.submit(quick)
        answers = dict(pool.results())
    assert time.monotonic() - started < 30
    assert answers[slow] == Lost("stopped after 1 s: the document takes too long to typeset")
    overran = int(Path(slow[0]).read_text())
    assert _gone(overran), "the worker that overran is still running"
    assert answers[quick] == int(Path(quick[0]).read_text()) != overran


def test_a_crash_or_a_kill_fails_only_its_own_work(tmp_path: Path) -> None:
    victim = (str(tmp_path / "victim"), 60.0)
    after = (str(tmp_path / "after"), 0.0)

    def kill_victim() -> None:
        pid_file = Path(victim[0])
        while not pid_file.exists() or not pid_file.read_text():
            time.sleep(0.02)
        os.kill(int(pid_file.read_text()), signal.SIGKILL)

    killer = threading.Thread(target=kill_victim)
    killer.start()
    with Pool(_dispatch, 1, time_limit=120) as pool:
        for item in [("crash", None), ("sleep", victim), ("sleep", after)]:
            pool.submit(item)
        answers = {item[0] + (item[1][0] if item[1] else ""): a for item, a in pool.results()}
    killer.join()
    crashed = "the worker process typesetting it crashed (segmentation fault)"
    assert answers["crash"] == Lost(crashed)
    killed = answers["sleep" + victim[0]]
    assert isinstance(killed, Lost) and "was killed (SIGKILL" in killed.reason
    assert answers["sleep" + after[0]] == int(Path(after[0]).read_text())


def _dispatch(item: tuple[str, object]) -> object:
    kind, argument = item
    return crash(argument) if kind == "crash" else tell_and_sleep(argument)


# --- Typesetting jobs in workers ---

# A document that takes far longer than the time limit to lay out: a table of 6,000 rows
# of sixteen words a cell, about 30 s on the project's 2-core machine, so it overruns a
# limit of 10 s however fast the machine. (With two words a cell it took 11 s, and once
# the pipeline was quicker it sometimes finished inside the limit.)
_CELL = " ".join(["alpha bravo charlie delta echo foxtrot golf hotel"] * 2)
PATHOLOGICAL_BODY = "| a | b |\n| --- | --- |\n" + f"| {_CELL} | {_CELL} |\n" * 6000


def _jobs(project_dir: Path) -> tuple[Job, Job]:
    project = load_project(project_dir)
    layouts = default_layouts(project)
    guide = project.guide("compassion")
    out = project_dir / "out"
    heavy = layouts.guide(dataclasses.replace(guide, body=PATHOLOGICAL_BODY))
    return (
        Job("guide pathological", out / "pathological.pdf", heavy),
        Job("guide compassion", out / "compassion.pdf", layouts.guide(guide)),
    )


def test_a_pathological_document_is_stopped_and_the_next_still_builds(project_dir: Path) -> None:
    pathological, fine = _jobs(project_dir)
    started = time.monotonic()
    # Long enough for the fine guide on a loaded machine (it takes about 1.5 s alone).
    limit = 10
    outcomes = run_jobs(
        [pathological, fine], RunOptions((project_dir,), time_limit=limit), workers=1
    )
    assert time.monotonic() - started < 90
    by_name = {outcome.job_name: outcome for outcome in outcomes}
    stopped = by_name["guide pathological"]
    assert stopped.status == "failed"
    assert stopped.error == f"stopped after {limit} s: the document takes too long to typeset"
    assert not pathological.target.exists()
    assert list(pathological.target.parent.glob(".*.part")) == []
    assert by_name["guide compassion"].status == "built"
    assert "Compassion" in PdfFacts.open(fine.target).text()


def test_a_worker_killed_from_outside_fails_its_document_only(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pathological, fine = _jobs(project_dir)
    given: list[int] = []
    give = dnaoc_print.build.workers._Worker.give

    def give_and_note(worker, item, time_limit):
        give(worker, item, time_limit)
        given.append(worker.process.pid)

    monkeypatch.setattr(dnaoc_print.build.workers._Worker, "give", give_and_note)

    def kill_first_worker() -> None:
        while not given:
            time.sleep(0.05)
        time.sleep(0.5)
        os.kill(given[0], signal.SIGKILL)

    killer = threading.Thread(target=kill_first_worker)
    killer.start()
    outcomes = run_jobs([pathological, fine], RunOptions((project_dir,)), workers=1)
    killer.join()
    by_name = {outcome.job_name: outcome for outcome in outcomes}
    assert by_name["guide pathological"].status == "failed"
    assert "was killed (SIGKILL" in by_name["guide pathological"].error
    assert by_name["guide compassion"].status == "built"


def test_build_and_handouts_from_a_thread(project_dir: Path, tmp_path: Path) -> None:
    """A web server calls these from its own threads: no signals, nothing in-process."""
    for path in (project_dir / "content/guides").glob("*.md"):
        if path.name != "compassion.md":
            path.unlink()
    for path in (project_dir / "content/handouts").glob("*.yaml"):
        path.unlink()
    results: dict[str, object] = {}

    def in_thread() -> None:
        try:
            results["build"] = build(project_dir, workers=1)
            results["handout"] = make_handouts(
                project_dir,
                overrides={"title": "From a thread", "stories": ("stay",)},
                output=tmp_path / "thread.pdf",
                workers=1,
            )
        except BaseException as error:  # noqa: BLE001 (shown by the assertion below)
            results["error"] = error

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join(120)
    assert "error" not in results, results.get("error")
    assert [o.status for o in results["build"].outcomes] == ["built"]
    assert [o.status for o in results["handout"].outcomes] == ["built"]
    assert "From a thread" in PdfFacts.open(tmp_path / "thread.pdf").text()


def test_a_handout_that_breaks_the_typesetter_fails_alone(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch that breaks is typeset again a handout at a time (in its worker): only
    the culprit fails. Run in this process so the typesetter can be broken."""
    import dnaoc_print.typeset.typesetting as typesetting

    project = load_project(project_dir)
    brands = Brands(project)
    handouts = project.handouts[:3]
    poison = handouts[1].title
    lay_out = typesetting.lay_out

    def breaks_on_poison(document, *args, **kwargs):
        if f">{poison}<" in document.html:
            raise RuntimeError("the typesetter broke")
        return lay_out(document, *args, **kwargs)

    monkeypatch.setattr(typesetting, "lay_out", breaks_on_poison)
    jobs = [
        handout_job(h, brands, None, project_dir / "out" / f"{h.name}.pdf").make() for h in handouts
    ]
    [batch] = [HandoutBatch(jobs[0].sheet.document, tuple(jobs))]
    outcomes = run_work(batch, RunOptions((project_dir,)))
    assert [o.status for o in outcomes] == ["built", "failed", "built"]
    assert "internal error (RuntimeError: the typesetter broke)" in outcomes[1].error


def test_a_batch_that_runs_out_of_time_is_typeset_again_a_handout_at_a_time(
    project_dir: Path,
) -> None:
    from dnaoc_print.model import Question

    project = load_project(project_dir)
    brands = Brands(project)
    first, slow, third = [
        h for h in project.handouts if (h.paper, h.orientation) == ("a4", "portrait")
    ][:3]
    slow = dataclasses.replace(slow, questions=(Question("Why? " * 200000),))
    jobs = [
        handout_job(h, brands, None, project_dir / "out" / f"{h.name}.pdf").make()
        for h in (first, slow, third)
    ]
    assert len({job.sheet.document for job in jobs}) == 1  # one batch
    # Long enough for a handout alone on a loaded machine (about 0.5 s on a quiet one).
    limit = 8
    outcomes = run_jobs(jobs, RunOptions((project_dir,), time_limit=limit), workers=1)
    by_name = {outcome.job_name: outcome for outcome in outcomes}
    assert by_name[f"handout {slow.name}"].error == (
        f"stopped after {limit} s: the document takes too long to typeset"
    )
    assert by_name[f"handout {first.name}"].status == "built"
    assert by_name[f"handout {third.name}"].status == "built"


def test_the_fork_server_freezes_what_it_preloads_so_no_worker_walks_it() -> None:
    """A worker's first collection walked some 66,000 objects it inherited (about 27 ms,
    and a copy of every memory page they sit on); frozen in the fork server, none. The
    collector is on again for the workers."""
    import subprocess
    import sys

    counted = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, sys\n"
            f"import {dnaoc_print.build.workers.FORK_SERVER}\n"
            "missing = [m for m in "
            f"{dnaoc_print.build.preload.PRELOAD!r} if m not in sys.modules]\n"
            "print(gc.get_freeze_count(), len(gc.get_objects()), gc.isenabled(), missing)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    frozen, unfrozen, enabled, missing = counted.stdout.split(maxsplit=3)
    assert int(frozen) > 20_000 and int(unfrozen) < 1_000, (frozen, unfrozen)
    assert enabled == "True" and missing.strip() == "[]"


def leave_a_temporary_file(item: tuple[str, float]) -> str:
    """Make a temporary directory as WeasyPrint does for its fonts, and never remove
    it; write where it is to ``path``, then take ``seconds``."""
    import tempfile

    path, seconds = item
    left = tempfile.mkdtemp(prefix="weasyprint-")
    Path(left, "font").write_bytes(b"\0" * 1000)
    Path(path).write_text(left)
    time.sleep(seconds)
    return left


def test_what_workers_leave_in_temporary_files_goes_when_the_pool_closes(
    tmp_path: Path,
) -> None:
    """Even a worker killed for overrunning: nothing it wrote outlives the pool."""
    quick, slow = (str(tmp_path / "quick"), 0.0), (str(tmp_path / "slow"), 60.0)
    with Pool(leave_a_temporary_file, 2, time_limit=1.5) as pool:
        # The slow one first: the quick one then runs in the other worker.
        pool.submit(slow)
        pool.submit(quick)
        answers = dict(pool.results())
        left = [Path(tmp_path / "quick").read_text(), Path(tmp_path / "slow").read_text()]
        assert answers[quick] == left[0] and isinstance(answers[slow], Lost)
        # Each in its worker's folder, in the pool's, not loose in the system's.
        pool_folder = Path(left[0]).parents[1]
        assert pool_folder.name.startswith("dnaoc-print-workers-")
        assert Path(left[1]).parents[1] == pool_folder
        # The worker that overran is gone, and its files with it; the other's stay.
        assert Path(left[0], "font").exists() and not Path(left[1]).exists()
    assert not Path(left[0]).exists() and not pool_folder.exists()


def test_a_run_of_the_command_leaves_nothing_in_the_temporary_directory(
    project_dir: Path, tmp_path: Path, temporary_folder: Path
) -> None:
    """WeasyPrint writes each worker's fonts to a temporary directory it never
    removes in a worker: every run used to leave one a worker (about 200 KB)."""
    import subprocess
    import sys

    sessions = project_dir / "sessions.csv"
    sessions.write_text(
        "Date,Venue\n" + "".join(f"2027-01-{day:02d},Room {day}\n" for day in range(1, 5)),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "dnaoc_print", "handout", "content/handouts/compassion.yaml"]
        + ["--from", str(sessions), "--jobs", "2", "-o", str(tmp_path / "out")],
        cwd=project_dir,
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary_folder)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 4
    assert list(temporary_folder.iterdir()) == []


def test_a_run_stopped_by_sigterm_stops_as_ctrl_c_does(
    project_dir: Path, tmp_path: Path, temporary_folder: Path
) -> None:
    """A CI job cancelled, or `kill`: the workers are stopped, what they were writing
    and their temporary folder removed, the PDFs finished so far kept whole."""
    import subprocess
    import sys

    sessions = project_dir / "sessions.csv"
    sessions.write_text(
        "Date,Venue\n" + "".join(f"2027-02-{1 + row % 28:02d},Room {row}\n" for row in range(300)),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    command = [sys.executable, "-m", "dnaoc_print", "handout", "content/handouts/compassion.yaml"]
    run = subprocess.Popen(
        [*command, "--from", str(sessions), "--jobs", "2", "-o", str(out)],
        cwd=project_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary_folder)},
    )
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob("*.pdf")) and time.monotonic() < deadline:
            time.sleep(0.05)
        run.send_signal(signal.SIGTERM)
        _, errors = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == 128 + signal.SIGTERM, errors
    assert "stopped (SIGTERM)" in errors
    made = sorted(out.glob("*.pdf"))
    assert 0 < len(made) < 300
    assert not [path.name for path in out.iterdir() if path.suffix != ".pdf"]
    for path in made:
        assert PdfFacts.open(path).page_count == 1, path
    assert list(temporary_folder.iterdir()) == []
