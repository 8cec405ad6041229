"""Carrying out a build's plan in its output folder.

Skip each output the manifest says is up to date, typeset the rest in parallel
(``jobs``), record each one built in the manifest; then remove what an earlier build
made whose source is gone. What to make was decided by ``planning``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from dnaoc_print import __version__
from dnaoc_print.build.jobs import outcomes_of
from dnaoc_print.build.manifest import Manifest, sha256_file
from dnaoc_print.build.planning import PlannedJob
from dnaoc_print.build.work import DEFAULT_TIME_LIMIT, Outcome, RunOptions
from dnaoc_print.errors import DnaocError, shown_path
from dnaoc_print.model import Project


def run_planned(
    planned: list[PlannedJob | Outcome], out_dir: Path | None, roots: list[Path], **options
) -> list[Outcome]:
    """Every outcome of ``planned``, in the plan's order, once all are done;
    ``options`` are outcomes_as_they_come's."""
    outcomes = outcomes_as_they_come(planned, out_dir, roots, **options)
    return in_plan_order(planned, outcomes)


def outcomes_as_they_come(
    planned: list[PlannedJob | Outcome],
    out_dir: Path | None,
    roots: list[Path],
    *,
    strict: bool = False,
    force: bool = False,
    workers: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Iterator[Outcome]:
    """Typeset what is not up to date, in parallel, and record it in the manifest;
    yield each outcome as it comes: first what needs no typesetting, then each
    typeset output as its worker finishes.

    Without ``out_dir`` there is no manifest: everything is typeset. An item that
    is already an Outcome (a failure found while planning) is reported as it is, and
    so is a job whose HTML cannot be rendered.
    """
    manifest = Manifest(out_dir) if out_dir is not None else None
    to_run: dict[Path, PlannedJob] = {}
    jobs = []
    for item in planned:
        if isinstance(item, Outcome):
            # Could not even be planned (a broken brand or layout): failed already.
            yield item
        elif manifest and not force and manifest.is_fresh(item.target, item.fingerprint):
            yield _up_to_date(item, manifest)
        else:
            try:
                jobs.append(item.make())
            except DnaocError as error:
                # A layout that cannot be rendered fails the outputs that use it.
                yield Outcome(item.name, item.target, "failed", error=str(error))
                continue
            to_run[item.target] = item
    options = RunOptions(tuple(roots), strict, time_limit)
    try:
        for outcome in outcomes_of(jobs, options, workers or default_workers()):
            if manifest and outcome.status == "built":
                _record(manifest, to_run[outcome.target], outcome)
            yield outcome
    finally:
        # Even an interrupted build records what it finished.
        if manifest:
            manifest.save(f"dnaoc-print {__version__}")


def in_plan_order(
    planned: list[PlannedJob | Outcome], outcomes: Iterable[Outcome]
) -> list[Outcome]:
    """The outcomes (all of them, waited for) in the order their outputs were planned."""
    order = {item.target: index for index, item in enumerate(planned)}
    return sorted(outcomes, key=lambda outcome: order[outcome.target])


def _up_to_date(item: PlannedJob, manifest: Manifest) -> Outcome:
    entry = manifest.outputs[manifest.key(item.target)]
    return Outcome(
        item.name,
        item.target,
        "up to date",
        entry["pages"],
        entry["bytes"],
        pdf_sha256=entry["sha256"],
    )


def _record(manifest: Manifest, item: PlannedJob, outcome: Outcome) -> None:
    manifest.record(
        outcome.target,
        item.fingerprint,
        item.inputs,
        outcome.page_count,
        outcome.size,
        outcome.pdf_sha256,
    )


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def remove_leftovers(project: Project, out_dir: Path) -> list[str]:
    """Remove PDFs an earlier build made (they are in its manifest) whose source file is
    gone: a guide or handout renamed or deleted. A PDF changed since it was written is
    kept; nothing the manifest does not list is touched. Returns one line for each."""
    manifest = Manifest(out_dir)
    lines = []
    for key, entry in list(manifest.outputs.items()):
        source = (entry.get("inputs") or {}).get("source")
        if not source or (project.root / source).exists():
            continue
        target = out_dir / key
        shown = shown_path(target, project.root)
        if target.is_file() and sha256_file(target) != entry.get("sha256"):
            lines.append(f"kept {shown}: its source {source} is gone, but it was changed since")
        else:
            target.unlink(missing_ok=True)
            lines.append(f"removed {shown}: its source {source} is gone")
        del manifest.outputs[key]
    if lines:
        manifest.save(f"dnaoc-print {__version__}")
    return lines
