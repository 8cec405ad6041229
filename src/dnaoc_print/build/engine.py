"""The build, read top to bottom like a table of contents:
load content -> render layouts -> skip what is up to date -> typeset in parallel ->
write atomically -> record in the manifest -> remove what it made that has no source.
Deciding what to make is ``planning``'s work (with the brands of ``build_brands``);
carrying it out is ``running``'s.

One broken file fails only the outputs that depend on it (its guide or handout, a
story they show, a shared section, a brand, a layout); everything else is built.
"""

from __future__ import annotations

import time
from collections.abc import Callable
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
from dnaoc_print.build.running import remove_leftovers, run_planned
from dnaoc_print.build.work import DEFAULT_TIME_LIMIT, Outcome
from dnaoc_print.content.brand_folders import DEFAULT_BRAND, find_brand
from dnaoc_print.content.loading import load_project
from dnaoc_print.content.placeholders import find_placeholders
from dnaoc_print.errors import ContentError, ContentErrors

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


def build(
    root: Path,
    out_dir: Path | None = None,
    paper: str = "a4",
    brand: str | None = None,
    strict: bool = False,
    force: bool = False,
    workers: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    print_options: PrintOptions | None = None,
    allow_placeholders: bool = False,
) -> BuildReport:
    """Build every guide and handout of the project at ``root`` into ``out_dir``.

    ``brand`` dresses every guide, and every handout whose spec names no brand.
    Outputs whose inputs have not changed since the last build are left alone. A
    guide or handout whose files are broken is a failed outcome naming the problems;
    everything else is built. Raises only when nothing could be built (no project,
    or the brand every output wears is broken). ``on_plan`` hears how many outputs
    there are, ``on_outcome`` each outcome as it comes. An output that would print a
    placeholder fails, alone, unless ``allow_placeholders`` (a proof of a template).
    """
    started = time.perf_counter()
    project = load_project(root, partial=True)
    out_dir = (out_dir or default_out_dir(project.root, brand)).resolve()
    check_brand_flag(project.root, brand)
    brands = Brands(project, strict)
    # Every guide wears this brand: if it is broken, nothing can be built.
    brands.brand(brand)
    suffix = "" if paper == "a4" else f"-{paper}"
    planned: list[PlannedJob | Outcome] = [
        planned_or_failed(
            f"guide {g.slug}",
            out_dir / "guides" / f"{g.slug}{suffix}.pdf",
            lambda g=g: guide_job(g, project, brands, brand, out_dir, paper),
        )
        for g in project.guides
    ]
    planned += [
        planned_or_failed(
            f"handout {h.name}",
            out_dir / "handouts" / f"{h.name}.pdf",
            lambda h=h: handout_job(h, brands, brand, out_dir / "handouts" / f"{h.name}.pdf"),
        )
        for h in project.handouts
    ]
    if print_options:
        # Booklets, two-up handouts, print-shop, archive and large-print copies.
        from dnaoc_print.build.print_outputs import print_jobs
        from dnaoc_print.build.two_up import two_up_notes

        planned += print_jobs(project, brands, brand, out_dir, paper, print_options)
        print_notes = two_up_notes(project.handouts, print_options)
    else:
        print_notes = []
    folders = {"guide": ("guides", suffix), "handout": ("handouts", "")}
    for item in project.broken:
        folder, ending = folders[item.kind]
        target = out_dir / folder / f"{item.name}{ending}.pdf"
        planned.append(failed_outcome(f"{item.kind} {item.name}", target, item.errors))
    # A placeholder such as ((Your name here)) is never printed: what would print one
    # fails, alone. --allow-placeholders prints them, as warnings (--strict: not even then).
    placeholders = find_placeholders(project.root)
    if placeholders and (strict or not allow_placeholders):
        planned = [stopped_by_placeholders(item, placeholders) for item in planned]
    outcomes = run_planned(
        planned,
        out_dir,
        [project.root],
        strict=strict,
        force=force,
        workers=workers,
        time_limit=time_limit,
        on_outcome=on_outcome,
        on_plan=on_plan,
    )
    removed = remove_leftovers(project, out_dir)
    # Problems that belong to no output are errors all the same.
    stopping = {error for item in project.broken for error in item.errors}
    loose = [error for error in project.problems if error not in stopping]
    notes = brands.notes
    if allow_placeholders and not strict:
        notes = notes + [str(placeholder) for placeholder in placeholders]
    notes += [
        f"{item.source}: the guides' series list leaves out this guide, as its title or "
        "order cannot be read; fix them and build again"
        for item in project.unlisted_guides
    ]
    return BuildReport(
        outcomes,
        time.perf_counter() - started,
        notes,
        loose,
        removed,
        brands.brand_notes,
        print_notes=print_notes,
    )


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
