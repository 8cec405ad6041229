"""`serve` typesets in the build's worker processes (workers.py): a time limit that ends
the worker, recovery from a worker killed from outside, and no worker left behind
when the server stops or is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dnaoc_print.web.preview import Workspace
from dnaoc_print.web.preview_pool import PreviewPool

from conftest import copy_project

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def test_work_that_overruns_ends_its_worker_and_the_pool_goes_on() -> None:
    pool = PreviewPool(1, time_limit=0.5)
    try:
        first = pool.submit(os.getpid).result(timeout=60)
        overran = pool.submit(time.sleep, 30).result(timeout=60)
        assert overran.lost and overran.error.startswith("stopped after 0.5 s")
        second = pool.submit(os.getpid).result(timeout=60)
        assert isinstance(first, int) and isinstance(second, int) and second != first
        assert not _alive(first)
    finally:
        pool.close()


def test_a_worker_killed_from_outside_fails_only_its_own_work() -> None:
    pool = PreviewPool(1)
    try:
        worker = pool.submit(os.getpid).result(timeout=60)
        sleeping = pool.submit(time.sleep, 30)
        queued = pool.submit(os.getpid)
        time.sleep(0.5)  # the sleep has reached the worker
        os.kill(worker, signal.SIGKILL)
        lost = sleeping.result(timeout=60)
        assert lost.lost and "killed (SIGKILL" in lost.error
        replacement = queued.result(timeout=60)
        assert isinstance(replacement, int) and replacement != worker
    finally:
        pool.close()


@needs_proc
def test_a_preview_lost_with_its_worker_is_made_again_when_asked_again(tmp_path: Path) -> None:
    import concurrent.futures

    workspace = Workspace(copy_project(tmp_path / "project"), workers=1)
    try:
        worker = workspace.pool.submit(os.getpid).result(timeout=60)
        loaded = workspace.loaded()
        with concurrent.futures.ThreadPoolExecutor(1) as request:
            asked = request.submit(workspace.document_pages, loaded, "guide", "compassion")
            # Killed once it is typesetting (a guide takes seconds of CPU).
            started = _cpu_seconds(worker)
            while _cpu_seconds(worker) < started + 0.2 and not asked.done():
                time.sleep(0.02)
            os.kill(worker, signal.SIGKILL)
            lost = asked.result(timeout=60)
        assert "killed (SIGKILL" in lost.error and not lost.images
        again = workspace.document_pages(loaded, "guide", "compassion")
        assert again.error is None and again.images[0].startswith(b"\x89PNG")
    finally:
        workspace.close()


@needs_proc
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["stopped", "killed"])
def test_no_worker_outlives_the_server(
    tmp_path: Path, temporary_folder: Path, stop: signal.Signals
) -> None:
    root = copy_project(tmp_path / "project")
    server = subprocess.Popen(
        [sys.executable, "-m", "dnaoc_print", "serve", "--port", "0", "-C", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary_folder)},
    )
    try:
        assert server.stdout.readline().startswith("Serving on ")
        # The server starts two workers at once, under a fork server of its own.
        deadline = time.monotonic() + 60
        while len(processes := _descendants(server.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(processes) >= 3, processes
        # The workers' temporary files (WeasyPrint's fonts) go in a folder of the pool's.
        # (Beside multiprocessing's folder for the fork server's socket, "pymp-".)
        folders = [
            path.name for path in temporary_folder.iterdir() if not path.name.startswith("pymp-")
        ]
        assert folders and all(name.startswith("dnaoc-print-workers-") for name in folders)
        server.send_signal(stop)
        server.wait(timeout=30)
        deadline = time.monotonic() + 15
        while (left := [pid for pid in processes if _alive(pid)]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not left, f"still running after the server ended: {left}"
        if stop == signal.SIGTERM:  # stopped, it removes them; killed, it cannot
            assert list(temporary_folder.iterdir()) == []
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        server.stdout.close()


@needs_proc
def test_a_busy_worker_ends_when_the_server_is_killed(temporary_folder: Path) -> None:
    """Killed outright, the server cannot end a worker in the middle of a document: the
    worker notices and ends itself, rather than finishing a document nobody waits for."""
    script = (
        "import os, time\n"
        "from dnaoc_print.web.preview_pool import PreviewPool\n"
        "pool = PreviewPool(1)\n"
        "print(pool.submit(os.getpid).result(), flush=True)\n"
        "pool.submit(time.sleep, 120)\n"
        "time.sleep(120)\n"
    )
    # Killed, it cannot remove its workers' folder: in a TMPDIR of the test's own.
    server = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary_folder)},
    )
    try:
        worker = int(server.stdout.readline())
        time.sleep(0.5)  # the sleep has reached the worker
        assert _alive(worker)
        server.kill()
        server.wait()
        deadline = time.monotonic() + 15
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(worker)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        server.stdout.close()


def _descendants(pid: int) -> list[int]:
    """Every process started by ``pid``, and by them, and so on."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, its_parent in parents.items() if its_parent == parent]
        found += children
        frontier += children
    return found


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _alive(pid: int) -> bool:
    """Running, that is: a process that has ended but not been reaped is not."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")
