"""Typesetting for the web server: in worker processes, with each page as a PNG.

The server's request threads only decide and wait; the typesetting runs in a small
pool of worker processes, forked from a fork server that has imported WeasyPrint
(the same arrangement as the build's workers, see jobs.py). A worker runs one
piece of work in its own main thread, so its time limit (SIGALRM) is the worker's,
never the server's.

A handout goes through exactly the CLI's path (``typeset_handouts``: the fit steps,
the notes filled to the foot, the split), so the PDF offered for download is the
byte-for-byte PDF ``dnaoc-print handout`` writes from the same spec.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import multiprocessing
import os
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.errors import BuildError
from dnaoc_print.jobs import HandoutBatch, Job

# A preview that takes longer than this is stopped: the server answers with an error.
PREVIEW_TIME_LIMIT = 60
# Pixels a PDF point (72 a inch): 1.5 shows an A4 page 893 px wide, sharp on screen.
PAGE_SCALE = 1.5
# How often a worker checks that the server that started it is still there.
WATCH_SERVER_SECONDS = 2


@dataclass
class HandoutResult:
    """A typeset handout: its PDF and page image, or why it has none."""

    pdf: bytes = b""
    image: bytes = b""
    # Set when it does not fit on one page even at the smallest fit step.
    overflow_mm: float | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class PagesResult:
    """A document's pages as PNG images, or why it has none."""

    images: list[bytes] = field(default_factory=list)
    error: str | None = None


class _OutOfTime(BaseException):
    """Raised in a worker when its work runs out of time."""


def _on_alarm(signum, frame):
    raise _OutOfTime()


@contextlib.contextmanager
def _time_limit(seconds: float):
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _failure_text(error: BaseException) -> str:
    if isinstance(error, _OutOfTime):
        return f"stopped after {PREVIEW_TIME_LIMIT} s: the document takes too long to typeset"
    if isinstance(error, BuildError):
        return str(error)
    text = f"internal error ({type(error).__name__}: {error})"
    if os.environ.get("DNAOC_DEBUG"):
        text += "\n" + traceback.format_exc()
    return text


def render_pages(pdf: bytes, scale: float = PAGE_SCALE) -> list[bytes]:
    """Every page of a PDF as a PNG image."""
    import io

    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            # RGB order straight from PDFium, and light compression: half the time of
            # Pillow's default, for files a few per cent larger.
            bitmap = page.render(scale=scale, rev_byteorder=True)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG", compress_level=1)
            images.append(buffer.getvalue())
            page.close()
        return images
    finally:
        document.close()


def typeset_handout(job: Job, allowed_roots: tuple[Path, ...]) -> HandoutResult:
    """In a worker: one handout, as the CLI typesets it, and its page as an image."""
    from dnaoc_print.jobs import typeset_handouts
    from dnaoc_print.templating import with_sheets
    from dnaoc_print.typesetting import measure_height

    roots = list(allowed_roots)
    try:
        with _time_limit(PREVIEW_TIME_LIMIT):
            [pdf], warnings = typeset_handouts(HandoutBatch(job.sheet.document, (job,)), roots)
            if isinstance(pdf, BuildError):
                # The same measure as the CLI's error: the smallest fit step on a tall page.
                smallest = dataclasses.replace(
                    job.sheet.document,
                    html=with_sheets(job.sheet.document.html, [job.sheet.fits[-1]]),
                )
                needed, available = measure_height(smallest, job.name, roots)
                return HandoutResult(error=str(pdf), overflow_mm=needed - available)
            return HandoutResult(pdf=pdf, image=render_pages(pdf)[0], warnings=warnings)
    except (_OutOfTime, Exception) as error:  # noqa: BLE001 (reported on the page)
        return HandoutResult(error=_failure_text(error))


def typeset_pages(job: Job, allowed_roots: tuple[Path, ...]) -> PagesResult:
    """In a worker: a guide (or any whole document) as page images."""
    from dnaoc_print.typesetting import typeset

    try:
        with _time_limit(PREVIEW_TIME_LIMIT):
            result = typeset(job.document, job.name, list(allowed_roots))
            return PagesResult(images=render_pages(result.pdf))
    except (_OutOfTime, Exception) as error:  # noqa: BLE001 (reported on the page)
        return PagesResult(error=_failure_text(error))


def _warm_worker(server_pid: int | None = None) -> None:
    import dnaoc_print.splitting  # noqa: F401
    import dnaoc_print.typesetting  # noqa: F401

    # Ctrl-C is for the server, which shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if server_pid is not None:
        threading.Thread(target=_end_with, args=(server_pid,), daemon=True).start()


def _end_with(server_pid: int) -> None:
    """End this worker when the server is gone, however it ended (even killed, when it
    could not stop its workers): a worker waiting for work would otherwise wait forever."""
    while True:
        time.sleep(WATCH_SERVER_SECONDS)
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            os._exit(0)


def _noop() -> None:
    pass


class WorkerPool:
    """Worker processes shared by every request; started on first use.

    Several tabs may ask at once: each request waits for its own future, and the
    pool runs at most ``workers`` documents at a time.
    """

    def __init__(self, workers: int = 2) -> None:
        self.workers = workers
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                if "forkserver" in multiprocessing.get_all_start_methods():
                    context = multiprocessing.get_context("forkserver")
                    context.set_forkserver_preload(
                        ["dnaoc_print.typesetting", "dnaoc_print.splitting"]
                    )
                else:
                    context = multiprocessing.get_context("spawn")
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=context,
                    initializer=_warm_worker,
                    initargs=(os.getpid(),),
                )
            return self._pool

    def submit(self, function, *args) -> concurrent.futures.Future:
        try:
            return self._executor().submit(function, *args)
        except concurrent.futures.process.BrokenProcessPool:
            # A worker died (killed from outside, out of memory): start afresh.
            with self._lock:
                self._pool = None
            return self._executor().submit(function, *args)

    def warm_up(self) -> None:
        """Start the workers now, so the first preview does not wait for them."""
        pool = self._executor()
        for _ in range(self.workers):
            pool.submit(_noop)

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
