"""Typesetting jobs and the worker processes that run them.

A job carries everything a worker needs (its HTML, where it goes), so it can be
sent to another process. Workers typeset in parallel, each under a time limit (see
workers.py: a worker that overruns or dies fails only the work it held), and one
failing job never stops the others.

Handouts are typeset in batches: every handout with the same document (brand,
paper, orientation) shares one WeasyPrint document, a page each, and the pages are
split into one PDF per handout afterwards (see splitting.py). Most of WeasyPrint's
cost is per document, so this is what makes a batch of hundreds quick.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import math
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dnaoc_print.atomic import write_atomic
from dnaoc_print.build.work import HandoutBatch, Job, Outcome, RunOptions
from dnaoc_print.errors import BuildError

if TYPE_CHECKING:
    from dnaoc_print.render.documents import RenderedDocument

# Handouts a batch document holds at most: enough to share the cost of a document,
# few enough that the workers share the work evenly and memory stays flat.
MAX_BATCH = 25
# A run's handouts are split into this many batches (of at most MAX_BATCH), so up to
# this many workers share a small run.
BATCH_SHARES = 4


def run_job(job: Job, options: RunOptions) -> Outcome:
    """Typeset and write one guide; every failure becomes the outcome's error."""
    outcome = Outcome(job.name, job.target)
    if job.produce is not None:
        with _failures_recorded([outcome], options):
            data, count = job.produce()
            _write(outcome, data, count, [])
        return outcome
    with _failures_recorded([outcome], options):
        from dnaoc_print.content.fonts import foreign_font_error
        from dnaoc_print.pdf.splitting import complete_structure
        from dnaoc_print.typeset.typesetting import typeset

        problems = job.document.address_problems
        if missing := [str(problem) for problem in problems if problem.fatal]:
            raise BuildError("\n".join(missing))
        if job.grow_to_foot:
            result = _typeset_grown(job, list(options.allowed_roots))
        else:
            result = typeset(job.document, job.name, list(options.allowed_roots))
        pdf = complete_structure(result, job.document.html)
        if foreign := foreign_font_error(pdf, list(options.allowed_roots)):
            raise BuildError(foreign)
        warnings = [*(str(problem) for problem in problems), *result.warnings]
        _check_strict(warnings, options)
        _write(outcome, pdf, result.page_count, warnings, job.finish)
    return outcome


def _typeset_grown(job: Job, allowed_roots: list[Path]):
    """Lay out, grow the box ``job.grow_to_foot`` names on the last page down to its
    foot (nothing comes after it, so nothing else moves), and write."""
    from dnaoc_print.typeset.fitting import KEEP_MM
    from dnaoc_print.typeset.typesetting import lay_out, write

    layout = lay_out(job.document, job.name, allowed_roots)
    layout.extend_to_foot(layout.page_count - 1, None, job.grow_to_foot, KEEP_MM)
    return write(layout)


def run_batch(batch: HandoutBatch, options: RunOptions) -> list[Outcome]:
    """Typeset a batch of handouts and write each one's PDF; one outcome a handout.

    If the batch as a whole breaks unexpectedly, one handout may be to blame: each
    handout not yet written is then typeset on its own, so only that one fails. (A
    clear error, such as a refused file, is the same for every handout and is
    reported at once.) A batch that runs out of time, or whose worker dies, is split
    the same way by ``run_jobs``.
    """
    from dnaoc_print.build.handout_typesetting import typeset_handouts

    outcomes = [Outcome(job.name, job.target) for job in batch.jobs]
    with _failures_recorded(outcomes, options) as failure:
        pdfs, warnings = typeset_handouts(batch, list(options.allowed_roots))
        _check_strict(warnings, options)
        for job, outcome, pdf in zip(batch.jobs, outcomes, pdfs, strict=True):
            problems = job.sheet.address_problems
            own_warnings = [*(str(p) for p in problems if not p.fatal), *warnings]
            if missing := [str(p) for p in problems if p.fatal]:
                pdf = BuildError("\n".join(missing))
            elif options.strict and own_warnings:
                pdf = BuildError(_strict_error(own_warnings))
            if isinstance(pdf, BuildError):
                outcome.status, outcome.error = "failed", str(pdf)
                continue
            try:
                _write(outcome, pdf, 1, own_warnings, job.finish)
            except OSError as error:
                outcome.status, outcome.error = "failed", _cannot_write(outcome.target, error)
            except BuildError as error:  # from job.finish: this handout alone fails
                outcome.status, outcome.error = "failed", str(error)
    if failure.unexpected and len(batch.jobs) > 1:
        for index, (job, outcome) in enumerate(zip(batch.jobs, outcomes, strict=True)):
            if not outcome.pdf_sha256:
                [outcomes[index]] = run_batch(HandoutBatch(batch.document, (job,)), options)
    return outcomes


def _write(
    outcome: Outcome,
    pdf: bytes,
    page_count: int,
    warnings: list[str],
    finish: Callable[[bytes], tuple[bytes, int]] | None = None,
) -> None:
    if finish is not None:
        pdf, page_count = finish(pdf)
    write_atomic(outcome.target, pdf)
    outcome.page_count = page_count
    outcome.size = len(pdf)
    outcome.warnings = list(warnings)
    outcome.pdf_sha256 = hashlib.sha256(pdf).hexdigest()


