"""The ``handout`` command: handouts from a spec, from flags, or one per row of a CSV file.

A bad row fails alone: its problems (line and column) become its outcome, and every
good row is built. A problem that every handout would share (a spec that cannot be
read, a CSV header) stops the run before anything is typeset.
"""

from __future__ import annotations

import difflib
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.engine import BuildReport, default_out_dir
from dnaoc_print.build.planning import ADVISED_SETTINGS, ROW, failed_outcome, handout_job
from dnaoc_print.build.running import run_planned
from dnaoc_print.build.work import Outcome
from dnaoc_print.content.brand_folders import brand_problem
from dnaoc_print.content.dates import parse_date
from dnaoc_print.content.loading import load_project
from dnaoc_print.content.printed_placeholders import placeholders_in
from dnaoc_print.content.spec_checks import COMMAND_LINE, RowPlace
from dnaoc_print.content.spec_overrides import apply_overrides, split_list
from dnaoc_print.content.specs import (
    HANDOUT_FIELDS,
    QUESTION_REFERENCE,
    SESSION_FIELDS,
    HandoutReader,
    safe_name,
)
from dnaoc_print.content.spreadsheets import read_sheet
from dnaoc_print.content.yaml_source import LineDict
from dnaoc_print.errors import ContentError, ContentErrors, shown_path
from dnaoc_print.model import Project

# The flag that sets each field, so an error caused by a flag names it.
FLAGS = {
    "title": "--title",
    "subtitle": "--subtitle",
    "stories": "--story",
    "questions": "--question",
    **{f"session.{name}": f"--{name}" for name in SESSION_FIELDS},
    "layout": "--layout",
    "paper": "--paper",
    "orientation": "--orientation",
    "notes": "--notes",
    "content_warning": "--warning-text",
    "link_params": "--link-params",
    "brand": "--brand",
}
CSV_FIELDS = [
    *(name for name in HANDOUT_FIELDS if name != "session"),
    *(f"session.{name}" for name in SESSION_FIELDS),
]


