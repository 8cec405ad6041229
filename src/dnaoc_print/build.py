"""The build, read top to bottom like a table of contents:
load content -> render layouts -> typeset -> write atomically.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.errors import BuildError, ContentError, ContentErrors, did_you_mean
from dnaoc_print.handout_specs import HandoutReader, apply_overrides, read_csv_rows, safe_name
from dnaoc_print.loading import load_project
from dnaoc_print.model import Handout, Project
from dnaoc_print.output import write_atomic
from dnaoc_print.templating import Layouts, RenderedDocument
from dnaoc_print.yaml_source import LineDict


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
            (layouts.guide(guide, paper),),
        )
        for guide in project.guides
    ]
    jobs += [
        handout_job(handout, layouts, out_dir / "handouts" / f"{handout.name}.pdf")
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


COMMAND_LINE = Path("command line")


def make_handouts(
    root: Path,
    spec: Path | None = None,
    overrides: dict[str, object] | None = None,
    rows_from: Path | None = None,
    name_column: str | None = None,
    output: Path | None = None,
) -> BuildReport:
    """Build handouts for the ``handout`` command: from a spec, flags, or a CSV file.

    Values are layered: the spec, then a CSV row (one handout per row), then the
    flags in ``overrides`` (dotted keys for nested fields, e.g. ``session.venue``).
    Every spec and row is checked before anything is typeset.
    """
    started = time.perf_counter()
    project = load_project(root)
    errors: list[ContentError] = []
    reader = HandoutReader(project.stories, project.guides, errors)
    base = LineDict.empty()
    name = None
    if spec is not None:
        spec = spec.resolve()
        shown = display_path(spec, project.root)
        try:
            base = reader.read_file(spec, shown)
        except ContentError as error:
            raise ContentErrors([error]) from None
        name = safe_name(spec.stem, "handout")
    flags = {key: value for key, value in (overrides or {}).items() if value not in (None, ())}

    requests: list[tuple[LineDict, str, Path]] = []
    if rows_from is None:
        data = apply_overrides(base, flags, COMMAND_LINE, None)
        name = name or safe_name(str(data.get("title") or ""), "handout")
        target = (output or project.root / "build" / "handouts" / f"{name}.pdf").resolve()
        requests.append((data, name, target))
    else:
        requests = _rows_to_requests(
            project.root, base, flags, rows_from, name_column, name or "handout", output, errors
        )
    handouts = [
        (handout, target)
        for data, handout_name, target in requests
        if (handout := reader.handout(data, handout_name, spec_source(spec, project.root)))
    ]
    if errors:
        raise ContentErrors(errors)
    layouts = Layouts(project)
    outcomes = [
        run_job(handout_job(handout, layouts, target), [project.root])
        for handout, target in handouts
    ]
    return BuildReport(outcomes=outcomes, seconds=time.perf_counter() - started)


def spec_source(spec: Path | None, root: Path) -> Path:
    return display_path(spec, root) if spec else COMMAND_LINE


def display_path(path: Path, root: Path) -> Path:
    try:
        return path.resolve().relative_to(root)
    except ValueError:
        return path


def _rows_to_requests(
    root: Path,
    base: LineDict,
    flags: dict[str, object],
    rows_from: Path,
    name_column: str | None,
    default_name: str,
    output: Path | None,
    errors: list[ContentError],
) -> list[tuple[LineDict, str, Path]]:
    """One request a CSV row, each with a safe, unique file name in the output folder."""
    shown = display_path(rows_from, root)
    try:
        rows = read_csv_rows(rows_from, shown)
    except ContentError as error:
        raise ContentErrors([error]) from None
    folder = (output or root / "build" / "handouts" / default_name).resolve()
    column = name_column or ("name" if rows and "name" in rows[0][1] else None)
    if column and rows and column not in rows[0][1]:
        raise ContentErrors(
            [
                ContentError(
                    f"there is no column '{column}' to name the handouts by",
                    path=shown,
                    line=1,
                    hint=did_you_mean(column, rows[0][1]) or f"columns: {', '.join(rows[0][1])}",
                )
            ]
        )
    requests, used = [], set()
    for number, (line, cells) in enumerate(rows, 1):
        values = {key: value or None for key, value in cells.items() if key != column}
        data = apply_overrides(
            apply_overrides(base, values, shown, line), flags, COMMAND_LINE, None
        )
        name = safe_name(cells.get(column, "") if column else "", f"{default_name}-{number:03d}")
        unique, suffix = name, 2
        while unique in used:
            unique, suffix = f"{name}-{suffix}", suffix + 1
        used.add(unique)
        requests.append((data, unique, folder / f"{unique}.pdf"))
    if not rows:
        errors.append(ContentError("the CSV file has no rows", path=shown, line=2))
    return requests


def build(root: Path, out_dir: Path | None = None, paper: str = "a4") -> BuildReport:
    """Build every guide and handout of the project at ``root`` into ``out_dir``."""
    started = time.perf_counter()
    project = load_project(root)
    out_dir = (out_dir or project.root / "build").resolve()
    layouts = Layouts(project)
    jobs = plan(project, layouts, out_dir, paper)
    outcomes = [run_job(job, [project.root]) for job in jobs]
    return BuildReport(outcomes=outcomes, seconds=time.perf_counter() - started)
