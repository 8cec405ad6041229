"""The ``handout`` command: handouts from a spec, from flags, or one per row of a CSV file.

In three steps, like the build: ``plan_handouts`` reads and checks every request
(handout_requests.py) and plans a job for each sound one, as data; ``run_handouts``
typesets them, handing back each outcome as it comes (and the two-up sheets, if
asked for, last); ``handouts_report`` says what was made. ``make_handouts`` is the
three in a row.

A bad row fails alone: its problems (line and column) become its outcome, and every
good row is built. A problem that every handout would share (a spec that cannot be
read, a CSV header) stops the run before anything is typeset.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.engine import BuildReport, default_out_dir
from dnaoc_print.build.handout_requests import (
    Request,
    dependency_problems,
    first_story,
    flag_values,
    one_handout,
    output_file,
    read_spec,
    row_requests,
    setting_places,
    spec_source,
)
from dnaoc_print.build.planning import PlannedJob, failed_outcome, handout_job
from dnaoc_print.build.running import in_plan_order, outcomes_as_they_come
from dnaoc_print.build.two_up import two_up_name
from dnaoc_print.build.work import Outcome
from dnaoc_print.content.brand_folders import brand_problem
from dnaoc_print.content.loading import load_project
from dnaoc_print.content.printed_placeholders import placeholders_in
from dnaoc_print.content.spec_checks import COMMAND_LINE, RowPlace
from dnaoc_print.content.spec_overrides import apply_overrides
from dnaoc_print.content.specs import HandoutReader, safe_name
from dnaoc_print.errors import ContentError, ContentErrors
from dnaoc_print.model import Handout, Project

# A handout, where it goes, and where its settings were made (for the fit advice).
Planned = tuple[Handout, Path, dict[str, str]]


@dataclass(frozen=True)
class TwoUp:
    """The two-up sheets file asked for: where it goes and how it is imposed."""

    target: Path
    paper: str
    copies: int
    crop_marks: bool


@dataclass
class HandoutPlan:
    """Every handout asked for: planned jobs for the sound ones, failed outcomes for
    the rest, and the two-up sheets if asked for. Plain data."""

    project: Project
    brands: Brands
    items: list[PlannedJob]
    failures: list[Outcome]
    strict: bool
    started: float
    two_up: TwoUp | None = None
    # Where each CSV row is, by its handout's target (None without a CSV file).
    rows: dict[Path, RowPlace] | None = None

    @property
    def names(self) -> list[str]:
        """The name of every outcome running this plan gives."""
        names = [job.name for job in self.items] + [o.job_name for o in self.failures]
        return names + ([two_up_name(self.two_up.target)] if self.two_up else [])


def make_handouts(root: Path, *request, workers: int | None = None, **options) -> BuildReport:
    """Build handouts for the ``handout`` command: from a spec, flags, or a CSV file.

    ``request`` and ``options`` are ``plan_handouts``'s (the spec, the flags, the CSV
    file and how its rows are named, the output, brand, strict, two-up and whether
    placeholders may be printed); ``workers`` typeset in parallel. To follow outcomes
    as they come, call the three steps yourself, as the ``handout`` command does.
    """
    plan = plan_handouts(root, *request, **options)
    return handouts_report(plan, run_handouts(plan, workers))


def plan_handouts(
    root: Path,
    spec: Path | None = None,
    overrides: dict[str, object] | None = None,
    rows_from: Path | None = None,
    name_column: str | None = None,
    output: Path | None = None,
    brand: str | None = None,
    strict: bool = False,
    two_up: bool = False,
    crop_marks: bool = False,
    allow_placeholders: bool = False,
) -> HandoutPlan:
    """Read and check every handout asked for; nothing is typeset yet.

    Values are layered: the spec, then a CSV row (one handout per row), then the
    flags in ``overrides`` (dotted keys for nested fields, e.g. ``session.venue``).
    ``output`` is the PDF (a folder, or a name without ``.pdf``, is understood), or
    with ``rows_from`` the folder. ``two_up`` also puts them two to a sheet in one
    file, in row order (one handout: twice), with a cut line (and ``crop_marks``). A
    handout that would print a placeholder fails, named where it was written, unless
    ``allow_placeholders``.
    """
    started = time.perf_counter()
    project = load_project(root, partial=True)
    if brand and (problem := brand_problem(project.root, brand)):
        raise ContentErrors([ContentError(problem.message, flag="--brand", hint=problem.hint)])
    errors: list[ContentError] = []
    reader = HandoutReader.for_project(project, errors, check_brands=True)
    base, name = read_spec(reader, spec, project.root)
    flags, labels = flag_values(overrides)
    folder = default_out_dir(project.root, brand) / "handouts"
    failures: list[Outcome] = []
    rows = None
    if rows_from is None:
        data = apply_overrides(base, flags, COMMAND_LINE, None, labels)
        name = name or safe_name(str(data.get("title") or first_story(data) or ""), "handout")
        target = output_file(output, folder, name)
        handouts = [
            one_handout(project, reader, data, name, target, spec, errors, allow_placeholders)
        ]
        out = target.parent
    else:
        out = (output or folder / (name or "handout")).resolve()
        requests = row_requests(
            project.root, base, flags, labels, rows_from, name_column, name or "handout", out
        )
        handouts = _row_handouts(
            project, reader, requests, spec, errors, failures, allow_placeholders
        )
        rows = {request.target: request.place for request in requests}
    sheets = _two_up(handouts, rows_from, out, crop_marks) if two_up else None
    brands = Brands(project, strict)
    row = rows_from is not None
    items = [handout_job(h, brands, brand, target, places, row) for h, target, places in handouts]
    return HandoutPlan(project, brands, items, failures, strict, started, sheets, rows)


def run_handouts(plan: HandoutPlan, workers: int | None = None) -> Iterator[Outcome]:
    """Each outcome as it comes: the requests that failed their checks, then each
    handout as it is typeset (there is no manifest: handouts made on request are
    always typeset), then the two-up sheets."""
    yield from plan.failures
    typeset = []
    root = plan.project.root
    for outcome in outcomes_as_they_come(
        plan.items, None, [root], strict=plan.strict, workers=workers
    ):
        typeset.append(outcome)
        yield outcome
    if plan.two_up:
        from dnaoc_print.build.two_up import two_up_sheets

        in_order = plan.failures + in_plan_order(plan.items, typeset)
        sheets = plan.two_up
        yield two_up_sheets(in_order, sheets.target, sheets.paper, sheets.copies, sheets.crop_marks)


def handouts_report(plan: HandoutPlan, outcomes: Iterable[Outcome]) -> BuildReport:
    """Wait for every outcome and say what was made, in the order asked for."""
    outcomes = list(outcomes)
    planned = {item.target for item in plan.items}
    sheets = [o for o in outcomes if plan.two_up and o.target == plan.two_up.target]
    made = in_plan_order(plan.items, [o for o in outcomes if o.target in planned]) + sheets
    if plan.rows is not None:
        name_rows(made, plan.rows)
    return BuildReport(plan.failures + made, time.perf_counter() - plan.started, plan.brands.notes)


def _row_handouts(
    project: Project,
    reader: HandoutReader,
    requests: list[Request],
    spec: Path | None,
    errors: list[ContentError],
    failures: list[Outcome],
    allow_placeholders: bool,
) -> list[Planned]:
    """The handouts of the sound rows; a failed outcome, added to ``failures``, for
    each row with a problem."""
    handouts = []
    for request in requests:
        start = len(errors)
        source = spec_source(spec, project.root)
        handout = reader.handout(request.data, request.name, source, request.place)
        problems = request.problems + errors[start:]
        problems = problems or dependency_problems(project, request.data)
        if not allow_placeholders:
            problems = problems + placeholders_in(request.data, source)
        if problems:
            failures.append(failed_outcome(f"handout {request.name}", request.target, problems))
        else:
            handouts.append((handout, request.target, setting_places(request.data, request.place)))
    return handouts


def _two_up(handouts: list[Planned], rows_from: Path | None, out: Path, crop_marks: bool) -> TwoUp:
    """Issue 17: the sheets file, beside the handouts, named after the CSV file
    (sessions.csv: sessions-two-up.pdf) or the one handout."""
    from dnaoc_print.build.two_up import two_up_problems

    if problems := two_up_problems([handout for handout, _, _ in handouts]):
        raise ContentErrors(problems)
    if rows_from is None:
        sheets = handouts[0][1].with_name(f"{handouts[0][1].stem}-two-up.pdf")
    else:
        sheets = out / f"{safe_name(rows_from.stem, 'handouts')}-two-up.pdf"
        if sheets in {target for _, target, _ in handouts}:
            sheets = sheets.with_name(f"{sheets.stem}-sheets.pdf")
    paper = handouts[0][0].paper if handouts else "a5"
    return TwoUp(sheets, paper, 2 if rows_from is None else 1, crop_marks)


def name_rows(outcomes: list[Outcome], places: dict[Path, RowPlace]) -> None:
    """A row that failed as it was typeset (too long for its page, say) is named by
    its line, as a row's own problems are. A failure several rows share (a broken
    layout) names its own file and is reported once for them all, so it is left as it is."""
    shared = Counter(outcome.error for outcome in outcomes if outcome.status == "failed")
    for outcome in outcomes:
        place = places.get(outcome.target)
        if outcome.status == "failed" and place and shared[outcome.error] == 1:
            outcome.error = f"{place.path}, line {place.line}: {outcome.error}"