def make_handouts(
    root: Path,
    spec: Path | None = None,
    overrides: dict[str, object] | None = None,
    rows_from: Path | None = None,
    name_column: str | None = None,
    output: Path | None = None,
    brand: str | None = None,
    strict: bool = False,
    workers: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    two_up: bool = False,
    crop_marks: bool = False,
    allow_placeholders: bool = False,
) -> BuildReport:
    """Build handouts for the ``handout`` command: from a spec, flags, or a CSV file.

    Values are layered: the spec, then a CSV row (one handout per row), then the
    flags in ``overrides`` (dotted keys for nested fields, e.g. ``session.venue``).
    Every spec and row is checked before anything is typeset; a row with problems
    becomes a failed outcome naming its line and column, and the rest are built.
    ``output`` is the PDF (a folder, or a name without ``.pdf``, is understood), or
    with ``rows_from`` the folder. ``two_up`` also puts them two to a sheet in one
    file, in row order (one handout: twice), with a cut line (and ``crop_marks``).
    A handout that would print a placeholder fails, named where it was written, unless
    ``allow_placeholders``.
    """
    started = time.perf_counter()
    project = load_project(root, partial=True)
    if brand and (problem := brand_problem(project.root, brand)):
        raise ContentErrors([ContentError(problem.message, flag="--brand", hint=problem.hint)])
    errors: list[ContentError] = []
    reader = HandoutReader.for_project(project, errors, check_brands=True)
    base = LineDict.empty()
    name = None
    if spec is not None:
        spec = spec.resolve()
        shown = shown_path(spec, project.root)
        if not spec.is_file():
            raise ContentErrors([missing_spec(spec, shown, project.root)])
        try:
            base = reader.read_file(spec, shown)
        except ContentError as error:
            raise ContentErrors([error]) from None
        name = safe_name(spec.stem, "handout")
    flags = {key: value for key, value in (overrides or {}).items() if value not in (None, ())}
    if isinstance(flags.get("session.date"), str):
        iso, problem = parse_date(flags["session.date"])
        if problem is not None:
            # Say what is wrong with the date as typed ("there is no such day").
            message, hint = problem
            raise ContentErrors([ContentError(message, flag="--date", hint=hint)])
        flags["session.date"] = iso
    labels = {key: FLAGS[key] for key in flags if key in FLAGS}

    failures: list[Outcome] = []
    handouts = []
    folder = default_out_dir(project.root, brand) / "handouts"
    if rows_from is None:
        data = apply_overrides(base, flags, COMMAND_LINE, None, labels)
        name = name or safe_name(str(data.get("title") or _first_story(data) or ""), "handout")
        target = output_file(output, folder, name)
        handout = reader.handout(data, name, spec_source(spec, project.root))
        for error in errors:
            if error.path == COMMAND_LINE:
                error.line = None  # the flags have no lines
        problems = errors + (dependency_problems(project, data) if not errors else [])
        if not allow_placeholders:
            problems += placeholders_in(data, spec_source(spec, project.root))
        if problems:
            raise ContentErrors(problems)
        handouts.append((handout, target, setting_places(data)))
    else:
        out = (output or folder / (name or "handout")).resolve()
        requests = _rows(
            project.root, base, flags, labels, rows_from, name_column, name or "handout", out
        )
        places = {target: place for _, _, target, _, place in requests}
        for data, row_name, target, problems, place in requests:
            start = len(errors)
            handout = reader.handout(data, row_name, spec_source(spec, project.root), place)
            problems = problems + errors[start:]
            problems = problems or dependency_problems(project, data)
            if not allow_placeholders:
                problems = problems + placeholders_in(data, spec_source(spec, project.root))
            if problems:
                failures.append(failed_outcome(f"handout {row_name}", target, problems))
            else:
                handouts.append((handout, target, setting_places(data, place)))
    if two_up:
        # Issue 17: the sheets file, beside the handouts, named after the CSV file
        # (sessions.csv: sessions-two-up.pdf) or the one handout.
        from dnaoc_print.build.two_up import two_up_problems, two_up_sheets

        if problems := two_up_problems([handout for handout, _, _ in handouts]):
            raise ContentErrors(problems)
        if rows_from is None:
            sheets = handouts[0][1].with_name(f"{handouts[0][1].stem}-two-up.pdf")
        else:
            sheets = out / f"{safe_name(rows_from.stem, 'handouts')}-two-up.pdf"
            if sheets in {target for _, target, _ in handouts}:
                sheets = sheets.with_name(f"{sheets.stem}-sheets.pdf")
    brands = Brands(project, strict)
    planned = [
        handout_job(handout, brands, brand, target, places) for handout, target, places in handouts
    ]
    if on_plan:
        on_plan(len(planned) + len(failures) + (1 if two_up else 0))
    for failure in failures:
        if on_outcome:
            on_outcome(failure)
    # Handouts made on request are always typeset; there is no manifest beside them.
    outcomes = run_planned(
        planned, None, [project.root], strict=strict, workers=workers, on_outcome=on_outcome
    )
    if two_up:
        paper = handouts[0][0].paper if handouts else "a5"
        copies = 2 if rows_from is None else 1
        sheet_outcome = two_up_sheets(failures + outcomes, sheets, paper, copies, crop_marks)
        outcomes.append(sheet_outcome)
        if on_outcome:
            on_outcome(sheet_outcome)
    if rows_from is not None:
        name_rows(outcomes, places)
    return BuildReport(failures + outcomes, time.perf_counter() - started, brands.notes)


def output_file(output: Path | None, folder: Path, name: str) -> Path:
    """Where one handout goes: ``-o`` as given, into it if it is a folder, with
    ``.pdf`` added if the name lacks it; by default ``folder/name.pdf``."""
    if output is None:
        return (folder / f"{name}.pdf").resolve()
    if output.is_dir():
        return (output / f"{name}.pdf").resolve()
    if output.suffix.lower() != ".pdf":
        output = output.with_name(output.name + ".pdf")
    return output.resolve()


def near_spec(path: Path, root: Path) -> Path | None:
    """The spec a path that names no file may have meant: the closest name in the
    folder it names, else in the project's ``content/handouts/``."""
    for folder in (path.parent, root / "content" / "handouts"):
        if not folder.is_dir():
            continue
        specs = {
            spec.stem: spec
            for spec in sorted(folder.iterdir())
            if spec.suffix in (".yaml", ".yml") and spec.is_file()
        }
        if close := difflib.get_close_matches(path.stem, list(specs), n=1, cutoff=0.6):
            return specs[close[0]]
    return None


