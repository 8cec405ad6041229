"""The server's typesetting, in the build's worker processes.

The server's request threads only decide and wait. The typesetting (page_images.py)
runs in the build's own worker processes (workers.py: forked from a fork server
that has imported WeasyPrint; a time limit enforced by ending the worker that
overran; a worker that crashes or is killed loses only the work it held and is
replaced). ``PreviewPool`` hands work to them from a few threads of the server's
own, one worker each, so a request thread is never the one that typesets.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from dnaoc_print.web.page_images import (
    PREVIEW_TIME_LIMIT,
    HandoutResult,
    PagesResult,
    typeset_pages,
)

# How often a worker checks that the server is still there.
SERVER_CHECK_SECONDS = 1.0


def _call(item: tuple[int, Callable[..., Any], tuple]) -> Any:
    """In a worker: one piece of the server's work (a function of this module)."""
    server, function, args = item
    _watch_server(server)
    return function(*args)


_watched: list[int] = []


def _watch_server(server: int) -> None:
    """End this worker if the server is killed while it works. (An idle worker ends by
    itself: its pipe to the server closes. A busy one would finish its document first,
    however long that takes, with no server left to enforce the time limit.)"""
    if _watched:
        return
    _watched.append(server)

    def watch() -> None:
        while True:
            time.sleep(SERVER_CHECK_SECONDS)
            try:
                os.kill(server, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="watch-server", daemon=True).start()


def _nothing() -> None:
    """Work that only makes a worker start, so the first preview does not wait."""


def _lost(function: Callable[..., Any], reason: str):
    """The result of work whose worker ended first (time limit, crash, killed)."""
    if function is typeset_pages:
        return PagesResult(error=reason, lost=True)
    return HandoutResult(error=reason, lost=True)


def _settle(future: concurrent.futures.Future, result: Any) -> None:
    """Give a future its result, unless it has one (closing races the feeder threads)."""
    with contextlib.suppress(concurrent.futures.InvalidStateError):
        future.set_result(result)


class PreviewPool:
    """The build's worker processes (``workers.Pool``), shared by every request.

    ``submit`` returns a future at once. Each of ``size`` feeder threads owns a
    pool of one worker process and runs one piece of work at a time through it, so
    several tabs are served at once, up to ``size`` documents in parallel, and a
    request thread only waits for its future. ``close`` ends every worker.
    """

    def __init__(self, size: int = 2, time_limit: float = PREVIEW_TIME_LIMIT) -> None:
        self.size = size
        self.time_limit = time_limit
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._pools: list = []
        # Futures being worked on, and their work's function (to say what was lost).
        self._running: dict[concurrent.futures.Future, Callable[..., Any]] = {}
        self._threads: list[threading.Thread] = []
        self._closed = False
        # Set when each feeder's worker has started (or could not).
        self._ready = [threading.Event() for _ in range(size)]

    def start(self, wait: float = 0.0) -> None:
        """Start the workers now (else on first use), so the first preview does not wait
        for them; with ``wait``, wait up to that many seconds until they are ready."""
        with self._lock:
            if self._threads or self._closed:
                return
            for number in range(self.size):
                thread = threading.Thread(
                    target=self._feed,
                    args=(self._ready[number],),
                    name=f"preview-feeder-{number}",
                    daemon=True,
                )
                self._threads.append(thread)
                thread.start()
        deadline = time.monotonic() + wait
        for ready in self._ready if wait else ():
            ready.wait(max(0.0, deadline - time.monotonic()))

    def submit(self, function: Callable[..., Any], *args: Any) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        if self._closed:
            future.set_result(_lost(function, "the server is stopping"))
            return future
        self.start()
        self._queue.put((future, function, args))
        return future

    def _feed(self, ready: threading.Event) -> None:
        from dnaoc_print.build.workers import Lost, Pool

        pool = Pool(_call, 1, self.time_limit)
        with self._lock:
            if self._closed:
                ready.set()
                return
            self._pools.append(pool)
        try:
            # A worker that cannot start is reported by the first real work.
            with contextlib.suppress(Exception):
                pool.submit((os.getpid(), _nothing, ()))
                for _ in pool.results():
                    pass
            ready.set()
            while not self._closed:
                work = self._queue.get()
                if work is None:
                    return
                future, function, args = work
                if not future.set_running_or_notify_cancel():
                    continue
                with self._lock:
                    self._running[future] = function
                try:
                    pool.submit((os.getpid(), function, args))
                    answers = [answer for _, answer in pool.results()]
                    answer = answers[0] if answers else _lost(function, "the server is stopping")
                    if isinstance(answer, Lost):
                        answer = _lost(function, answer.reason)
                except Exception as error:  # noqa: BLE001 (a worker that cannot start)
                    answer = _lost(function, str(error))
                with self._lock:
                    self._running.pop(future, None)
                _settle(future, answer)
        except Exception:  # noqa: BLE001
            # Only when closing: the pool was closed under this thread.
            if not self._closed:
                raise
        finally:
            ready.set()
            pool.close()

    def close(self) -> None:
        """End every worker, even one in the middle of a document; nothing waits on them."""
        with self._lock:
            self._closed = True
            pools, self._pools = self._pools, []
            running, self._running = self._running, {}
        for _ in self._threads:
            self._queue.put(None)
        for pool in pools:
            pool.close()
        for future, function in running.items():
            _settle(future, _lost(function, "the server is stopping"))
        while True:
            try:
                work = self._queue.get_nowait()
            except queue.Empty:
                break
            if work is not None:
                _settle(work[0], _lost(work[1], "the server is stopping"))
