"""Typesetting jobs and the worker processes that run them.

A job carries everything a worker needs (its HTML, where it goes), so it can be
sent to another process. Workers typeset in parallel, each under a time limit, and
one failing job never stops the others.

Handouts are typeset in batches: every handout with the same document (brand,
paper, orientation) shares one WeasyPrint document, a page each, and the pages are
split into one PDF per handout afterwards (see splitting.py). Most of WeasyPrint's
cost is per document, so this is what makes a batch of hundreds quick.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import hashlib
import math
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dnaoc_print.errors import BuildError
from dnaoc_print.output import write_atomic

if TYPE_CHECKING:
    # Only for annotations: importing Jinja is a cost a no-change rebuild does not pay.
    from dnaoc_print.templating import HandoutSheet, RenderedDocument

# One document that takes longer than this is stopped, so a batch never hangs.
DEFAULT_TIME_LIMIT = 120
# Spare height below this is left as it is rather than laid out again.
MIN_SPARE_MM = 4.0
# Handouts a batch document holds at most: enough to share the cost of a document,
# few enough that the workers share the work evenly and memory stays flat.
MAX_BATCH = 25


@dataclass(frozen=True)
class Job:
    """One PDF to make: what it is called, where it goes, and its HTML.

    A guide has its whole document. A handout has its sheet at each fit step,
    largest first; the first that fits on one page is written.
    """

    name: str
    target: Path
    document: RenderedDocument | None = None
    sheet: HandoutSheet | None = None
    # What to suggest when a handout does not fit even at the smallest step.
    overflow_advice: str = ""


@dataclass(frozen=True)
class HandoutBatch:
    """Handouts typeset together in one document, a page each, then split."""

    document: RenderedDocument
    jobs: tuple[Job, ...]


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
    """Typeset and write one guide; every failure becomes the outcome's error."""
    outcome = Outcome(job.name, job.target)
    with _failures_recorded([outcome], options):
        from dnaoc_print.splitting import complete_structure
        from dnaoc_print.typesetting import typeset

        result = typeset(job.document, job.name, list(options.allowed_roots))
        _check_strict(result.warnings, options)
        pdf = complete_structure(result.pdf, job.document.html)
        _write(outcome, pdf, result.page_count, result.warnings)
    return outcome


def run_batch(batch: HandoutBatch, options: RunOptions) -> list[Outcome]:
    """Typeset a batch of handouts and write each one's PDF; one outcome a handout.

    If the batch as a whole runs out of time or breaks unexpectedly, one handout
    may be to blame: each handout not yet written is then typeset on its own, so
    only that one fails. (A clear error, such as a refused file, is the same for
    every handout and is reported at once.)
    """
    outcomes = [Outcome(job.name, job.target) for job in batch.jobs]
    with _failures_recorded(outcomes, options) as failure:
        pdfs, warnings = typeset_handouts(batch, list(options.allowed_roots))
        _check_strict(warnings, options)
        for outcome, pdf in zip(outcomes, pdfs, strict=True):
            if isinstance(pdf, BuildError):
                outcome.status, outcome.error = "failed", str(pdf)
                continue
            try:
                _write(outcome, pdf, 1, warnings)
            except OSError as error:
                outcome.status, outcome.error = "failed", _cannot_write(outcome.target, error)
    if failure.unexpected and len(batch.jobs) > 1:
        for index, (job, outcome) in enumerate(zip(batch.jobs, outcomes, strict=True)):
            if not outcome.pdf_sha256:
                [outcomes[index]] = run_batch(HandoutBatch(batch.document, (job,)), options)
    return outcomes


def _write(outcome: Outcome, pdf: bytes, page_count: int, warnings: list[str]) -> None:
    write_atomic(outcome.target, pdf)
    outcome.page_count = page_count
    outcome.size = len(pdf)
    outcome.warnings = list(warnings)
    outcome.pdf_sha256 = hashlib.sha256(pdf).hexdigest()


def _check_strict(warnings: list[str], options: RunOptions) -> None:
    if options.strict and warnings:
        raise BuildError(
            "WeasyPrint warned (and --strict makes warnings errors): " + "; ".join(warnings)
        )


def _cannot_write(target: Path, error: OSError) -> str:
    return f"cannot write {target}: {error.strerror or error}"


@dataclass
class _Failure:
    # Out of time, or an exception no check of ours raised.
    unexpected: bool = False