def _check_strict(warnings: list[str], options: RunOptions) -> None:
    if options.strict and warnings:
        raise BuildError(_strict_error(warnings))


def _strict_error(warnings: list[str]) -> str:
    return "warnings (and --strict makes them errors): " + "; ".join(warnings)


def _cannot_write(target: Path, error: OSError) -> str:
    return f"cannot write {target}: {error.strerror or error}"


@dataclass
class _Failure:
    # An exception no check of ours raised.
    unexpected: bool = False


@contextlib.contextmanager
def _failures_recorded(outcomes: list[Outcome], options: RunOptions):
    """Any failure becomes the error of every outcome not already settled, and
    nothing is raised. (The time limit is the parent's: it ends the worker.)"""
    error_text = None
    failure = _Failure()
    try:
        yield failure
    except BuildError as error:
        error_text = str(error)
    except OSError as error:
        error_text = _cannot_write(outcomes[0].target, error)
    except Exception as error:  # noqa: BLE001 (one broken document must not stop a batch)
        failure.unexpected = True
        error_text = f"internal error ({type(error).__name__}: {error})"
        if options.debug:
            error_text += "\n" + traceback.format_exc()
    if error_text is not None:
        for outcome in outcomes:
            if outcome.status != "failed" and not outcome.pdf_sha256:
                outcome.status, outcome.error = "failed", error_text


def batches(jobs: list[Job], workers: int | None = None) -> list[Job | HandoutBatch]:
    """Guides as they are; handouts in batches of the same document, small enough
    that several workers can share a run.

    A handout's PDF keeps the fonts of the batch it was typeset in, so batches are
    made from the handouts alone, never from the number of workers (``workers`` is
    accepted and ignored): the same handouts give the same bytes, serial or parallel.
    """
    work: list[Job | HandoutBatch] = [job for job in jobs if job.sheet is None]
    groups: dict[RenderedDocument, list[Job]] = {}
    for job in jobs:
        if job.sheet is not None:
            groups.setdefault(job.sheet.document, []).append(job)
    for document, group in groups.items():
        size = max(1, min(MAX_BATCH, math.ceil(len(group) / BATCH_SHARES)))
        for start in range(0, len(group), size):
            work.append(HandoutBatch(document, tuple(group[start : start + size])))
    return work


def run_work(work: Job | HandoutBatch, options: RunOptions) -> list[Outcome]:
    """Typeset one piece of work (in a worker process) and write its PDFs."""
    from dnaoc_print.typeset.typesetting import FONT_SUBSET_EPOCH, source_date_epoch

    # Set from the options, whatever this process inherited.
    with source_date_epoch(options.source_date_epoch or FONT_SUBSET_EPOCH):
        if isinstance(work, HandoutBatch):
            return run_batch(work, options)
        return [run_job(work, options)]


def run_jobs(jobs: Iterable[Job], options: RunOptions, workers: int = 1) -> list[Outcome]:
    """Every outcome of ``jobs``, once all are done (see outcomes_of)."""
    return list(outcomes_of(jobs, options, workers))


def outcomes_of(jobs: Iterable[Job], options: RunOptions, workers: int = 1) -> Iterator[Outcome]:
    """Run jobs in ``workers`` worker processes (at least one: nothing is typeset in
    the calling process, so this is safe from any thread); yield each outcome as its
    worker finishes.

    Each piece of work has ``options.time_limit`` seconds; a worker that overruns
    is ended. A worker that ends before it answers fails only the outputs it held,
    saying why; a batch of handouts lost that way is typeset again a handout at a
    time, so only the culprit fails.
    """
    from dnaoc_print.build.workers import Lost, Pool

    work = batches(list(jobs), workers)
    # What has no answer yet, by identity: a run stopped part way (Ctrl-C, a signal)
    # ends the workers holding it, and their temporary files are removed.
    unanswered = {id(item): item for item in work}
    try:
        with Pool(
            functools.partial(run_work, options=options), workers, options.time_limit
        ) as pool:
            for item in work:
                pool.submit(item)
            for item, answer in pool.results():
                del unanswered[id(item)]
                if isinstance(answer, Lost):
                    _remove_partial_files(item)
                    if isinstance(item, HandoutBatch) and len(item.jobs) > 1:
                        for job in item.jobs:
                            retry = HandoutBatch(item.document, (job,))
                            unanswered[id(retry)] = retry
                            pool.submit(retry)
                        continue
                    answer = [
                        Outcome(job.name, job.target, "failed", error=answer.reason)
                        for job in _jobs_of(item)
                    ]
                yield from answer
    finally:
        for item in unanswered.values():
            _remove_partial_files(item)


def _jobs_of(work: Job | HandoutBatch) -> tuple[Job, ...]:
    return work.jobs if isinstance(work, HandoutBatch) else (work,)


def _remove_partial_files(work: Job | HandoutBatch) -> None:
    """A worker ended while writing leaves its temporary file (see atomic.py)."""
    for job in _jobs_of(work):
        for partial in job.target.parent.glob(f".{job.target.name}.*.part"):
            partial.unlink(missing_ok=True)
