"""The build, read top to bottom like a table of contents:
load content -> render layouts -> typeset -> write atomically.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.errors import BuildError
from dnaoc_print.loading import load_project
from dnaoc_print.model import Project
from dnaoc_print.output import write_atomic
from dnaoc_print.templating import Layouts, RenderedDocument


@dataclass(frozen=True)
class Job:
    """One PDF to make: what it is called, where it goes, and its HTML."""

    name: str
    target: Path
    document: RenderedDocument


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

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.error]


def plan(project: Project, layouts: Layouts, out_dir: Path, paper: str = "a4") -> list[Job]:
    """Every PDF to build. ``paper`` is for guides; a handout's spec sets its own."""
    # Guides on the default paper keep plain names; another paper is named in the file.
    suffix = "" if paper == "a4" else f"-{paper}"
    jobs = [
        Job(
            f"guide {guide.slug}",
            out_dir / "guides" / f"{guide.slug}{suffix}.pdf",
            layouts.guide(guide, paper),
        )
        for guide in project.guides
    ]
    jobs += [
        Job(
            f"handout {handout.name}",
            out_dir / "handouts" / f"{handout.name}.pdf",
            layouts.handout(handout),
        )
        for handout in project.handouts
    ]
    return jobs


def run_job(job: Job, allowed_roots: list[Path]) -> Outcome:
    # Imported here: weasyprint takes a second to import, and `check` never needs it.
    from dnaoc_print.typesetting import typeset

    outcome = Outcome(job.name, job.target)
    try:
        result = typeset(job.document, job.name, allowed_roots)
        if job.document.single_page and result.page_count != 1:
            raise BuildError(
                f"runs to {result.page_count} pages but must fit on one; "
                "remove a story or a question"
            )
        write_atomic(job.target, result.pdf)
    except BuildError as error:
        outcome.error = str(error)
        return outcome
    outcome.page_count = result.page_count
    outcome.size = len(result.pdf)
    outcome.warnings = result.warnings
    return outcome


def build(root: Path, out_dir: Path | None = None, paper: str = "a4") -> BuildReport:
    """Build every guide and handout of the project at ``root`` into ``out_dir``."""
    started = time.perf_counter()
    project = load_project(root)
    out_dir = (out_dir or project.root / "build").resolve()
    layouts = Layouts(project)
    jobs = plan(project, layouts, out_dir, paper)
    outcomes = [run_job(job, [project.root]) for job in jobs]
    return BuildReport(outcomes=outcomes, seconds=time.perf_counter() - started)
