"""What the ``handout`` command is asked for: a spec, flags and CSV rows read into
one request a handout, each with where it goes and where its settings were made.

Values are layered: the spec, then a CSV row (one handout per row), then the flags
(dotted keys for nested fields, e.g. ``session.venue``). Every problem is found here,
before anything is typeset, and blames the line, column or flag that caused it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from dnaoc_print.build.fit_advice import ADVISED_SETTINGS, FIT_SETTINGS, ROW, SPEC_LINE
from dnaoc_print.content.dates import parse_date
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
from dnaoc_print.model import Handout, Project

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


@dataclass
class Request:
    """One handout asked for: what it says, its name, where it goes, the problems
    found in it, and (for a CSV row) where the row is."""

    data: LineDict
    name: str
    target: Path
    problems: list[ContentError]
    place: RowPlace | None = None


def read_spec(reader: HandoutReader, spec: Path | None, root: Path) -> tuple[LineDict, str | None]:
    """The spec file's values, and the name it gives its handouts (its file name)."""
    if spec is None:
        return LineDict.empty(), None
    spec = spec.resolve()
    shown = shown_path(spec, root)
    if not spec.is_file():
        raise ContentErrors([missing_spec(spec, shown, root)])
    try:
        return reader.read_file(spec, shown), safe_name(spec.stem, "handout")
    except ContentError as error:
        raise ContentErrors([error]) from None


def flag_values(overrides: dict[str, object] | None) -> tuple[dict[str, object], dict[str, str]]:
    """The flags given (a date as ISO), and the flag that set each field."""
    flags = {key: value for key, value in (overrides or {}).items() if value not in (None, ())}
    if isinstance(flags.get("session.date"), str):
        iso, problem = parse_date(flags["session.date"])
        if problem is not None:
            # Say what is wrong with the date as typed ("there is no such day").
            message, hint = problem
            raise ContentErrors([ContentError(message, flag="--date", hint=hint)])
        flags["session.date"] = iso
    return flags, {key: FLAGS[key] for key in flags if key in FLAGS}


def one_handout(
    project: Project,
    reader: HandoutReader,
    data: LineDict,
    name: str | None,
    target: Path,
    spec: Path | None,
    errors: list[ContentError],
    allow_placeholders: bool = False,
) -> tuple[Handout, Path, dict[str, str]]:
    """The one handout of a spec or flags; raises its problems (they stop the run)."""
    handout = reader.handout(data, name, spec_source(spec, project.root))
    for error in errors:
        if error.path == COMMAND_LINE:
            error.line = None  # the flags have no lines
    problems = errors + (dependency_problems(project, data) if not errors else [])
    if not allow_placeholders:
        problems += placeholders_in(data, spec_source(spec, project.root))
    if problems:
        raise ContentErrors(problems)
    return handout, target, setting_places(data)


def first_story(data: LineDict) -> str | None:
    stories = data.get("stories")
    return str(stories[0]) if isinstance(stories, list) and len(stories) == 1 else None


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


def setting_places(data: LineDict, row: RowPlace | None = None) -> dict[str, str]:
    """Where the settings the fit advice may change were made: the flag or CSV column
    that gave each; for a CSV row, the column to fill or add for one nobody gave; for
    a spec file, the line of each it gave (its stories and questions too)."""
    places = {}
    for key in FIT_SETTINGS:
        if label := data.label_of(key):
            places[key] = label
        elif row is not None:
            if key in ADVISED_SETTINGS and key not in data:
                places[key] = row.columns.get(key) or ROW
        elif key in data:
            places[key] = f"{SPEC_LINE}{data.line_of(key)}"
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


def row_requests(
    root: Path,
    base: LineDict,
    flags: dict[str, object],
    labels: dict[str, str],
    rows_from: Path,
    name_column: str | None,
    default_name: str,
    folder: Path,
) -> list[Request]:
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
        requests.append(Request(data, unique, folder / f"{unique}.pdf", row.problems, place))
    return requests
