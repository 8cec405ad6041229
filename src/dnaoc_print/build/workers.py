"""Worker processes that can be stopped: a small pool where each piece of work has a
time limit, enforced by ending the process that overran.

Nothing here uses signals in the calling process, so a pool can be run from any
thread (a web server's, say). A worker that dies, whether it overran, crashed or
was killed from outside, loses only the work it held: the caller is told what
happened, and a fresh worker takes its place for the rest.

Workers come from a fork server that has imported WeasyPrint but never typeset with
it (it parses one stylesheet, in Python alone: no text library is touched), and has
frozen what it imported, so that no worker's collections walk it (fork_server.py).
Forking the calling process itself is not safe: it may hold threads and text
library state (Pango, fontconfig) that a child cannot use. A fork server is a
clean process, and forking from it is still far quicker than starting Python.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.connection
import shutil
import signal
import tempfile
import time
import traceback
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dnaoc_print.build.preload import import_preloaded
from dnaoc_print.errors import BuildError

# The module the fork server imports: preload.PRELOAD, then its heap frozen (see
# fork_server).
FORK_SERVER = "dnaoc_print.build.fork_server"
# How long a worker that was asked to stop may take before it is killed.
STOP_GRACE = 2.0
_READY = "ready"
# Python's cycle collector looks at every object a process holds each time enough
# new ones have been made: a worker's fonts, caches and stylesheets many times over
# in every batch, though they live as long as the worker, and a typesetting run makes
# hundreds of thousands of short-lived objects. So a worker collects after each piece
# of work and sets aside (freezes) what is left, which is what lasts; and between
# pieces it collects only after many more new objects (the first of these numbers;
# Python's default is 700). About a tenth less CPU; memory stays flat (see
# benchmarks/run.py, "memory growth").
COLLECT_AFTER_OBJECTS = (50_000, 20, 100)


@dataclass(frozen=True)
class Lost:
    """Work whose worker process ended before it answered, and why, in words."""

    reason: str


def _context():
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([FORK_SERVER])
        return context
    return multiprocessing.get_context("spawn")


def _serve(connection, function: Callable[[Any], Any], scratch: str) -> None:
    """A worker's life: warm up, then run work items until told to stop."""
    # Ctrl-C is the parent's to handle: it stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tempfile.tempdir = scratch  # its own, removed when it ends (see Pool)
    import_preloaded()  # already imported where the worker was forked from the fork server
    collect_as_a_worker()
    connection.send(_READY)
    while True:
        try:
            item = connection.recv()
        except EOFError:
            return
        if item is None:
            return
        try:
            answer = (True, function(item))
        except Exception as error:  # noqa: BLE001 (reported to the parent, not lost)
            traceback.print_exc()
            answer = (False, f"{type(error).__name__}: {error}")
        try:
            connection.send(answer)
        except OSError:  # the parent is gone (killed): nobody waits for the answer
            return
        del item, answer
        collect_as_a_worker()


def collect_as_a_worker() -> None:
    """Collect this process's garbage, then set aside what is left from later
    collections, and collect again only after many new objects (see
    COLLECT_AFTER_OBJECTS). A worker does so between pieces of work; the benchmarks
    do so to measure as a worker runs."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*COLLECT_AFTER_OBJECTS)


def death_reason(exitcode: int | None) -> str:
    """What a worker's exit code says happened to it, for a user."""
    if exitcode == -signal.SIGKILL:
        return (
            "the worker process typesetting it was killed (SIGKILL: by the system when "
            "memory runs out, or by a user)"
        )
    if exitcode == -signal.SIGSEGV:
        return "the worker process typesetting it crashed (segmentation fault)"
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the worker process typesetting it was stopped by {name}"
    return f"the worker process typesetting it exited unexpectedly (status {exitcode})"


class _Worker:
    def __init__(self, context, function: Callable[[Any], Any], folder: Path) -> None:
        self.connection, child = context.Pipe()
        self.scratch = Path(tempfile.mkdtemp(prefix="worker-", dir=folder))
        self.process = context.Process(
            target=_serve, args=(child, function, str(self.scratch)), daemon=True
        )
        self.process.start()
        child.close()
        self.ready = False
        self.item: Any = None
        self.busy = False
        self.deadline = 0.0

    def give(self, item: Any, time_limit: float) -> None:
        self.item, self.busy = item, True
        self.deadline = time.monotonic() + time_limit
        self.connection.send(item)

    def end(self, grace: float = 0.0) -> None:
        """Stop the process: politely if it is idle and ``grace`` allows, else kill it."""
        if grace and self.process.is_alive():
            with contextlib.suppress(OSError):
                self.connection.send(None)
            self.process.join(grace)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()
        self.process.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


