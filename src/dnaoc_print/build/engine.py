"""The build, in three steps: ``plan_build`` loads the content and decides every
output (``planning``, with the brands of ``brand_set``), as data; ``run_build``
skips what is up to date, typesets the rest in parallel, writes atomically and
records it in the manifest (``running``), handing back each outcome as it comes;
``build_report`` removes what earlier builds made that has no source, and says what
the build did. ``build`` is the three in a row.

One broken file fails only the outputs that depend on it (its guide or handout, a
story they show, a shared section, a brand, a layout); everything else is built.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.planning import (
    PlannedJob,
    failed_outcome,
    guide_job,
    handout_job,
    planned_or_failed,
    stopped_by_placeholders,
)
from dnaoc_print.build.running import in_plan_order, outcomes_as_they_come, remove_leftovers
from dnaoc_print.build.work import DEFAULT_TIME_LIMIT, Outcome
from dnaoc_print.content.brand_folders import DEFAULT_BRAND, find_brand
from dnaoc_print.content.loading import load_project
from dnaoc_print.content.placeholders import find_placeholders
from dnaoc_print.errors import ContentError, ContentErrors
from dnaoc_print.model import Project

if TYPE_CHECKING:
    from dnaoc_print.build.print_outputs import PrintOptions


@dataclass
class BuildReport:
    """What a build did: each output's outcome, and what it has to say besides."""

    outcomes: list[Outcome]
    seconds: float
    # Warnings about the build as a whole (a brand's contrast), not one document.
    notes: list[str] = field(default_factory=list)
    # Content problems that stop no output (an unused story, say): still errors.
    problems: list[ContentError] = field(default_factory=list)
    # Outputs of earlier builds whose source is gone, removed (or kept, and why).
    removed: list[str] = field(default_factory=list)
    # What a brand file gives that is not used, or is taken from the default brand.
    brand_notes: list[str] = field(default_factory=list)
    # What a print option left out, and why (--two-up and whole-sheet handouts).
    print_notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    @property
    def built(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "built"]

    @property
    def up_to_date(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "up to date"]


@dataclass
class BuildPlan:
    """What one build makes: every output, planned (or failed while planning), and
    what the build has to say besides. Plain data: running it is ``run_build``'s."""

    project: Project
    out_dir: Path
    brands: Brands
    items: list[PlannedJob | Outcome]
    strict: bool
    # The placeholders a proof prints (--allow-placeholders), said as warnings.
    placeholder_notes: list[ContentError]
    print_notes: list[str]
    started: float

    @property
    def names(self) -> list[str]:
        """The name of every output, as its outcome will carry it."""
        return [item.job_name if isinstance(item, Outcome) else item.name for item in self.items]


def build(
    root: Path,
    out_dir: Path | None = None,
    paper: str = "a4",
    brand: str | None = None,
    strict: bool = False,
    force: bool = False,
    workers: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    print_options: PrintOptions | None = None,
    slides: bool = False,
    allow_placeholders: bool = False,
) -> BuildReport:
    """Build every guide and handout of the project at ``root`` into ``out_dir``.

    ``brand`` dresses every guide, and every handout whose spec names no brand.
    Outputs whose inputs have not changed since the last build are left alone. A
    guide or handout whose files are broken is a failed outcome naming the problems;
    everything else is built. Raises only when nothing could be built (no project,
    or the brand every output wears is broken). To follow outcomes as they come,
    call the three steps yourself, as the ``build`` command does. ``slides`` makes
    every guide's slide pack too (build/slides/), as the ``build`` and ``watch``
    commands do unless told --no-slides. An output that would print a placeholder
    fails, alone, unless ``allow_placeholders`` (a proof of a template).
    """
    plan = plan_build(
        root, out_dir, paper, brand, strict, print_options, slides, allow_placeholders
    )
    outcomes = run_build(plan, force=force, workers=workers, time_limit=time_limit)
    return build_report(plan, outcomes)


