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
import dataclasses
import functools
import hashlib
import math
import os
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
# A run's handouts are split into this many batches (of at most MAX_BATCH), so up to
# this many workers share a small run.
BATCH_SHARES = 4


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
    # Issue 17 (print production): reworks the finished PDF before it is written,
    # returning the new PDF and its page count (a booklet's imposed sheets, say).
    # A module-level function or a partial of one, so it can reach a worker.
    finish: Callable[[bytes], tuple[bytes, int]] | None = None


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
    """Everything a worker needs besides its job. Workers are forked from a server
    started earlier, whose environment may be stale: so each option, the epoch
    included, travels here, read from the caller's environment when made."""

    allowed_roots: tuple[Path, ...]
    strict: bool = False
    time_limit: float = DEFAULT_TIME_LIMIT
    # The reproducible-builds epoch: font subsets are stamped with it (0 without).
    source_date_epoch: str | None = field(
        default_factory=lambda: os.environ.get("SOURCE_DATE_EPOCH") or None
    )
    # Add the Python traceback to an internal error (``--debug``).
    debug: bool = field(default_factory=lambda: bool(os.environ.get("DNAOC_DEBUG")))


def run_job(job: Job, options: RunOptions) -> Outcome:
    """Typeset and write one guide; every failure becomes the outcome's error."""
    outcome = Outcome(job.name, job.target)
    with _failures_recorded([outcome], options):
        from dnaoc_print.fonts import foreign_font_error
        from dnaoc_print.splitting import complete_structure
        from dnaoc_print.typesetting import typeset

        problems = job.document.address_problems
        if missing := [str(problem) for problem in problems if problem.fatal]:
            raise BuildError("\n".join(missing))
        result = typeset(job.document, job.name, list(options.allowed_roots))
        if foreign := foreign_font_error(result.pdf, list(options.allowed_roots)):
            raise BuildError(foreign)
        warnings = [*(str(problem) for problem in problems), *result.warnings]
        _check_strict(warnings, options)
        pdf = complete_structure(result.pdf, job.document.html)
        _write(outcome, pdf, result.page_count, warnings, job.finish)
    return outcome


def run_batch(batch: HandoutBatch, options: RunOptions) -> list[Outcome]:
    """Typeset a batch of handouts and write each one's PDF; one outcome a handout.

    If the batch as a whole breaks unexpectedly, one handout may be to blame: each
    handout not yet written is then typeset on its own, so only that one fails. (A
    clear error, such as a refused file, is the same for every handout and is
    reported at once.) A batch that runs out of time, or whose worker dies, is split
    the same way by ``run_jobs``.
    """
    from dnaoc_print.fonts import foreign_font_error

    outcomes = [Outcome(job.name, job.target) for job in batch.jobs]
    with _failures_recorded(outcomes, options) as failure:
        pdfs, warnings = typeset_handouts(batch, list(options.allowed_roots))
        _check_strict(warnings, options)
        for job, outcome, pdf in zip(batch.jobs, outcomes, pdfs, strict=True):
            problems = job.sheet.address_problems
            own_warnings = [*(str(p) for p in problems if not p.fatal), *warnings]
            if isinstance(pdf, bytes) and (
                foreign := foreign_font_error(pdf, list(options.allowed_roots))
            ):
                pdf = BuildError(foreign)
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
    from dnaoc_print.typesetting import FONT_SUBSET_EPOCH, source_date_epoch

    # Set from the options, whatever this process inherited.
    with source_date_epoch(options.source_date_epoch or FONT_SUBSET_EPOCH):
        if isinstance(work, HandoutBatch):
            return run_batch(work, options)
        return [run_job(work, options)]


def run_jobs(
    jobs: Iterable[Job],
    options: RunOptions,
    workers: int = 1,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Run jobs in ``workers`` worker processes (at least one: nothing is typeset in
    the calling process, so this is safe from any thread).

    Each piece of work has ``options.time_limit`` seconds; a worker that overruns
    is ended. A worker that ends before it answers fails only the outputs it held,
    saying why; a batch of handouts lost that way is typeset again a handout at a
    time, so only the culprit fails.
    """
    from dnaoc_print.workers import Lost, Pool

    work = batches(list(jobs), workers)
    outcomes: list[Outcome] = []
    with Pool(functools.partial(run_work, options=options), workers, options.time_limit) as pool:
        for item in work:
            pool.submit(item)
        for item, answer in pool.results():
            if isinstance(answer, Lost):
                _remove_partial_files(item)
                if isinstance(item, HandoutBatch) and len(item.jobs) > 1:
                    for job in item.jobs:
                        pool.submit(HandoutBatch(item.document, (job,)))
                    continue
                answer = [
                    Outcome(job.name, job.target, "failed", error=answer.reason)
                    for job in _jobs_of(item)
                ]
            for outcome in answer:
                outcomes.append(outcome)
                if on_outcome:
                    on_outcome(outcome)
    return outcomes


def _jobs_of(work: Job | HandoutBatch) -> tuple[Job, ...]:
    return work.jobs if isinstance(work, HandoutBatch) else (work,)


def _remove_partial_files(work: Job | HandoutBatch) -> None:
    """A worker ended while writing leaves its temporary file (see output.py)."""
    for job in _jobs_of(work):
        for partial in job.target.parent.glob(f".{job.target.name}.*.part"):
            partial.unlink(missing_ok=True)
