"""The build, read top to bottom like a table of contents:
load content -> render layouts -> typeset -> write atomically.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.brands import DEFAULT_BRAND, load_brand
from dnaoc_print.errors import BuildError, ContentErrors
from dnaoc_print.loading import load_project
from dnaoc_print.model import Handout, Project
from dnaoc_print.output import write_atomic
from dnaoc_print.templating import Layouts, RenderedDocument


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
    page_count: int = 0
    size: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    outcomes: list[Outcome]
    seconds: float
    # Warnings about the build as a whole (a brand's contrast), not one document.
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.error]


def plan(
    project: Project, brands: Brands, brand: str | None, out_dir: Path, paper: str = "a4"
) -> list[Job]:
    """Every PDF to build. ``paper`` is for guides; a handout's spec sets its own."""
    layouts = brands.layouts(brand)
    # Guides on the default paper keep plain names; another paper is named in the file.
    suffix = "" if paper == "a4" else f"-{paper}"
    jobs = [
        Job(
            f"guide {guide.slug}",
            out_dir / "guides" / f"{guide.slug}{suffix}.pdf",
            (layouts.guide(guide, paper),),
        )
        for guide in project.guides
    ]
    jobs += [
        handout_job(
            handout,
            brands.layouts(handout.brand or brand),
            out_dir / "handouts" / f"{handout.name}.pdf",
        )
        for handout in project.handouts
    ]
    return jobs


def handout_job(handout: Handout, layouts: Layouts, target: Path) -> Job:
    remedies = ["remove a story or a question", "shorten the longest question"]
    if handout.notes != "none":
        remedies.append("set notes: none")
    if handout.content_warning:
        remedies.append("shorten the content warning")
    if handout.paper == "a5":
        remedies.append("print on A4")
    return Job(
        f"handout {handout.name}",
        target,
        layouts.handout_fits(handout),
        one_page=True,
        overflow_advice="; ".join(remedies),
    )


def run_job(job: Job, allowed_roots: list[Path]) -> Outcome:
    outcome = Outcome(job.name, job.target)
    try:
        result = (
            typeset_one_page(job, allowed_roots)
            if job.one_page
            else typeset_job(job, allowed_roots)
        )
        write_atomic(job.target, result.pdf)
    except BuildError as error:
        outcome.error = str(error)
        return outcome
    outcome.page_count = result.page_count
    outcome.size = len(result.pdf)
    outcome.warnings = result.warnings
    return outcome


def typeset_job(job: Job, allowed_roots: list[Path]):
    # Imported here: weasyprint takes a second to import, and `check` never needs it.
    from dnaoc_print.typesetting import typeset

    return typeset(job.documents[0], job.name, allowed_roots)


# Spare height below this is left as it is rather than laid out again.
MIN_SPARE_MM = 4.0


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


class Brands:
    """The brands a build uses, each loaded once, with the layouts that wear it.

    A brand's warnings (contrast below WCAG AA) are kept for the report; under
    ``strict`` they are errors and stop the build before anything is typeset.
    """

    def __init__(self, project: Project, strict: bool = False) -> None:
        self.project = project
        self.strict = strict
        self.notes: list[str] = []
        self._layouts: dict[str, Layouts] = {}

    def layouts(self, name: str | None) -> Layouts:
        name = name or DEFAULT_BRAND
        if name not in self._layouts:
            brand, warnings = load_brand(self.project.root, name)
            if warnings and self.strict:
                raise ContentErrors(warnings)
            self.notes += [str(warning) for warning in warnings]
            self._layouts[name] = Layouts(self.project, brand)
        return self._layouts[name]


def default_out_dir(root: Path, brand: str | None) -> Path:
    """build/ for the default brand; build/<brand>/ for any other, so brands never mix."""
    if brand in (None, DEFAULT_BRAND):
        return root / "build"
    return root / "build" / brand


def build(
    root: Path,
    out_dir: Path | None = None,
    paper: str = "a4",
    brand: str | None = None,
    strict: bool = False,
) -> BuildReport:
    """Build every guide and handout of the project at ``root`` into ``out_dir``.

    ``brand`` dresses every guide, and every handout whose spec names no brand.
    """
    started = time.perf_counter()
    project = load_project(root)
    out_dir = (out_dir or default_out_dir(project.root, brand)).resolve()
    brands = Brands(project, strict)
    jobs = plan(project, brands, brand, out_dir, paper)
    outcomes = [run_job(job, [project.root]) for job in jobs]
    return BuildReport(outcomes, time.perf_counter() - started, brands.notes)