def plan_build(
    root: Path,
    out_dir: Path | None = None,
    paper: str = "a4",
    brand: str | None = None,
    strict: bool = False,
    print_options: PrintOptions | None = None,
    slides: bool = False,
    allow_placeholders: bool = False,
) -> BuildPlan:
    """Load the project and decide every output: nothing is typeset yet."""
    started = time.perf_counter()
    project = load_project(root, partial=True)
    out_dir = (out_dir or default_out_dir(project.root, brand)).resolve()
    check_brand_flag(project.root, brand)
    brands = Brands(project, strict)
    # Every guide wears this brand: if it is broken, nothing can be built.
    brands.brand(brand)
    items = _guide_items(project, brands, brand, out_dir, paper)
    items += _handout_items(project, brands, brand, out_dir)
    if slides:
        from dnaoc_print.build.slide_jobs import slide_jobs

        large = bool(print_options and print_options.large_print)
        items += slide_jobs(project, brands, brand, out_dir, large_print=large)
    print_notes = []
    if print_options:
        # Booklets, two-up handouts, print-shop, archive and large-print copies.
        from dnaoc_print.build.print_outputs import print_jobs
        from dnaoc_print.build.two_up import two_up_notes

        items += print_jobs(project, brands, brand, out_dir, paper, print_options)
        print_notes = two_up_notes(project.handouts, print_options)
    items += _broken_items(project, out_dir, paper)
    # A placeholder such as ((Your name here)) is never printed: what would print one
    # fails, alone. --allow-placeholders prints them, as warnings (--strict: not even then).
    placeholders = find_placeholders(project.root)
    if placeholders and (strict or not allow_placeholders):
        items = [stopped_by_placeholders(item, placeholders) for item in items]
    # Said as warnings only where they are printed.
    noted = placeholders if allow_placeholders and not strict else []
    return BuildPlan(project, out_dir, brands, items, strict, noted, print_notes, started)


def run_build(
    plan: BuildPlan,
    *,
    force: bool = False,
    workers: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Iterator[Outcome]:
    """Typeset what is not up to date; each outcome as it comes."""
    return outcomes_as_they_come(
        plan.items,
        plan.out_dir,
        [plan.project.root],
        strict=plan.strict,
        force=force,
        workers=workers,
        time_limit=time_limit,
    )


def build_report(plan: BuildPlan, outcomes: Iterable[Outcome]) -> BuildReport:
    """Wait for every outcome, tidy the output folder, and say what the build did."""
    in_order = in_plan_order(plan.items, outcomes)
    removed = remove_leftovers(plan.project, plan.out_dir)
    project = plan.project
    # Problems that belong to no output are errors all the same.
    stopping = {error for item in project.broken for error in item.errors}
    loose = [error for error in project.problems if error not in stopping]
    notes = plan.brands.notes + [str(placeholder) for placeholder in plan.placeholder_notes]
    notes += [
        f"{item.source}: the guides' series list leaves out this guide, as its title or "
        "order cannot be read; fix them and build again"
        for item in project.unlisted_guides
    ]
    return BuildReport(
        in_order,
        time.perf_counter() - plan.started,
        notes,
        loose,
        removed,
        plan.brands.brand_notes,
        print_notes=plan.print_notes,
    )


def _guide_items(
    project: Project, brands: Brands, brand: str | None, out_dir: Path, paper: str
) -> list[PlannedJob | Outcome]:
    suffix = "" if paper == "a4" else f"-{paper}"
    return [
        planned_or_failed(
            f"guide {g.slug}",
            out_dir / "guides" / f"{g.slug}{suffix}.pdf",
            lambda g=g: guide_job(g, project, brands, brand, out_dir, paper),
        )
        for g in project.guides
    ]


def _handout_items(
    project: Project, brands: Brands, brand: str | None, out_dir: Path
) -> list[PlannedJob | Outcome]:
    return [
        planned_or_failed(
            f"handout {h.name}",
            out_dir / "handouts" / f"{h.name}.pdf",
            lambda h=h: handout_job(h, brands, brand, out_dir / "handouts" / f"{h.name}.pdf"),
        )
        for h in project.handouts
    ]


def _broken_items(project: Project, out_dir: Path, paper: str) -> list[Outcome]:
    """A guide or handout that could not be read: a failed outcome naming why."""
    suffix = "" if paper == "a4" else f"-{paper}"
    folders = {"guide": ("guides", suffix), "handout": ("handouts", "")}
    items = []
    for item in project.broken:
        folder, ending = folders[item.kind]
        target = out_dir / folder / f"{item.name}{ending}.pdf"
        items.append(failed_outcome(f"{item.kind} {item.name}", target, item.errors))
    return items


def default_out_dir(root: Path, brand: str | None) -> Path:
    """build/ for the default brand; build/<brand>/ for any other, so brands never mix."""
    # Brand names are matched without regard to case, so the folder is lower-case.
    if brand is None or brand.lower() == DEFAULT_BRAND:
        return root / "build"
    return root / "build" / brand.lower()


def check_brand_flag(root: Path, brand: str | None) -> None:
    """A brand asked for with --brand must exist (in any capitals); the error names the flag."""
    if not brand:
        return
    try:
        find_brand(root, brand)
    except ContentErrors as problems:
        raise ContentErrors(
            [
                ContentError(error.message, flag="--brand", hint=error.hint)
                for error in problems.errors
            ]
        ) from None