class Pool:
    """Run ``function`` on work items in up to ``size`` worker processes.

    ``results()`` yields ``(item, answer)`` as each item finishes, where the answer
    is what ``function`` returned, or ``Lost`` if its worker ended first. Items may
    be submitted while results are being read. Leaving the ``with`` block ends
    every worker.

    Each worker keeps its temporary files in a folder of its own, inside the pool's,
    removed when the worker ends, and the pool's when it closes (or, should its
    thread be cut off, when the process exits): WeasyPrint writes a worker's fonts
    (200 KB) to a folder it removes only when they are freed, and a worker's never
    are. A closed pool runs nothing more.
    """

    def __init__(self, function: Callable[[Any], Any], size: int, time_limit: float) -> None:
        self.function = function
        self.size = max(1, size)
        self.time_limit = time_limit
        self._context = _context()
        self._pending: list[Any] = []
        self._workers: list[_Worker] = []
        self._closed = False
        self._folder = Path(tempfile.mkdtemp(prefix="dnaoc-print-workers-"))
        self._remove_folder = weakref.finalize(self, shutil.rmtree, self._folder, True)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, item: Any) -> None:
        self._pending.append(item)

    def close(self) -> None:
        self._closed = True
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.end(grace=0.0 if worker.busy else STOP_GRACE)
        self._remove_folder()

    def results(self) -> Iterator[tuple[Any, Any]]:
        while not self._closed and (self._pending or any(w.busy for w in self._workers)):
            self._hire()
            for worker in self._idle():
                if not self._pending:
                    break
                item = self._pending.pop(0)
                try:
                    worker.give(item, self.time_limit)
                except OSError:
                    # It died while idle: the item waits for the worker that replaces it.
                    worker.item, worker.busy = None, False
                    self._pending.insert(0, item)
            yield from self._collect()

    def _hire(self) -> None:
        busy = sum(worker.busy for worker in self._workers)
        wanted = min(self.size, busy + len(self._pending))
        while len(self._workers) < wanted and not self._closed:
            self._workers.append(_Worker(self._context, self.function, self._folder))

    def _idle(self) -> list[_Worker]:
        return [worker for worker in self._workers if worker.ready and not worker.busy]

    def _collect(self) -> Iterator[tuple[Any, Any]]:
        """Wait for the next thing to happen (an answer, a death, a deadline)."""
        busy = [worker for worker in self._workers if worker.busy]
        deadlines = [worker.deadline for worker in busy]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        waitables = [w.connection for w in self._workers] + [
            w.process.sentinel for w in self._workers
        ]
        multiprocessing.connection.wait(waitables, timeout)
        for worker in list(self._workers):
            answer = self._answer(worker)
            if answer is not None:
                yield answer

    def _answer(self, worker: _Worker) -> tuple[Any, Any] | None:
        """What this worker has to say now, if anything; a worker that died or
        overran is replaced (by the next ``_hire``)."""
        try:
            if worker.connection.poll():
                message = worker.connection.recv()
                if not worker.ready:
                    worker.ready = True
                    return None
                item, worker.item, worker.busy = worker.item, None, False
                ok, value = message
                return item, value if ok else Lost(f"internal error ({value.strip()})")
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive():
            self._workers.remove(worker)
            worker.process.join()
            reason = death_reason(worker.process.exitcode)
            held, busy = worker.item, worker.busy
            worker.end()
            if not busy:
                if not worker.ready:
                    raise BuildError(
                        f"a worker process could not start: {reason}. If you call "
                        "dnaoc_print from a script of your own, put the call under "
                        "'if __name__ == \"__main__\":' (workers import the script again)"
                    )
                return None
            return held, Lost(reason)
        if worker.busy and time.monotonic() >= worker.deadline:
            self._workers.remove(worker)
            held = worker.item
            worker.end()
            return held, Lost(
                f"stopped after {self.time_limit:g} s: the document takes too long to typeset"
            )
        return None