@contextlib.contextmanager
def _failures_recorded(outcomes: list[Outcome], options: RunOptions):
    """Run under the time limit; any failure becomes the error of every outcome
    not already settled, and nothing is raised."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, options.time_limit)
    error_text = None
    failure = _Failure()
    try:
        yield failure
    except _TimeLimit:
        failure.unexpected = True
        error_text = (
            f"stopped after {options.time_limit:g} s: the document takes too long to typeset"
        )
    except BuildError as error:
        error_text = str(error)
    except OSError as error:
        error_text = _cannot_write(outcomes[0].target, error)
    except Exception as error:  # noqa: BLE001 (one broken document must not stop a batch)
        failure.unexpected = True
        error_text = f"internal error ({type(error).__name__}: {error})"
        if os.environ.get("DNAOC_DEBUG"):
            error_text += "\n" + traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if error_text is not None:
        for outcome in outcomes:
            if outcome.status != "failed" and not outcome.pdf_sha256:
                outcome.status, outcome.error = "failed", error_text


def typeset_handouts(
    batch: HandoutBatch, allowed_roots: list[Path]
) -> tuple[list[bytes | BuildError], list[str]]:
    """Each handout's PDF (or why it has none), and WeasyPrint's warnings.

    Every handout starts at fit step 0; those that take more than a page try the
    next step, together, until all fit or the steps run out. A fitted sheet's
    spare height goes to room to write (see ``_room_to_fill``): its notes area
    grows in place, while a question sheet is laid out once more to share it among
    its answer spaces. Each pass's final pages are written as one PDF and split a
    page a handout.
    """
    from dnaoc_print.templating import sheet_id, with_sheets
    from dnaoc_print.typesetting import measure_height

    jobs = batch.jobs
    results: list[bytes | BuildError] = [b""] * len(jobs)
    warnings: list[str] = []
    to_fill: list[tuple[int, int, str]] = []
    pending = list(range(len(jobs)))
    steps = len(jobs[0].sheet.fits)
    for step in range(steps):
        if not pending:
            break
        entries = [(index, step, None) for index in pending]
        layout, pages = _lay_out_sheets(batch, entries, allowed_roots)
        warnings += layout.warnings
        finished = []
        for number, (index, sheet_pages) in enumerate(zip(pending, pages, strict=True), 1):
            if len(sheet_pages) != 1:
                continue
            fill = _room_to_fill(layout, sheet_pages[0], sheet_id(number))
            if fill:
                to_fill.append((index, step, fill))
            else:
                finished.append((index, sheet_pages[0]))
        warnings += _write_split(batch, layout, finished, results)
        settled = {index for index, _ in finished} | {index for index, _, _ in to_fill}
        pending = [index for index in pending if index not in settled]

    for index in pending:
        job = jobs[index]
        alone = dataclasses.replace(
            batch.document, html=with_sheets(batch.document.html, [job.sheet.fits[-1]])
        )
        needed, available = measure_height(alone, job.name, allowed_roots)
        results[index] = BuildError(
            f"does not fit on one page: even at the smallest allowed size (text 10 pt, "
            f"QR codes 24.8 mm) it needs {needed:.0f} mm of the {available:.0f} mm the page "
            f"has, {needed - available:.0f} mm too much. To fit: {job.overflow_advice}"
        )

    while to_fill:
        layout, pages = _lay_out_sheets(batch, to_fill, allowed_roots)
        warnings += layout.warnings
        finished = [
            (index, sheet_pages[0])
            for (index, _, _), sheet_pages in zip(to_fill, pages, strict=True)
            if len(sheet_pages) == 1
        ]
        warnings += _write_split(batch, layout, finished, results)
        done = {index for index, _ in finished}
        if any(not fill for index, _, fill in to_fill if index not in done):
            raise BuildError("a handout that fitted on one page no longer does")
        # Rare: a filled sheet tipped onto a second page; print it as it fitted.
        to_fill = [(index, step, "") for index, step, _ in to_fill if index not in done]
    # The same warning from several passes is said once.
    return results, list(dict.fromkeys(warnings))


def _room_to_fill(layout, page: int, sheet: str) -> str:
    """Give a fitted sheet's spare height to room to write. Return the CSS that
    needs the sheet laid out again, or "" if it is final as it is.

    The notes area, beside the questions or under them, is simply made taller,
    down to the foot of the page: nothing comes after it, so nothing else moves.
    A question sheet shares the height left under everything (``--spare-space``)
    among its answer spaces, which moves every question after the first: that
    takes another layout. A millimetre is kept in hand against rounding.
    """
    spare = layout.spare_mm(page, sheet)
    has_answer_spaces = layout.room_below_mm(page, sheet, "answer-space")[1] > 0
    if has_answer_spaces:
        return f"--spare-space: {spare - 1:.1f}mm;" if spare >= MIN_SPARE_MM else ""
    room, notes_height = layout.room_below_mm(page, sheet, "notes-area")
    if room - notes_height < MIN_SPARE_MM:
        return ""
    if layout.extend_to_foot(page, sheet, "notes-area", keep_mm=1) is not None:
        return ""
    return f"--notes-fill: {room - 1:.1f}mm;"


def _write_split(
    batch: HandoutBatch,
    layout,
    finished: list[tuple[int, int]],
    results: list[bytes | BuildError],
) -> list[str]:
    """Write the pages of these (job index, page) handouts as one PDF and split it
    into each handout's own; return WeasyPrint's warnings."""
    if not finished:
        return []
    from dnaoc_print.splitting import Part, split_pdf
    from dnaoc_print.typesetting import write

    written = write(layout, [page for _, page in finished])
    parts = []
    for new_page, (index, _) in enumerate(finished):
        sheet = batch.jobs[index].sheet
        xmp = layout.xmp(sheet.title, sheet.description)
        parts.append(Part((new_page,), sheet.title, sheet.description, xmp))
    pdfs = split_pdf(written.pdf, parts, layout.document.html)
    for (index, _), pdf in zip(finished, pdfs, strict=True):
        results[index] = pdf
    return written.warnings


def _lay_out_sheets(
    batch: HandoutBatch,
    entries: list[tuple[int, int, str | None]],
    allowed_roots: list[Path],
):
    """Lay out (job index, fit step, CSS declarations for the sheet) sheets in one
    document; return the layout and the pages each sheet took."""
    from dnaoc_print.templating import sheet_id, with_sheets
    from dnaoc_print.typesetting import lay_out

    sheets = [batch.jobs[index].sheet.fits[step] for index, step, _ in entries]
    fills = "".join(
        f"#{sheet_id(number)} {{ {fill} }}"
        for number, (_, _, fill) in enumerate(entries, 1)
        if fill
    )
    document = dataclasses.replace(batch.document, html=with_sheets(batch.document.html, sheets))
    name = batch.jobs[entries[0][0]].name if len(entries) == 1 else "handouts"
    layout = lay_out(document, name, allowed_roots, fills)
    firsts = layout.first_pages([sheet_id(number) for number in range(1, len(sheets) + 1)])
    if None in firsts:
        raise BuildError("a handout's sheet is missing from its typeset pages")
    ends = [*firsts[1:], layout.page_count]
    return layout, [list(range(first, end)) for first, end in zip(firsts, ends, strict=True)]


def _warm_worker() -> None:
    # Import WeasyPrint once per worker, before the first job arrives.
    import dnaoc_print.splitting  # noqa: F401
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
        context.set_forkserver_preload(["dnaoc_print.typesetting", "dnaoc_print.splitting"])
        return context
    return multiprocessing.get_context("spawn")


def batches(jobs: list[Job], workers: int) -> list[Job | HandoutBatch]:
    """Guides as they are; handouts in batches of the same document, split so that
    every worker has a share."""
    work: list[Job | HandoutBatch] = [job for job in jobs if job.sheet is None]
    groups: dict[RenderedDocument, list[Job]] = {}
    for job in jobs:
        if job.sheet is not None:
            groups.setdefault(job.sheet.document, []).append(job)
    for document, group in groups.items():
        size = max(1, min(MAX_BATCH, math.ceil(len(group) / max(1, workers))))
        for start in range(0, len(group), size):
            work.append(HandoutBatch(document, tuple(group[start : start + size])))
    return work


def run_work(work: Job | HandoutBatch, options: RunOptions) -> list[Outcome]:
    if isinstance(work, HandoutBatch):
        return run_batch(work, options)
    return [run_job(work, options)]


def run_jobs(
    jobs: Iterable[Job],
    options: RunOptions,
    workers: int = 1,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Run jobs, in ``workers`` processes when there is more than one piece of work."""
    work = batches(list(jobs), workers)
    outcomes: list[Outcome] = []

    def done(finished: list[Outcome]) -> None:
        for outcome in finished:
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)

    if workers <= 1 or len(work) <= 1:
        for item in work:
            done(run_work(item, options))
        return outcomes
    context = _worker_context()
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=min(workers, len(work)), mp_context=context, initializer=_warm_worker
    ) as pool:
        futures = [pool.submit(run_work, item, options) for item in work]
        try:
            for future in concurrent.futures.as_completed(futures):
                done(future.result())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return outcomes
