"""Typesetting jobs and the worker processes that run them.

A job carries everything a worker needs (its HTML, where it goes), so it can be
sent to another process. Workers typeset in parallel, each under a time limit, and
one failing job never stops the others.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.errors import BuildError
from dnaoc_print.output import write_atomic
from dnaoc_print.templating import RenderedDocument

# One document that takes longer than this is stopped, so a batch never hangs.
DEFAULT_TIME_LIMIT = 120
# Spare height below this is left as it is rather than laid out again.
MIN_SPARE_MM = 4.0


@dataclass(frozen=True)
class Job:
    """One PDF to make: what it is called, where it goes, and its HTML.

    A one-page job (a handout) has its HTML at each fit step, largest first; the
    first that fits on one page is written.
    """

    name: str
    target: Path
    documents: tuple[RenderedDocument, ...]
    one_page: bool = False
    # What to suggest when a one-page job does not fit even at the smallest step.
    overflow_advice: str = ""


@dataclass
class Outcome:
    job_name: str
    target: Path
    status: str = "built"  # built, up to date, or failed
    page_count: int = 0
    size: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    pdf_sha256: str = ""


@dataclass(frozen=True)
class RunOptions:
    allowed_roots: tuple[Path, ...]
    strict: bool = False
    time_limit: float = DEFAULT_TIME_LIMIT


class _TimeLimit(BaseException):
    """Raised in a worker when its document runs out of time (BaseException, so no
    library code on the way can swallow it)."""


def _on_alarm(signum, frame):
    raise _TimeLimit()


def run_job(job: Job, options: RunOptions) -> Outcome:
    """Typeset and write one job; every failure becomes the outcome's error."""
    outcome = Outcome(job.name, job.target)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, options.time_limit)
    try:
        roots = list(options.allowed_roots)
        result = typeset_one_page(job, roots) if job.one_page else typeset_job(job, roots)
        if options.strict and result.warnings:
            raise BuildError(
                "WeasyPrint warned (and --strict makes warnings errors): "
                + "; ".join(result.warnings)
            )
        write_atomic(job.target, result.pdf)
    except _TimeLimit:
        outcome.status = "failed"
        outcome.error = (
            f"stopped after {options.time_limit:g} s: the document takes too long to typeset"
        )
        return outcome
    except BuildError as error:
        outcome.status, outcome.error = "failed", str(error)
        return outcome
    except OSError as error:
        outcome.status = "failed"
        outcome.error = f"cannot write {job.target}: {error.strerror or error}"
        return outcome
    except Exception as error:  # noqa: BLE001 (one broken document must not stop a batch)
        outcome.status = "failed"
        outcome.error = f"internal error ({type(error).__name__}: {error})"
        if os.environ.get("DNAOC_DEBUG"):
            outcome.error += "\n" + traceback.format_exc()
        return outcome
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    outcome.page_count = result.page_count
    outcome.size = len(result.pdf)
    outcome.warnings = result.warnings
    outcome.pdf_sha256 = hashlib.sha256(result.pdf).hexdigest()
    return outcome


def typeset_job(job: Job, allowed_roots: list[Path]):
    # Imported here: weasyprint takes a second to import, and `check` never needs it.
    from dnaoc_print.typesetting import typeset

    return typeset(job.documents[0], job.name, allowed_roots)


def typeset_one_page(job: Job, allowed_roots: list[Path]):
    """The first fit step that fits on one page, its spare height given to room to write."""
    from dnaoc_print.typesetting import lay_out, measure_height, write

    for document in job.documents:
        layout = lay_out(document, job.name, allowed_roots)
        if layout.page_count == 1:
            break
    else:
        needed, available = measure_height(job.documents[-1], job.name, allowed_roots)
        raise BuildError(
            f"does not fit on one page: even at the smallest allowed size (text 10 pt, "
            f"QR codes 20 mm) it needs {needed:.0f} mm of the {available:.0f} mm the page "
            f"has, {needed - available:.0f} mm too much. To fit: {job.overflow_advice}"
        )
    if layout.spare_mm >= MIN_SPARE_MM:
        # Keep a millimetre in hand against rounding.
        spare = f":root {{ --spare-space: {layout.spare_mm - 1:.1f}mm; }}"
        filled = lay_out(document, job.name, allowed_roots, spare)
        if filled.page_count == 1:
            layout = filled
    return write(layout)


def _warm_worker() -> None:
    # Import WeasyPrint once per worker, before the first job arrives.
    import dnaoc_print.typesetting  # noqa: F401

    # Ctrl-C is handled by the parent, which stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_context():
    """Workers come from a fork server that has imported WeasyPrint but never used it.

    Forking the calling process itself is not safe: it may hold threads and text
    library state (Pango, fontconfig) that a child cannot use. A fork server is a
    clean process, and forking from it is still far quicker than starting Python.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["dnaoc_print.typesetting"])
        return context
    return multiprocessing.get_context("spawn")


def run_jobs(
    jobs: Iterable[Job],
    options: RunOptions,
    workers: int = 1,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Run jobs, in ``workers`` processes when there is more than one job to share."""
    jobs = list(jobs)
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            done(run_job(job, options))
        return outcomes
    context = _worker_context()
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)), mp_context=context, initializer=_warm_worker
    ) as pool:
        futures = [pool.submit(run_job, job, options) for job in jobs]
        try:
            for future in concurrent.futures.as_completed(futures):
                done(future.result())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return outcomes