def missing_spec(spec: Path, shown: Path, root: Path) -> ContentError:
    """A spec path that names no file, with the spec the user may have meant."""
    near = near_spec(spec, root)
    hint = (
        f"did you mean '{shown_path(near, root)}'?"
        if near
        else "name a handout spec such as content/handouts/compassion.yaml"
    )
    return ContentError("no such handout spec", path=shown, hint=hint)


def name_rows(outcomes: list[Outcome], places: dict[Path, RowPlace]) -> None:
    """A row that failed as it was typeset (too long for its page, say) is named by
    its line, as a row's own problems are. A failure several rows share (a broken
    layout) names its own file and is reported once for them all, so it is left as it is."""
    shared = Counter(outcome.error for outcome in outcomes if outcome.status == "failed")
    for outcome in outcomes:
        place = places.get(outcome.target)
        if outcome.status == "failed" and place and shared[outcome.error] == 1:
            outcome.error = f"{place.path}, line {place.line}: {outcome.error}"


def setting_places(data: LineDict, row: RowPlace | None = None) -> dict[str, str]:
    """Where the settings the fit advice may change were made: the flag or CSV column
    that gave each; for a CSV row, the column to fill or add for one nobody gave. One
    a spec gave is left out (the advice names its key)."""
    places = {}
    for key in ADVISED_SETTINGS:
        if label := data.label_of(key):
            places[key] = label
        elif row is not None and key not in data:
            places[key] = row.columns.get(key) or ROW
    return places


def spec_source(spec: Path | None, root: Path) -> Path:
    return shown_path(spec, root) if spec else COMMAND_LINE


def dependency_problems(project: Project, data: LineDict) -> list[ContentError]:
    """Problems of the broken stories a handout shows and guides whose questions it borrows."""
    problems: list[ContentError] = []
    stories = data.get("stories")
    for story_id in stories if isinstance(stories, list) else []:
        problems += project.broken_stories.get(str(story_id).strip(), ())
    questions = data.get("questions")
    for text in questions if isinstance(questions, list) else []:
        if reference := QUESTION_REFERENCE.match(str(text).strip()):
            problems += project.broken_questions.get(reference["guide"], ())
    return list(dict.fromkeys(problems))


def _first_story(data: LineDict) -> str | None:
    stories = data.get("stories")
    return str(stories[0]) if isinstance(stories, list) and len(stories) == 1 else None


def _rows(
    root: Path,
    base: LineDict,
    flags: dict[str, object],
    labels: dict[str, str],
    rows_from: Path,
    name_column: str | None,
    default_name: str,
    folder: Path,
) -> list[tuple[LineDict, str, Path, list[ContentError], RowPlace]]:
    """One request a CSV row, each with a safe, unique file name in the output folder,
    the problems found in the row itself, and where the row is.

    An empty cell leaves its field out of that row (a blank facilitator: no
    facilitator, whatever the spec says); a column the file does not have leaves the
    spec's value as it is."""
    shown = shown_path(rows_from, root)
    try:
        sheet = read_sheet(rows_from, shown, CSV_FIELDS, name_column)
    except ContentError as error:
        raise ContentErrors([error]) from None
    if not sheet.rows:
        raise ContentErrors([ContentError("the CSV file has no rows", path=shown, line=2)])
    requests, used = [], set()
    for number, row in enumerate(sheet.rows, 1):
        cells: dict[str, object] = {}
        for key, text in row.cells.items():
            if text:
                cells[key] = split_list(key, text) if key in ("stories", "questions") else text
            else:
                cells[key] = ""  # apply_overrides leaves the field out
        data = apply_overrides(
            apply_overrides(base, cells, shown, row.line, row.columns),
            flags,
            COMMAND_LINE,
            None,
            labels,
        )
        name = safe_name(row.name, f"{default_name}-{number:03d}")
        unique, suffix = name, 2
        while unique in used:
            unique, suffix = f"{name}-{suffix}", suffix + 1
        used.add(unique)
        place = RowPlace(shown, row.line, row.columns)
        requests.append((data, unique, folder / f"{unique}.pdf", row.problems, place))
    return requests
